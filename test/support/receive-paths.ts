// The UDP receive paths the captures tests run on: Node's dgram always, the recvmmsg batch addon when it is built
// (main/build/build.ts). Missing, it is skipped loudly; under CI=true it must be there.
import { afterAll, beforeAll } from 'vitest';
import { udpReceivePath, type UdpReceivePath } from '../../main/captures/udp-receive.ts';
import { underCI } from './peers.ts';

function batchAvailable(): boolean {
  const { path, why } = udpReceivePath({});
  if (path === 'batch') return true;
  if (underCI) throw new Error(`The UDP batch addon is required under CI: ${why}. .ci/run must install g++ make python3.`);
  process.stderr.write(`\n*** SKIPPING the batch receive path: ${why} ***\n\n`);
  return false;
}

export const receivePaths: UdpReceivePath[] = batchAvailable() ? ['dgram', 'batch'] : ['dgram'];

/** For tests that start a listener (or its thread) as the app does: LANYARD_UDP_RECEIVE set for the describe block. */
export function forceReceivePath(path: UdpReceivePath): void {
  const before = process.env.LANYARD_UDP_RECEIVE;
  beforeAll(() => {
    process.env.LANYARD_UDP_RECEIVE = path;
  });
  afterAll(() => {
    if (before === undefined) delete process.env.LANYARD_UDP_RECEIVE;
    else process.env.LANYARD_UDP_RECEIVE = before;
  });
}
