import { describe, expect, it } from 'vitest';
import { buildApi, apiShape } from '../../../main/contract/api.ts';
import { createClient } from '../../../main/contract/client.ts';
import { methodNames, streamNames } from '../../../main/contract/index.ts';
import type { DoctorEvent } from '../../../main/doctor/contract.ts';
import type { ClientMessage, HostMessage } from '../../../main/contract/wire.ts';
import { createHost } from '../../../main/host/host.ts';
import { channelPair } from '../../../main/host/in-process.ts';
import { createHandlerTable } from '../../../main/host/services.ts';
import { tempDir } from '../../support/temp-dir.ts';

const env = { ...process.env, LANYARD_HOME: tempDir() };

function connected() {
  const logs: string[] = [];
  const host = createHost(createHandlerTable({ transport: 'in-process', env }), (line) => logs.push(line));
  const [hostEnd, clientEnd] = channelPair<ClientMessage, HostMessage>();
  host.connect(hostEnd);
  return { host, hostEnd, clientEnd, logs, api: buildApi(createClient(clientEnd)) };
}

describe('client and host', () => {
  it('the namespaced api holds exactly the contract', () => {
    expect(apiShape(connected().api)).toEqual([...methodNames, ...streamNames].sort());
  });

  it('streams events in order and completes', async () => {
    const { api } = connected();
    const events: DoctorEvent[] = [];
    await new Promise<void>((resolve, reject) =>
      api.doctor.run({ only: ['openssl', 'bash'] }, { next: (e) => events.push(e), error: reject, complete: resolve }),
    );
    expect(events[0]).toMatchObject({ type: 'started', pending: [{ id: 'openssl' }, { id: 'bash' }] });
    expect(events.filter((e) => e.type === 'check')).toHaveLength(2);
    expect(events.at(-1)?.type).toBe('done');
  });

  it('drops malformed envelopes, logs them and keeps serving', async () => {
    const { clientEnd, logs, api } = connected();
    const garbage: unknown[] = [null, 'text', { t: 'req' }, { t: 'req', id: 'x', method: 'app.info' }, { t: 'what', id: 1 }];
    for (const message of garbage) clientEnd.send(message as ClientMessage);
    expect((await api.app.info({})).name).toBe('Lanyard');
    expect(logs.filter((l) => l.includes('malformed'))).toHaveLength(garbage.length);
  });

  it('an unsubscribed stream sends nothing more', async () => {
    const { api } = connected();
    let after = 0;
    let unsubscribed = false;
    await new Promise<void>((resolve) => {
      const stop = api.doctor.run(
        {},
        {
          next: () => {
            if (unsubscribed) after++;
            else {
              unsubscribed = true;
              stop();
              setTimeout(resolve, 300);
            }
          },
        },
      );
    });
    expect(after).toBe(0);
  });
});
