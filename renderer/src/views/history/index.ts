// The history view's registration: its icon, its palette actions and its code (loaded when first opened).
import { fire, type ViewRegistration } from '../view-registration.ts';
import { historyFocusEvent, historyStatsEvent, historySettingsEvent } from './events.ts';

export const view: ViewRegistration = {
  icon: '⟲',
  load: async () => (await import('./HistoryView.tsx')).HistoryView,
  actions: [
    { id: 'history.search', title: 'Search shell history', run: fire(historyFocusEvent) },
    { id: 'history.stats', title: 'History stats', run: fire(historyStatsEvent) },
    { id: 'history.settings', title: 'History hooks, pause and secrets', run: fire(historySettingsEvent) },
  ],
};
