// The contract's calls names onto the calls service.
import type { ServiceHandlers } from '../contract/handlers.ts';
import type { CallsService } from './service.ts';

export function callsHandlers(calls: CallsService): ServiceHandlers<'calls'> {
  return {
    methods: {
      'calls.open': (p) => calls.open(p.files),
      'calls.clear': () => calls.clear(),
      'calls.list': (p) => calls.list(p.since),
      'calls.detail': (p) => calls.detail(p.id),
      'calls.export': (p) => calls.export(p.id, p.output),
      'calls.openInWireshark': (p) => calls.openInWireshark(p.path),
    },
    streams: {},
  };
}
