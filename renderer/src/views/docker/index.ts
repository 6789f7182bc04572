// The docker view's registration: its icon, its palette actions and its code (loaded when first opened).
import { fire, type ViewRegistration } from '../view-registration.ts';
import { dockerSearchEvent, dockerContainersEvent } from './events.ts';

export const view: ViewRegistration = {
  icon: '◈',
  load: async () => (await import('./DockerView.tsx')).DockerView,
  actions: [
    { id: 'docker.search', title: 'Search Docker cheats', run: fire(dockerSearchEvent) },
    { id: 'docker.containers', title: 'Show containers', run: fire(dockerContainersEvent) },
  ],
};
