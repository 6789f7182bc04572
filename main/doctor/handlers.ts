import type { ServiceHandlers } from '../contract/handlers.ts';
import type { DoctorService } from './service.ts';

export function doctorHandlers(doctor: DoctorService): ServiceHandlers<'doctor'> {
  return {
    methods: {
      'doctor.report': (params) => doctor.run(params.only),
      'doctor.commandState': () => doctor.commandState(),
      'doctor.installCommand': (params) => doctor.installCommand(params.force),
    },
    streams: {
      'doctor.run': async (params, emit) => {
        await doctor.run(params.only, emit);
      },
    },
  };
}
