// Port, bind address, allow-list and HEP (receive, forward) while stopped; where it listens and its totals while running.
import { useState, type FormEvent } from 'react';
import type { CaptureStatus } from '../../../../main/captures/contract.ts';
import { count } from './format.ts';

export interface ListenForm {
  port: number;
  bind: string;
  allow: string[];
  hep?: { port: number; bind: string; password?: string };
  hepForward?: string;
  hepForwardKey?: string;
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
  const [hepPort, setHepPort] = useState(last?.hep ? String(last.hep.port) : '');
  const [hepPassword, setHepPassword] = useState('');
  const [hepForward, setHepForward] = useState(last?.hepForward ?? '');
  const [hepForwardKey, setHepForwardKey] = useState('');
  const portNumber = Number(port);
  const portValid = Number.isInteger(portNumber) && portNumber >= 0 && portNumber <= 65535;
  const hepNumber = Number(hepPort);
  const hepValid = hepPort.trim() === '' || (Number.isInteger(hepNumber) && hepNumber > 0 && hepNumber <= 65535);

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
        {status.hep && <HepTotals hep={status.hep} />}
        {status.forward && (
          <div className="muted small" data-testid="hep-forward">
            Forwarding SIP and RTCP as HEPv3 to <span className="mono">{status.forward.target}</span>: {count(status.forward.sent)} sent
            {status.forward.rtcp > 0 ? ` (${count(status.forward.rtcp)} RTCP)` : ''}
            {status.forward.backlog + status.forward.failed > 0
              ? ` · ${count(status.forward.backlog + status.forward.failed)} not sent`
              : ''}
          </div>
        )}
      </div>
    );
  }

  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!portValid || !hepValid) return;
    const address = bind.trim() || '0.0.0.0';
    onStart({
      port: portNumber,
      bind: address,
      allow: allow.split(/[\s,]+/).filter(Boolean),
      ...(hepPort.trim() ? { hep: { port: hepNumber, bind: address, ...(hepPassword ? { password: hepPassword } : {}) } } : {}),
      ...(hepForward.trim() ? { hepForward: hepForward.trim(), ...(hepForwardKey ? { hepForwardKey } : {}) } : {}),
    });
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
      <label className="field">
        <span className="field-name">
          HEP port <span className="muted small">(Kamailio, FreeSWITCH; empty = off)</span>
        </span>
        <input
          className="input mono"
          inputMode="numeric"
          value={hepPort}
          onChange={(e) => setHepPort(e.target.value)}
          placeholder="9060"
          aria-invalid={!hepValid}
        />
      </label>
      <label className="field">
        <span className="field-name">HEP password</span>
        <input className="input mono" type="password" value={hepPassword} onChange={(e) => setHepPassword(e.target.value)} />
      </label>
      <label className="field grow">
        <span className="field-name">
          Forward to HOMER <span className="muted small">(HOST:PORT, as HEPv3)</span>
        </span>
        <input className="input mono" value={hepForward} onChange={(e) => setHepForward(e.target.value)} placeholder="homer.example:9060" />
      </label>
      <label className="field">
        <span className="field-name">HOMER auth key</span>
        <input
          className="input mono"
          type="password"
          value={hepForwardKey}
          onChange={(e) => setHepForwardKey(e.target.value)}
          disabled={!hepForward.trim()}
        />
      </label>
      <button type="submit" className="button primary" disabled={busy || !portValid || !hepValid}>
        {busy ? 'Starting…' : 'Start listening'}
      </button>
    </form>
  );
}

function HepTotals({ hep }: { hep: NonNullable<CaptureStatus['hep']> }) {
  const t = hep.totals;
  const where = hep.address.includes(':') ? `[${hep.address}]:${hep.port}` : `${hep.address}:${hep.port}`;
  const malformed = t.malformed + t.unsupported + t.noPayload + t.compressedTooLarge + t.tooLarge;
  return (
    <dl className="totals" data-testid="hep-totals" aria-label={`HEP on ${where}`}>
      <div>
        <dt>HEP messages</dt>
        <dd>{count(t.messages)}</dd>
      </div>
      <div>
        <dt>Wrong key</dt>
        <dd className={t.authFailed ? 'warn' : ''}>{count(t.authFailed)}</dd>
      </div>
      <div>
        <dt>HEP malformed</dt>
        <dd className={malformed ? 'warn' : ''} title="malformed, not HEP, no payload, compressed past 64 KiB, too large for a frame">
          {count(malformed)}
        </dd>
      </div>
      <div>
        <dt>TCP agents</dt>
        <dd title={`${t.connectionsRefused} refused, ${t.connectionsBroken} closed for not speaking HEP`}>{count(t.connections)}</dd>
      </div>
    </dl>
  );
}
