// How long this thread's event loop is held. A timer ticks every few ms; between two ticks the thread either ran
// code (its own CPU time, from process.threadCpuUsage) or waited for a core. On a shared 2-core machine the wait
// can reach hundreds of ms while no code of ours runs, so the bound is checked on the first: `longestBusyMs` is
// the most CPU time this thread spent between two ticks. `longestWallMs` is the plain timer drift, reported too.
export interface StallProbe {
  stop(): { longestBusyMs: number; longestWallMs: number };
}

export function stallProbe(tickMs = 5): StallProbe {
  let wall = performance.now();
  let cpu = process.threadCpuUsage();
  let longestBusyMs = 0;
  let longestWallMs = 0;
  const tick = () => {
    const now = performance.now();
    const used = process.threadCpuUsage(cpu);
    longestBusyMs = Math.max(longestBusyMs, (used.user + used.system) / 1000);
    longestWallMs = Math.max(longestWallMs, now - wall);
    wall = now;
    cpu = process.threadCpuUsage();
  };
  const timer = setInterval(tick, tickMs);
  return {
    stop() {
      tick();
      clearInterval(timer);
      return { longestBusyMs, longestWallMs };
    },
  };
}
