// Port, bind address and allow-list while stopped; where it listens and its totals while running.
import { useState, type FormEvent } from 'react';
import type { CaptureStatus } from '../../../../main/captures/contract.ts';
import { count } from './format.ts';

export interface ListenForm {
  port: number;
  bind: string;
  allow: string[];
}

interface Props {
  status: CaptureStatus | null;
  busy: boolean;
  onStart(form: ListenForm): void;
}

export function ListenerControls({ status, busy, onStart }: Props) {
  const last = status?.settings;
  const [port, setPort] = useState(String(last?.port ?? 37008));
  const [bind, setBind] = useState(last?.bind ?? '0.0.0.0');
  const [allow, setAllow] = useState((last?.allow ?? []).join(', '));
  const portNumber = Number(port);
  const portValid = Number.isInteger(portNumber) && portNumber >= 0 && portNumber <= 65535;

  if (status?.running) {
    const t = status.totals;
    const where = status.address?.includes(':') ? `[${status.address}]:${status.port}` : `${status.address}:${status.port}`;
    return (
      <div className="card listener-running" data-testid="listener-running">
        <div>
          <span className="live-dot" aria-hidden="true" /> Listening on <span className="mono">{where}</span>
          <span className="muted">
            {' '}
            · receive buffer {Math.round(status.receiveBufferBytes / 1024)} KiB
            {status.settings?.allow.length ? ` · allowing ${status.settings.allow.join(', ')}` : ' · any sender'}
          </span>
        </div>
        <dl className="totals">
          <div>
            <dt>Packets</dt>
            <dd data-field="packets">{count(t.packets)}</dd>
          </div>
          <div>
            <dt>Datagrams</dt>
            <dd>{count(t.datagrams)}</dd>
          </div>
          <div>
            <dt>Malformed</dt>
            <dd className={t.malformed ? 'warn' : ''}>{count(t.malformed)}</dd>
          </div>
          <div>
            <dt>Keepalive</dt>
            <dd>{count(t.control)}</dd>
          </div>
          <div>
            <dt>Denied</dt>
            <dd className={t.denied ? 'warn' : ''}>{count(t.denied)}</dd>
          </div>
          <div>
            <dt>Too many sensors</dt>
            <dd
              className={t.tooManySensors ? 'warn' : ''}
              title={`Datagrams charged to an …overflow row; ${t.evictedSensors} idle sensors evicted`}
            >
              {count(t.tooManySensors)}
            </dd>
          </div>
          <div>
            <dt>Kernel drops</dt>
            <dd className={t.kernelDrops ? 'bad' : ''}>{t.kernelDrops === null ? '—' : count(t.kernelDrops)}</dd>
          </div>
        </dl>
      </div>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!portValid) return;
    onStart({ port: portNumber, bind: bind.trim() || '0.0.0.0', allow: allow.split(/[\s,]+/).filter(Boolean) });
  };

  return (
    <form className="card listener-form" onSubmit={submit} aria-label="Listener settings">
      <label className="field">
        <span className="field-name">UDP port</span>
        <input
          className="input mono"
          inputMode="numeric"
          value={port}
          onChange={(e) => setPort(e.target.value)}
          aria-invalid={!portValid}
        />
      </label>
      <label className="field">
        <span className="field-name">Listen address</span>
        <input className="input mono" value={bind} onChange={(e) => setBind(e.target.value)} placeholder="0.0.0.0 or :: for IPv6 too" />
      </label>
      <label className="field grow">
        <span className="field-name">
          Allowed senders <span className="muted small">(addresses or CIDR; empty = anyone)</span>
        </span>
        <input className="input mono" value={allow} onChange={(e) => setAllow(e.target.value)} placeholder="192.0.2.7, 10.0.0.0/8" />
      </label>
      <button type="submit" className="button primary" disabled={busy || !portValid}>
        {busy ? 'Starting…' : 'Start listening'}
      </button>
    </form>
  );
}
