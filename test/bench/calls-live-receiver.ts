// The live Calls bench's receiver: the service host as the app runs it (built bundle, in this process), with
// Calls loaded so its tracker is on the captures tap, TZSP recorded to a pcapng. Stops on SIGINT and prints
// what the listener and the tracker counted, as JSON. LANYARD_BENCH_TREE=DIR runs another checkout instead (its
// build, else its sources), to measure a tree before a change in the same run.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const [port, file] = process.argv.slice(2) as [string, string];
const tree = process.env.LANYARD_BENCH_TREE ?? path.join(here, '..', '..');
const built = path.join(tree, 'out', 'lib', 'in-process.js');
const { startInProcess } = (await import(
  existsSync(built) ? built : path.join(tree, 'main', 'host', 'in-process.ts')
)) as typeof import('../../main/host/in-process.ts');
const { api, host } = startInProcess({ env: process.env });
await api.calls.list({}); // loads Calls: its tracker joins the tap
await api.captures.start({ port: Number(port), bind: '127.0.0.1', record: { path: file } });
process.stderr.write('listening\n');
const keepAlive = setInterval(() => undefined, 60_000);
await new Promise((resolve) => process.once('SIGINT', resolve));
const status = await api.captures.stop({});
const list = await api.calls.list({});
const calls = list?.calls.filter((c) => c.kind === 'call') ?? [];
process.stdout.write(
  `${JSON.stringify({
    packets: status.totals.packets,
    kernelDrops: status.totals.kernelDrops,
    outputDrops: status.outputs.reduce((n, o) => n + o.drops, 0),
    calls: calls.length,
    completed: calls.filter((c) => c.state === 'completed').length,
    streams: calls.reduce((n, c) => n + c.streams, 0),
    orphanStreams: list?.orphanStreams.length ?? 0,
    trackerRtp: list?.counters.rtpPackets ?? 0,
    trackerSip: list?.counters.sipMessages ?? 0,
  })}\n`,
);
clearInterval(keepAlive);
host.close();
