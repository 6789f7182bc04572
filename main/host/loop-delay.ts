// Opt-in diagnostics for the soak bench: with LANYARD_LOOP_DELAY_REPORT=1 in its environment the host samples
// its own event-loop delay, and each SIGUSR2 writes the figures since the previous one to stderr as one line
// (the marker, then JSON) and starts over. Outside the contract on purpose: no client can ask for it, and
// without the variable nothing is sampled and no handler is installed.
import { monitorEventLoopDelay } from 'node:perf_hooks';

export const loopDelayVariable = 'LANYARD_LOOP_DELAY_REPORT';
export const loopDelayMarker = 'lanyard-loop-delay ';

export interface LoopDelayReport {
  /** The longest stall seen, in ms (one sample every 10 ms, so a stall shows as up to 10 ms longer). */
  maxMs: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
}

/** Does nothing unless the environment asks for the report. */
export function reportLoopDelayIfAsked(env: NodeJS.ProcessEnv): void {
  if (env[loopDelayVariable] !== '1') return;
  const histogram = monitorEventLoopDelay({ resolution: 10 });
  histogram.enable();
  const ms = (ns: number) => (histogram.count > 0 ? ns / 1e6 : 0);
  process.on('SIGUSR2', () => {
    const report: LoopDelayReport = {
      maxMs: ms(histogram.max),
      p99Ms: ms(histogram.percentile(99)),
      meanMs: ms(histogram.mean),
      samples: histogram.count,
    };
    process.stderr.write(`${loopDelayMarker}${JSON.stringify(report)}\n`);
    histogram.reset();
  });
}
