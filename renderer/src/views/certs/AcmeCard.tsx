// The ACME server's card: on/off, the directory URL to copy, validity and allowed names, and the recent orders
// with what each challenge fetched from where and why it failed, and each client's setup for this directory.
import { type FormEvent, useCallback, useEffect, useRef, useState } from 'react';
import type { AcmeState } from '../../../../main/certs/contract.ts';
import type { ServiceError } from '../../../../main/contract/errors.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { AcmeClients } from './AcmeClients.tsx';

/** Hours as the CLI writes them: 7d, 36h, 90m. */
export function validityText(hours: number): string {
  if (hours % 24 === 0) return `${hours / 24}d`;
  return Number.isInteger(hours) ? `${hours}h` : `${Math.round(hours * 60)}m`;
}

function hoursOf(text: string): number | null {
  const match = /^(\d{1,6})([dhm]?)$/.exec(text.trim());
  if (!match) return null;
  const n = Number(match[1]);
  const hours = match[2] === 'h' ? n : match[2] === 'm' ? n / 60 : n * 24;
  return hours >= 1 ? hours : null;
}

export function AcmeCard({ onChanged }: { onChanged: () => Promise<void> }) {
  const api = useApi();
  const notices = useNotices();
  const [state, setShown] = useState<AcmeState | null>(null);
  /** The newest order shown, so a poll that finds a newer one refreshes the inventory too. */
  const newest = useRef('');
  const setState = useCallback((next: AcmeState) => {
    newest.current = next.orders[0]?.id ?? '';
    setShown(next);
  }, []);
  const [working, setWorking] = useState(false);
  const [port, setPort] = useState('');
  const [validity, setValidity] = useState('');
  const [names, setNames] = useState('');
  const [resolveLocal, setResolveLocal] = useState(false);
  const [httpPort, setHttpPort] = useState('');
  const [tlsPort, setTlsPort] = useState('');
  const [dnsServer, setDnsServer] = useState('');

  const load = useCallback(async () => {
    try {
      const next = await api.certs.acmeState({});
      setState(next);
      setPort(String(next.settings.port));
      setValidity(validityText(next.settings.validityHours));
      setNames(next.settings.names.join(', '));
      setResolveLocal(next.settings.resolveLocal);
      setHttpPort(String(next.settings.httpPort));
      setTlsPort(String(next.settings.tlsPort));
      setDnsServer(next.settings.dnsServer ?? '');
    } catch (error) {
      notices.showError(error as ServiceError, 'ACME server');
    }
  }, [api, notices, setState]);

  useEffect(() => {
    void load();
  }, [load]);

  // While it runs, clients may order at any time: the order list follows without a click.
  const running = state?.running ?? false;
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => {
      api.certs.acmeState({}).then(
        (next) => {
          // A new order may have issued a certificate: the inventory below follows.
          const changed = (next.orders[0]?.id ?? '') !== newest.current;
          setState(next);
          if (changed) void onChanged();
        },
        () => undefined,
      );
    }, 3000);
    return () => clearInterval(timer);
  }, [api, running, onChanged, setState]);

  const act = async (what: string, fn: () => Promise<AcmeState>) => {
    setWorking(true);
    try {
      setState(await fn());
      // The view's refresh checks trust stores with outside tools: the card does not wait for it.
      void onChanged();
    } catch (error) {
      notices.showError(error as ServiceError, what);
    } finally {
      setWorking(false);
    }
  };

  const start = (event?: FormEvent) => {
    event?.preventDefault();
    const hours = hoursOf(validity);
    if (hours === null) return notices.showInfo('Validity: a number with d, h or m (7d, 36h, 90m), at least 1 hour');
    void act('Start ACME server', () =>
      api.certs.acmeStart({
        port: Number(port),
        validityHours: hours,
        names: names
          .split(',')
          .map((n) => n.trim())
          .filter(Boolean),
        resolveLocal,
        httpPort: Number(httpPort),
        tlsPort: Number(tlsPort),
        dnsServer: dnsServer.trim() || null,
      }),
    );
  };

  if (!state) return null;
  const copy = (text: string, what: string) => void navigator.clipboard?.writeText(text).then(() => notices.showInfo(`${what} copied`));

  return (
    <section className="card certs-acme" aria-labelledby="acme-title">
      <div className="certs-stores-head">
        <h2 id="acme-title">ACME server</h2>
        <span className={`badge ${state.running ? 'badge-ok' : 'badge-pending'}`}>{state.running ? 'Running' : 'Off'}</span>
        {state.running ? (
          <button
            type="button"
            className="button"
            disabled={working}
            onClick={() => void act('Stop ACME server', () => api.certs.acmeStop({}))}
          >
            Turn off
          </button>
        ) : (
          <button type="button" className="button primary" disabled={working} onClick={() => start()}>
            Turn on
          </button>
        )}
      </div>
      <p className="muted">
        certbot, lego, Caddy and Traefik get short-lived certificates from this CA and renew them on their own. Validation connects to the
        address each name resolves to{state.settings.resolveLocal ? ' — here, always 127.0.0.1' : ' on this machine'}, on ports{' '}
        {state.settings.httpPort} (http-01) and {state.settings.tlsPort} (tls-alpn-01)
        {state.settings.dnsServer ? `; dns-01 asks the DNS server at ${state.settings.dnsServer}` : ''}.
      </p>
      {!state.running && state.elsewhere && (
        <p className="muted" data-testid="acme-elsewhere">
          <code>lanyard acme serve</code> is running on this data at <code>{state.elsewhere}</code>; the setup below is for it.
        </p>
      )}
      {state.lastError && (
        <p className="certs-acme-error" role="alert">
          Did not start: {state.lastError}
        </p>
      )}
      {state.running && state.directoryUrl && (
        <div className="certs-row">
          <span>Directory</span>
          <div className="certs-acme-url">
            <code data-testid="acme-directory">{state.directoryUrl}</code>
            <button type="button" className="link-button" onClick={() => copy(state.directoryUrl!, 'Directory URL')}>
              copy
            </button>
            {state.caFile && (
              <button type="button" className="link-button" onClick={() => copy(state.caFile!, 'CA file path')} title={state.caFile}>
                copy CA path
              </button>
            )}
          </div>
        </div>
      )}
      <AcmeClients url={state.directoryUrl} />
      <form className="certs-form" onSubmit={start} aria-label="ACME settings">
        <div className="certs-row">
          <label htmlFor="acme-port">Port</label>
          <input id="acme-port" inputMode="numeric" value={port} onChange={(e) => setPort(e.target.value)} />
        </div>
        <div className="certs-row">
          <label htmlFor="acme-validity">Validity</label>
          <input id="acme-validity" value={validity} onChange={(e) => setValidity(e.target.value)} placeholder="7d, 36h, 90m" />
        </div>
        <div className="certs-row">
          <label htmlFor="acme-names">Allowed names</label>
          <input id="acme-names" value={names} onChange={(e) => setNames(e.target.value)} placeholder="localhost, *.test, local-ips" />
        </div>
        <div className="certs-row">
          <label htmlFor="acme-http-port">Validation ports</label>
          <div className="certs-acme-url">
            <input
              id="acme-http-port"
              aria-label="http-01 port"
              inputMode="numeric"
              value={httpPort}
              onChange={(e) => setHttpPort(e.target.value)}
            />
            <input
              id="acme-tls-port"
              aria-label="tls-alpn-01 port"
              inputMode="numeric"
              value={tlsPort}
              onChange={(e) => setTlsPort(e.target.value)}
            />
            <span className="muted small">80 and 443 as the RFCs say; other ports for clients that cannot bind those</span>
          </div>
        </div>
        <div className="certs-row">
          <label htmlFor="acme-dns-server">DNS server</label>
          <div className="certs-acme-url">
            <input id="acme-dns-server" value={dnsServer} onChange={(e) => setDnsServer(e.target.value)} placeholder="127.0.0.1:5353" />
            <span className="muted small">for dns-01: where your DNS hook publishes _acme-challenge records (empty: no dns-01)</span>
          </div>
        </div>
        <div className="certs-row">
          <span />
          <label className="certs-check">
            <input type="checkbox" checked={resolveLocal} onChange={(e) => setResolveLocal(e.target.checked)} /> Resolve every name to
            127.0.0.1 (dev names with no DNS)
          </label>
        </div>
        <div className="certs-row">
          <span />
          <button type="submit" className="button" disabled={working}>
            {state.running ? 'Apply and restart' : 'Save and turn on'}
          </button>
        </div>
      </form>
      <h3>Recent orders</h3>
      {state.orders.length === 0 ? (
        <p className="muted">No orders yet.</p>
      ) : (
        <ul className="certs-acme-orders" aria-label="Recent ACME orders">
          {state.orders.map((order) => (
            <li key={order.id} data-order-status={order.status}>
              <div>
                <span
                  className={`badge ${order.status === 'valid' ? 'badge-ok' : order.status === 'invalid' ? 'badge-error' : 'badge-pending'}`}
                >
                  {order.status}
                </span>{' '}
                <strong>{order.identifiers.map((i) => i.value).join(', ')}</strong>{' '}
                <span className="muted small">
                  {order.client} · {new Date(order.createdAt).toLocaleString()}
                </span>
              </div>
              {order.challenges.map((c) => (
                <div key={`${c.identifier}-${c.type}`} className="small certs-acme-challenge">
                  <span className="mono">{c.type}</span> {c.status}
                  {c.attempt && <span className="mono"> — {c.attempt}</span>}
                </div>
              ))}
              {order.error && !order.challenges.some((c) => c.error) && <div className="small certs-acme-error">{order.error}</div>}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
