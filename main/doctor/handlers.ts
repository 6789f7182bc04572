import type { MethodHandlers, StreamHandlerTable } from '../host/host.ts';
import { runDoctor, type DoctorOptions } from './doctor.ts';

export function doctorHandlers(options: DoctorOptions): { methods: Pick<MethodHandlers, 'doctor.report'>; streams: Pick<StreamHandlerTable, 'doctor.run'> } {
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
