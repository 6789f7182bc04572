// Row 1 of issue 11: a sender that invents a sensor per datagram (tag-80 names, many source addresses) must
// not grow the sensor table, the pcapng interfaces, the status or the stop summary without bound, and the
// packets of the real sensors must still arrive. Real UDP on loopback (127/8 is all loopback on Linux).
import dgram from 'node:dgram';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readCapture } from '../../../main/captures/capture-file.ts';
import { statusRows } from '../../../main/captures/listener.ts';
import { defaultMaxInterfaces } from '../../../main/captures/pcapng-session.ts';
import { defaultSensorLimits } from '../../../main/captures/sensors.ts';
import { buildTzsp } from '../../../main/captures/tzsp.ts';
import { startInProcess } from '../../../main/host/in-process.ts';
import { formatSummary } from '../../../main/captures/cli/tzsp.ts';
import { tempDir } from '../../support/temp-dir.ts';
import { arpRequest } from './frames.ts';

const dir = tempDir();

async function until(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** One socket per source address. */
async function send(source: string, port: number, datagrams: Buffer[]): Promise<void> {
  const socket = dgram.createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, source, resolve));
  for (const d of datagrams)
    await new Promise<void>((resolve, reject) => socket.send(d, port, '127.0.0.1', (e) => (e ? reject(e) : resolve())));
  socket.close();
}

describe('a flood of invented sensors', () => {
  it('caps sensors per address and in total, counts "too many sensors", bounds interfaces, status and summary, and keeps the real sensors', {
    timeout: 120_000,
  }, async () => {
    const { api, host } = startInProcess({ env: { ...process.env, LANYARD_HOME: dir } });
    const started = await api.captures.start({ port: 0, bind: '127.0.0.1', record: { path: path.join(dir, 'flood.pcapng') } });
    const port = started.port!;
    const rssBefore = process.memoryUsage().rss;
    // Sender and receiver share this process: wait for each batch to be read, so the kernel drops nothing.
    let sent = 0;
    const blast = async (source: string, datagrams: Buffer[]) => {
      await send(source, port, datagrams);
      sent += datagrams.length;
      await until(async () => (await api.captures.status({})).totals.datagrams === sent, `${sent} datagrams read`);
    };

    // Two real sensors first, so they hold rows before the flood.
    const real = (n: number) =>
      Array.from({ length: n }, (_, i) => buildTzsp(arpRequest, { encapsulation: 1, deviceName: 'edge', packetId: i }));
    await blast('127.0.0.2', real(10));
    await blast(
      '127.0.0.3',
      Array.from({ length: 10 }, () => Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), arpRequest])),
    );

    // 40 addresses × 400 invented names = 16,000 sensors asked for; table cap 1024, 256 names per address.
    const addresses = Array.from({ length: 40 }, (_, i) => `127.0.1.${i + 1}`);
    const namesPerAddress = 400;
    for (const address of addresses) {
      await blast(
        address,
        Array.from({ length: namesPerAddress }, (_, i) =>
          buildTzsp(arpRequest, { encapsulation: 1, deviceName: `${'x'.repeat(200)}-${address}-${i}` }),
        ),
      );
    }
    // The real sensors keep sending after the flood, and keep their rows.
    await blast(
      '127.0.0.2',
      real(10).map((_, i) => buildTzsp(arpRequest, { encapsulation: 1, deviceName: 'edge', packetId: 10 + i })),
    );
    await blast(
      '127.0.0.3',
      Array.from({ length: 10 }, () => Buffer.concat([Buffer.from([1, 0, 0, 1, 1]), arpRequest])),
    );
    const expected = 40 + addresses.length * namesPerAddress;
    const status = await api.captures.status({});
    expect(status.totals).toMatchObject({ datagrams: expected, packets: expected, kernelDrops: 0 });
    const { maxSensors, namesPerAddress: quota } = defaultSensorLimits;
    expect([maxSensors, quota]).toEqual([1024, 256]); // the arithmetic below assumes these
    // Rows: the 2 real sensors; 127.0.1.1-3 fill their quota of 256 and get an overflow row each; 127.0.1.4 gets
    // the 251 rows left; everything else goes to the one table-wide overflow row (outside the cap).
    const rowsLeftFor4th = maxSensors - 2 - 3 * (quota + 1);
    const floodRows = 3 * quota + rowsLeftFor4th;
    expect(status.sensorCount).toBe(maxSensors + 1);
    expect(status.totals.tooManySensors).toBe(addresses.length * namesPerAddress - floodRows);
    expect(status.totals.evictedSensors).toBe(0); // nobody has been idle for a minute
    const row = (id: string) => status.sensors.find((s) => s.id === id);
    expect(row('edge@127.0.0.2')).toMatchObject({ packets: 20, gaps: 0 });
    expect(row('127.0.0.3')).toMatchObject({ packets: 20 });
    expect(row('…overflow@*')).toMatchObject({ packets: namesPerAddress - rowsLeftFor4th + 36 * namesPerAddress });
    // A status carries the most recent rows only, and stays small whatever the senders do (16,000 names of 200+ bytes).
    expect(status.sensors).toHaveLength(statusRows);
    expect(JSON.stringify(status).length).toBeLessThan(1_000_000);
    // Interfaces: the 1024 first sensor ids have one; the 1025th (the table-wide overflow row) writes into the overflow interface.
    expect(status.interfaceCount).toBe(defaultMaxInterfaces + 1);
    expect(status.interfaces.at(-1)).toMatchObject({ sensor: '…overflow', linktype: 1 });
    expect(status.interfaces.length).toBeLessThanOrEqual(statusRows);

    const final = await api.captures.stop({});
    host.close();
    expect(JSON.stringify(final).length).toBeLessThan(1_000_000);
    expect(formatSummary(final).length).toBeLessThan(20_000);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(150 * 1024 * 1024);
    // Nothing lost: every datagram's frame is in the recording.
    expect([...readCapture(readFileSync(path.join(dir, 'flood.pcapng')))]).toHaveLength(expected);
  });
});
