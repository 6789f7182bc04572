// The CA: what it is, where it is trusted (per store, with install/uninstall), and the commands that ran.
import { useState } from 'react';
import type { CaState, StoreId, StoreStatus, TrustEvent } from '../../../../main/certs/contract.ts';
import type { ServiceError } from '../../../../main/contract/errors.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { CreateCaForm } from './CreateCaForm.tsx';
import { timeLeft } from '../../../../main/display/time-left.ts';
import { shortDate, type Scope } from './useCerts.ts';

interface LogLine {
  kind: 'command' | 'error' | 'store';
  text: string;
  ok?: boolean;
}

function StoreBadge({ store, busy }: { store: StoreStatus; busy: boolean }) {
  if (busy)
    return (
      <span className="badge badge-pending">
        <span className="spinner" aria-hidden="true" /> Working
      </span>
    );
  if (!store.available) return <span className="badge badge-pending">Not here</span>;
  if (store.installed) return <span className="badge badge-ok">Trusted</span>;
  return <span className="badge badge-missing">Not trusted</span>;
}

const copy = (text: string, notices: ReturnType<typeof useNotices>, what: string) =>
  void navigator.clipboard?.writeText(text).then(() => notices.showInfo(`${what} copied`));

export function CaCard({
  state,
  stores,
  scope,
  onScope,
  onChanged,
}: {
  state: CaState;
  stores: StoreStatus[] | null;
  scope: Scope | null;
  onScope(scope: Scope): void;
  onChanged: () => Promise<void>;
}) {
  const api = useApi();
  const notices = useNotices();
  const [busy, setBusy] = useState<StoreId[] | null>(null);
  const [log, setLog] = useState<LogLine[]>([]);
  const [manual, setManual] = useState<string[]>([]);
  const ca = state.ca;

  const change = (action: 'install' | 'uninstall', only?: StoreId[]) => {
    const targets = only ?? (stores ?? []).filter((s) => s.available).map((s) => s.id);
    setBusy(targets);
    setLog([]);
    setManual([]);
    api.certs.trust(
      { action, ...(scope ? { scope } : {}), ...(only ? { stores: only } : {}) },
      {
        next: (event: TrustEvent) => {
          if (event.type === 'command')
            setLog((l) => [...l, { kind: 'command', text: `${event.privileged ? '# ' : '$ '}${event.command}` }]);
          else if (event.type === 'result' && !event.ok) setLog((l) => [...l, { kind: 'error', text: event.output || 'failed' }]);
          else if (event.type === 'store')
            setLog((l) => [...l, { kind: 'store', text: `${event.status.label}: ${event.detail}`, ok: event.ok }]);
          else if (event.type === 'done') setManual(event.manual);
        },
        error: (error: ServiceError) => {
          notices.showError(error, action === 'install' ? 'Install' : 'Uninstall');
          setBusy(null);
        },
        complete: () => {
          setBusy(null);
          void onChanged();
        },
      },
    );
  };

  const adopt = async () => {
    try {
      await api.certs.adoptCa({});
      await onChanged();
    } catch (error) {
      notices.showError(error as ServiceError, 'Adopt mkcert CA');
    }
  };

  if (!ca) {
    return (
      <section className="card certs-ca" aria-labelledby="ca-title">
        <h2 id="ca-title">Local CA</h2>
        <p className="muted">
          No CA yet in <code>{state.dir}</code>. Create one, or issue a certificate and a default (ECDSA, unconstrained) CA is made for you.
        </p>
        {state.mkcertHasCa && (
          <p className="certs-adopt">
            mkcert already has a CA in <code>{state.mkcertDir}</code>.{' '}
            <button type="button" className="button" onClick={() => void adopt()}>
              Use mkcert's CA
            </button>
          </p>
        )}
        <CreateCaForm proposed={state.proposedPermits} own={state.ownDomains} onCreated={onChanged} />
      </section>
    );
  }

  const left = timeLeft(ca.notAfter);
  return (
    <section className="card certs-ca" aria-labelledby="ca-title">
      <div className="certs-ca-head">
        <div>
          <h2 id="ca-title">Local CA</h2>
          <div className="certs-ca-subject">{ca.subject}</div>
        </div>
        <span className={`badge badge-${left.tone}`} title={`Expires ${shortDate(ca.notAfter)}`}>
          {left.text}
        </span>
      </div>
      <dl className="facts certs-facts">
        <div>
          <dt>Folder</dt>
          <dd className="mono">
            {state.dir} <span className="muted">({state.source === 'CAROOT' ? '$CAROOT' : state.source})</span>
          </dd>
        </div>
        <div>
          <dt>SHA-256</dt>
          <dd className="mono certs-fingerprint">
            {ca.fingerprint}{' '}
            <button type="button" className="link-button" onClick={() => copy(ca.fingerprint, notices, 'Fingerprint')}>
              copy
            </button>
          </dd>
        </div>
        <div>
          <dt>Key</dt>
          <dd>
            {ca.keyType === 'ecdsa' ? 'ECDSA P-256' : 'RSA'}
            {ca.encrypted ? ', passphrase-protected' : ''}
            {ca.hasKey ? '' : ' — key missing, cannot sign'}
          </dd>
        </div>
        <div>
          <dt>Valid</dt>
          <dd>
            {shortDate(ca.notBefore)} – {shortDate(ca.notAfter)}
          </dd>
        </div>
        <div>
          <dt>Names</dt>
          <dd>
            {ca.permits ? (
              <span className="certs-chips">
                {ca.permits.map((p) => (
                  <span key={p} className="chip">
                    {p}
                  </span>
                ))}
              </span>
            ) : (
              <span className="muted">Unconstrained: this root can vouch for any name (keep its key safe).</span>
            )}
          </dd>
        </div>
      </dl>

      <div className="certs-stores-head">
        <h2>Trust stores</h2>
        <div className="view-actions">
          {scope && (
            <select aria-label="Scope" value={scope} onChange={(e) => onScope(e.target.value as Scope)} disabled={busy !== null}>
              <option value="system">Whole machine (administrator)</option>
              <option value="user">Only me</option>
            </select>
          )}
          <button type="button" className="button primary" disabled={busy !== null || !stores} onClick={() => change('install')}>
            Install everywhere
          </button>
          <button type="button" className="button" disabled={busy !== null || !stores} onClick={() => change('uninstall')}>
            Uninstall everywhere
          </button>
        </div>
      </div>
      <table className="tools certs-stores">
        <tbody>
          {(stores ?? []).map((s) => (
            <tr key={s.id} data-store={s.id}>
              <td className="col-status">
                <StoreBadge store={s} busy={busy?.includes(s.id) ?? false} />
              </td>
              <td className="col-name">
                <div className="tool-name">{s.label}</div>
                {s.locations.map((l) => (
                  <div key={l} className="muted small mono ellipsis" title={l}>
                    {l}
                  </div>
                ))}
              </td>
              <td className="col-detail">{s.detail}</td>
              <td className="certs-store-actions">
                {s.available &&
                  (s.installed ? (
                    <button type="button" className="button" disabled={busy !== null} onClick={() => change('uninstall', [s.id])}>
                      Uninstall
                    </button>
                  ) : (
                    <button type="button" className="button" disabled={busy !== null} onClick={() => change('install', [s.id])}>
                      Install
                    </button>
                  ))}
              </td>
            </tr>
          ))}
          {!stores && (
            <tr>
              <td colSpan={4}>
                <span className="badge badge-pending">
                  <span className="spinner" aria-hidden="true" /> Checking stores
                </span>
              </td>
            </tr>
          )}
        </tbody>
      </table>

      {log.length > 0 && (
        <pre className="certs-log" aria-label="Trust store commands">
          {log.map((line, i) => (
            <div key={i} className={`certs-log-${line.kind}${line.ok === false ? ' certs-log-bad' : ''}`}>
              {line.text}
            </div>
          ))}
        </pre>
      )}
      {manual.length > 0 && (
        <div className="certs-manual">
          <strong>Run these yourself</strong> — they need privileges Lanyard does not have here:
          {manual.map((m) => (
            <div key={m} className="hint-command">
              <code>{m}</code>
              <button type="button" className="link-button" onClick={() => copy(m, notices, 'Command')}>
                copy
              </button>
            </div>
          ))}
        </div>
      )}

      <details className="certs-env">
        <summary>For Node, Python requests and OpenSSL tools, which ignore the system store</summary>
        {state.envLines.map((l) => (
          <div key={l} className="hint-command">
            <code>{l}</code>
            <button type="button" className="link-button" onClick={() => copy(l, notices, 'Line')}>
              copy
            </button>
          </div>
        ))}
      </details>
    </section>
  );
}
