import type { ServiceHandlers } from '../contract/handlers.ts';
import type { DoctorService } from './service.ts';

export function doctorHandlers(doctor: DoctorService): ServiceHandlers<'doctor'> {
  return {
    methods: {
      'doctor.report': (params) => doctor.run(params.only),
    },
    streams: {
      'doctor.run': async (params, emit) => {
        await doctor.run(params.only, emit);
      },
    },
  };
}
