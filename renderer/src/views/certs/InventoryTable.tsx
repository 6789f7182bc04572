// Every issued certificate, soonest expiry first, with its actions. Virtualised: the list may hold thousands.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useRef, useState } from 'react';
import type { InventoryEntry } from '../../../../main/certs/contract.ts';
import type { ServiceError } from '../../../../main/contract/errors.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { timeLeft } from '../../../../main/display/time-left.ts';
import { shortDate } from './useCerts.ts';

const rowHeight = 46;

export function InventoryTable({ entries, onChanged }: { entries: InventoryEntry[]; onChanged: () => Promise<void> }) {
  const api = useApi();
  const notices = useNotices();
  const listRef = useRef<HTMLDivElement>(null);
  const [busy, setBusy] = useState<number | null>(null);
  const [confirming, setConfirming] = useState<number | null>(null);
  const virtual = useVirtualizer({
    count: entries.length,
    getScrollElement: () => listRef.current,
    estimateSize: () => rowHeight,
    overscan: 8,
  });

  const act = async (id: number, what: string, fn: () => Promise<unknown>) => {
    setBusy(id);
    try {
      await fn();
    } catch (error) {
      notices.showError(error as ServiceError, what);
    } finally {
      setBusy(null);
    }
  };
  const copy = (text: string, what: string) => navigator.clipboard?.writeText(text).then(() => notices.showInfo(`${what} copied`));

  if (entries.length === 0)
    return (
      <p className="muted">
        Nothing issued yet. Certificates issued here or with <code>lanyard cert</code> show up in this list.
      </p>
    );

  return (
    <div className="certs-table" role="table" aria-label="Issued certificates" aria-rowcount={entries.length}>
      <div className="certs-tr certs-th" role="row">
        <span role="columnheader">Expires</span>
        <span role="columnheader">Names</span>
        <span role="columnheader">Key</span>
        <span role="columnheader">File</span>
        <span role="columnheader" className="certs-actions-head">
          Actions
        </span>
      </div>
      <div ref={listRef} className="certs-scroll">
        <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
          {virtual.getVirtualItems().map((item) => {
            const e = entries[item.index]!;
            const file = e.certFile ?? e.p12File ?? '';
            const acme = e.acme;
            const left = timeLeft(e.notAfter, e.revokedAt);
            return (
              <div
                key={e.id}
                role="row"
                data-cert-id={e.id}
                className="certs-tr"
                style={{ position: 'absolute', top: 0, left: 0, right: 0, height: rowHeight, transform: `translateY(${item.start}px)` }}
              >
                <span role="cell">
                  <span className={`badge badge-${left.tone}`} title={`Until ${shortDate(e.notAfter)}`}>
                    {left.text}
                  </span>
                </span>
                <span role="cell" className="certs-names ellipsis" title={e.names.map((n) => n.value).join(' ')}>
                  {e.names.map((n) => n.value).join(' ')}
                  {e.client && <span className="badge badge-pending">client</span>}
                  {acme && (
                    <span
                      className="badge badge-pending"
                      title={`ACME account ${acme.account}${e.renewedAt ? `, last renewed ${shortDate(e.renewedAt)}` : ''}`}
                    >
                      ACME · {acme.client.split(' ')[0]}
                    </span>
                  )}
                  {!e.fromCurrentCa && (
                    <span className="badge badge-warn" title="Signed by a CA that is not the current one">
                      other CA
                    </span>
                  )}
                </span>
                <span role="cell" className="muted">
                  {e.keyType === 'ecdsa' ? 'ECDSA' : 'RSA'}
                </span>
                <span role="cell" className="mono small ellipsis" title={acme ? `${acme.client}, account ${acme.account}` : file}>
                  {/* An ACME certificate's files are the client's: say when it last renewed instead. */}
                  {acme ? (e.renewedAt ? `renewed ${shortDate(e.renewedAt)}` : `issued ${shortDate(e.createdAt)}`) : file}
                </span>
                <span role="cell" className="certs-actions">
                  {confirming === e.id ? (
                    <>
                      <button
                        type="button"
                        className="button"
                        onClick={() =>
                          void act(e.id, 'Delete', async () => {
                            await api.certs.remove({ id: e.id, deleteFiles: true });
                            setConfirming(null);
                            await onChanged();
                          })
                        }
                      >
                        Delete files
                      </button>
                      <button
                        type="button"
                        className="button"
                        onClick={() =>
                          void act(e.id, 'Forget', async () => {
                            await api.certs.remove({ id: e.id, deleteFiles: false });
                            setConfirming(null);
                            await onChanged();
                          })
                        }
                      >
                        Only forget
                      </button>
                      <button type="button" className="link-button" onClick={() => setConfirming(null)}>
                        cancel
                      </button>
                    </>
                  ) : (
                    <>
                      {/* An ACME certificate's files are its client's, wherever it keeps them. */}
                      {!acme && (
                        <>
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => void act(e.id, 'Reveal', () => api.certs.reveal({ id: e.id }))}
                          >
                            reveal
                          </button>
                          <button type="button" className="link-button" onClick={() => void copy(file, 'Path')}>
                            copy path
                          </button>
                        </>
                      )}
                      {(e.certFile || acme) && (
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => void act(e.id, 'Copy PEM', async () => copy((await api.certs.pem({ id: e.id })).pem, 'PEM'))}
                        >
                          copy PEM
                        </button>
                      )}
                      {acme ? (
                        <button
                          type="button"
                          className="button"
                          disabled={busy === e.id || e.revokedAt !== null}
                          title="Its ACME client renews it. Revoking is recorded here; no CRL or OCSP is published, so TLS clients are not told."
                          onClick={() =>
                            void act(e.id, 'Revoke', async () => {
                              await api.certs.acmeRevoke({ id: e.id });
                              notices.showInfo(`Revoked ${e.names[0]!.value}`);
                              await onChanged();
                            })
                          }
                        >
                          Revoke
                        </button>
                      ) : (
                        <button
                          type="button"
                          className="button"
                          disabled={busy === e.id}
                          title={e.fromCurrentCa ? undefined : 'Re-issues it under the current CA'}
                          onClick={() =>
                            void act(e.id, 'Renew', async () => {
                              await api.certs.renew({ id: e.id });
                              notices.showInfo(`Renewed ${e.names[0]!.value}`);
                              await onChanged();
                            })
                          }
                        >
                          {busy === e.id ? <span className="spinner" aria-label="Renewing" /> : 'Renew'}
                        </button>
                      )}
                      <button type="button" className="link-button certs-danger" onClick={() => setConfirming(e.id)}>
                        delete
                      </button>
                    </>
                  )}
                </span>
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
