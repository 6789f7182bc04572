// The doctor view's registration: its icon, its palette actions and its code (loaded when first opened).
import { fire, type ViewRegistration } from '../view-registration.ts';
import { doctorRerunEvent, doctorCopyEvent } from './events.ts';

export const view: ViewRegistration = {
  icon: '✚',
  load: async () => (await import('./DoctorView.tsx')).DoctorView,
  actions: [
    { id: 'doctor.rerun', title: 'Run the checks again', run: fire(doctorRerunEvent) },
    { id: 'doctor.copy', title: 'Copy the report as JSON', run: fire(doctorCopyEvent) },
  ],
};
