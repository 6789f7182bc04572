// The bench's sensors: send `rate` TZSP datagrams a second (120-byte Ethernet frames) for `seconds`, paced in
// 1 ms bursts, from their own process; print {"sent":N,"seconds":S,"slipped":L} when done (see udp-blast.c). With
// no `sensors` argument, one sensor in the MikroTik layout (no tags); with `sensors` N, N sensors in turn, each
// with a tag-80 name (soak-001…) and its own loopback source address (127.0.1.1…), as N devices on a network would be.
// The datagrams are built here; a small C program sends them (native/udp-blast.c: sensors are other machines, and
// Node's dgram would take half a core of this one at 50k/s).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildTzsp, ethernetHeader } from '../../main/captures/tzsp.ts';

const [port, rate, seconds, sensors = 0] = process.argv.slice(2).map(Number) as [number, number, number, number?];
const frame = Buffer.alloc(120, 0xab);
frame.fill(0xff, 0, 6); // broadcast destination, then a locally administered source
Buffer.from('020000000001', 'hex').copy(frame, 6);
frame.writeUInt16BE(0x88b5, 12); // local experimental EtherType: payload is just a counter

/** One datagram record for udp-blast: source IPv4, where its sequence number goes (the frame's payload), bytes. */
function record(datagram: Buffer, address?: string): Buffer {
  const head = Buffer.alloc(8);
  if (address) Buffer.from(address.split('.').map(Number)).copy(head, 0);
  head.writeUInt16BE(datagram.length - frame.length + 14, 4);
  head.writeUInt16BE(datagram.length, 6);
  return Buffer.concat([head, datagram]);
}

// 127.0.1.N: any 127/8 address is the loopback interface on Linux.
const records =
  sensors > 0
    ? Array.from({ length: sensors }, (_, i) =>
        record(
          buildTzsp(frame, { encapsulation: 1, deviceName: `soak-${String(i + 1).padStart(3, '0')}` }),
          `127.0.${1 + Math.floor(i / 250)}.${1 + (i % 250)}`,
        ),
      )
    : [record(Buffer.concat([ethernetHeader, frame]))];

/** udp-blast, compiled once per version of its source into the temp folder. */
function udpBlast(): string {
  const source = path.join(path.dirname(fileURLToPath(import.meta.url)), 'native', 'udp-blast.c');
  const hash = createHash('sha256').update(readFileSync(source)).digest('hex').slice(0, 12);
  const binary = path.join(os.tmpdir(), `lanyard-udp-blast-${hash}`);
  if (existsSync(binary)) return binary;
  try {
    execFileSync('cc', ['-O2', '-Wall', '-o', `${binary}.${process.pid}`, source], { stdio: ['ignore', 'ignore', 'inherit'] });
  } catch (error) {
    throw new Error(`the bench's TZSP sender needs a C compiler (apt-get install gcc): ${(error as Error).message}`);
  }
  renameSync(`${binary}.${process.pid}`, binary); // whole or not at all, for a sender started beside this one
  return binary;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'lanyard-sender-'));
try {
  const file = path.join(dir, 'datagrams');
  writeFileSync(file, Buffer.concat(records));
  const run = spawnSync(udpBlast(), [String(port), String(rate), String(seconds), file], { stdio: ['ignore', 'inherit', 'inherit'] });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
