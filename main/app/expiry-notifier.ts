// Notifies the user (OS notification) when a certificate Lanyard issued is 14 days or less from expiry.
// Main asks the service host like any window does: through its own MessagePort to the host.
import { MessageChannelMain, Notification, type UtilityProcess } from 'electron';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createClient } from '../contract/client.ts';
import type { ClientMessage, HostMessage } from '../contract/wire.ts';
import { electronPortChannel } from '../host/port-channel.ts';
import { dueWarnings, warnDays } from './expiry-warnings.ts';

const checkEveryMs = 6 * 60 * 60 * 1000;

export function startExpiryNotifier(host: UtilityProcess, dataDir: string, showCertificates: () => void): () => void {
  const { port1, port2 } = new MessageChannelMain();
  host.postMessage({ t: 'connect' }, [port2]);
  const client = createClient(electronPortChannel<HostMessage, ClientMessage>(port1));
  const warnedFile = path.join(dataDir, 'expiry-warned.json');
  const warned = new Set<string>(readWarned(warnedFile));

  const check = async () => {
    if (!Notification.isSupported()) return;
    const entries = await client.request('certs.list', { expiringWithinDays: warnDays }).catch(() => []);
    for (const warning of dueWarnings(entries, warned)) {
      const notification = new Notification({ title: warning.title, body: warning.body });
      notification.on('click', showCertificates);
      notification.show();
      warned.add(warning.key);
    }
    writeFileSync(warnedFile, JSON.stringify([...warned]), { mode: 0o600 });
  };

  const first = setTimeout(() => void check(), 30_000);
  const timer = setInterval(() => void check(), checkEveryMs);
  return () => {
    clearTimeout(first);
    clearInterval(timer);
    port1.close();
  };
}

function readWarned(file: string): string[] {
  try {
    const list = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(list) ? list.filter((k): k is string => typeof k === 'string') : [];
  } catch {
    return [];
  }
}
