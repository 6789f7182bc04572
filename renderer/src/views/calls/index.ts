// The calls view's registration: its icon and its code (loaded when first opened).
import type { ViewRegistration } from '../view-registration.ts';

export const view: ViewRegistration = {
  icon: '☏',
  load: async () => (await import('./CallsView.tsx')).CallsView,
  actions: [],
};
