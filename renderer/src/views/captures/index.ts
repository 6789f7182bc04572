// The captures view's registration: its icon, its palette actions and its code (loaded when first opened).
import { fire, type ViewRegistration } from '../view-registration.ts';
import { capturesToggleEvent, capturesWiresharkEvent } from './events.ts';

export const view: ViewRegistration = {
  icon: '⇶',
  load: async () => (await import('./CapturesView.tsx')).CapturesView,
  actions: [
    { id: 'captures.toggle', title: 'Start or stop the TZSP listener', run: fire(capturesToggleEvent) },
    { id: 'captures.wireshark', title: 'Open the live capture in Wireshark', run: fire(capturesWiresharkEvent) },
  ],
};
