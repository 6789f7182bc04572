// The service host process's entry: turn on Node's compile cache first (Node ≥ 22.1), so later starts skip
// compiling the bundle, then load the host itself. Static imports would compile before the cache was on.
import { enableCompileCache } from 'node:module';

enableCompileCache?.();
(await import('./loop-delay.ts')).reportLoopDelayIfAsked(process.env);
await import('./process-host.ts');
