// The calls view's registration: its icon, its palette actions and its code (loaded when first opened).
import { fire, type ViewRegistration } from '../view-registration.ts';
import { callsFailedOnlyEvent } from './events.ts';

export const view: ViewRegistration = {
  icon: '☏',
  load: async () => (await import('./CallsView.tsx')).CallsView,
  actions: [{ id: 'calls.failedOnly', title: 'Show only failed calls (or all again)', run: fire(callsFailedOnlyEvent) }],
};
