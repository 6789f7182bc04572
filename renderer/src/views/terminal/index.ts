// The terminal view's registration: its icon, its palette actions and its code (loaded when first opened).
import { fire, type ViewRegistration } from '../view-registration.ts';
import { terminalNewTabEvent, terminalCloseTabEvent } from './events.ts';

export const view: ViewRegistration = {
  icon: '›_',
  load: async () => (await import('./TerminalView.tsx')).TerminalView,
  actions: [
    { id: 'terminal.new', title: 'New terminal tab', run: fire(terminalNewTabEvent) },
    { id: 'terminal.close', title: 'Close terminal tab', run: fire(terminalCloseTabEvent) },
  ],
};
