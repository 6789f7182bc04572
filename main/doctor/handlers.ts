import type { ServiceHandlers } from '../contract/handlers.ts';
import { runDoctor, type DoctorOptions } from './doctor.ts';

export function doctorHandlers(options: DoctorOptions): ServiceHandlers<'doctor'> {
  return {
    methods: {
      'doctor.report': (params) => runDoctor(options, params.only),
    },
    streams: {
      'doctor.run': async (params, emit) => {
        await runDoctor(options, params.only, emit);
      },
    },
  };
}
