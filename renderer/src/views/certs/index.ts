// The certs view's registration: its icon, its palette actions and its code (loaded when first opened).
import { fire, type ViewRegistration } from '../view-registration.ts';
import { newCertFocusEvent } from './events.ts';

export const view: ViewRegistration = {
  icon: '◎',
  load: async () => (await import('./CertsView.tsx')).CertsView,
  actions: [{ id: 'certs.new', title: 'New certificate', run: fire(newCertFocusEvent) }],
};
