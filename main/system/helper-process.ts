// The service host's helper processes (the pty host, the captures receiver): Node processes of their own, forked
// the same way, that exit when the host goes away (their IPC channel closes).
import { fork, type ChildProcess } from 'node:child_process';
import { hostExecArgv } from './host-heap-flags.ts';

/** Fork `script` (found with entryScript) as a helper process of the service host. */
export function forkHelper(script: string): ChildProcess {
  return fork(script, [], {
    // In the app the service host is Electron's own binary: run it as plain Node for its helpers too.
    env: process.versions.electron ? { ...process.env, ELECTRON_RUN_AS_NODE: '1' } : process.env,
    // The service host's V8 heap flags (the receiver's per-packet garbage is what they are for), and none of the
    // host's other flags (a bench's --cpu-prof, `node -e`'s --input-type).
    execArgv: [...hostExecArgv],
    // Standard output is the host's: `lanyard tzsp listen --stdout` writes the capture there.
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    // V8's serializer: strings and ArrayBuffers cross as they are, without JSON's escaping and base64.
    serialization: 'advanced',
    // Linux: a session of its own. The autogroup scheduler shares CPU out per session (as a group, whatever its
    // number of threads), and the shells already get one each; a helper's work (the terminals' output, 50k
    // datagrams a second) then no longer comes out of the service host's share, which under a full machine is what
    // keeps the host's event loop waiting. Not elsewhere: on Windows a detached child gets a console of its own.
    detached: process.platform === 'linux',
  });
}
