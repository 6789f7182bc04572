// The contract's captures names onto the captures service.
import type { ServiceHandlers } from '../contract/handlers.ts';
import type { CapturesService } from './service.ts';

export function capturesHandlers(captures: CapturesService): ServiceHandlers<'captures'> {
  return {
    methods: {
      'captures.start': (p) => captures.start(p),
      'captures.stop': () => captures.stop(),
      'captures.status': () => captures.status(),
      'captures.record': (p) => captures.record(p),
      'captures.closeOutput': (p) => captures.closeOutput(p.id),
      'captures.serveTcp': (p) => captures.serveTcp(p.port),
      'captures.openWireshark': (p) => captures.openWireshark(p.via),
      'captures.recent': (p) => captures.recent(p.limit),
      'captures.decap': (p) => captures.decap(p),
    },
    streams: {
      'captures.live': (p, emit, signal) => captures.live(p.intervalMs, emit, signal),
      'captures.send': (p, emit, signal) => captures.send(p, emit, signal),
    },
    // On host shutdown: stop the listener so every output is flushed and closed, as `captures.stop` does.
    dispose: async () => {
      await captures.stop();
    },
  };
}
