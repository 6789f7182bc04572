// `lanyard tzsp decap`: pull TZSP-carried frames out of a capture of UDP traffic, one interface per sensor.
import type { DecapResult } from './contract.ts';
import { readCaptureFile } from './capture-file.ts';
import { FileOutput } from './file-output.ts';
import { FragmentReassembler } from './ip-fragments.ts';
import { frameIp } from './ip-packet.ts';
import { PcapngSession } from './pcapng-session.ts';
import { sensorId } from './sensors.ts';
import { parseTzsp, unknownEncapsulationLinktype } from './tzsp.ts';

export async function decapFile(input: string, output: string, port: number): Promise<DecapResult> {
  const session = new PcapngSession();
  const file = new FileOutput({ path: output });
  session.attach(file);
  const fragments = new FragmentReassembler();
  const result: DecapResult = { packets: 0, skipped: 0, malformed: 0, fragments: 0, fragmentsDropped: 0, interfaces: [] };
  try {
    for (const packet of readCaptureFile(input)) {
      const ip = frameIp(packet.linktype, packet.data);
      if (ip?.protocol !== 17) {
        result.skipped++;
        continue;
      }
      const transport = fragments.add(ip, Number(packet.timestampNs / 1_000_000n));
      if (!transport) continue;
      if (transport.length < 8 || transport.readUInt16BE(2) !== port) {
        result.skipped++;
        continue;
      }
      const length = transport.readUInt16BE(4);
      const tzsp = parseTzsp(transport.subarray(8, Math.min(transport.length, Math.max(8, length))));
      if (tzsp.kind === 'malformed') result.malformed++;
      if (tzsp.kind !== 'frame') continue;
      const timestampNs = tzsp.timestamp
        ? BigInt(tzsp.timestamp.seconds) * 1_000_000_000n + BigInt(tzsp.timestamp.nanoseconds)
        : packet.timestampNs;
      session.write({
        sensor: sensorId(ip.src, tzsp.deviceName),
        linktype: tzsp.linktype ?? unknownEncapsulationLinktype,
        encapsulation: tzsp.encapsulation,
        frame: tzsp.frame,
        ...(tzsp.originalLength !== undefined ? { originalLength: tzsp.originalLength } : {}),
        timestampNs,
      });
      result.packets++;
    }
  } finally {
    await file.close();
  }
  if (file.error) throw new Error(file.error);
  ({ orphans: result.fragments, dropped: result.fragmentsDropped } = fragments.stats());
  result.interfaces = session.interfaces().map((i) => ({ ...i }));
  return result;
}
