// History › Settings › Sync: set up (a new key) or join (the key's words) through a folder or a git remote; then
// each machine with its last contact, problems, sync now, the key as words and a QR code, and leave.
import { useCallback, useEffect, useState } from 'react';
import type { SyncEvent, SyncStatus } from '../../../../main/history/contract.ts';
import { agoPhrase } from '../../../../main/display/history-format.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { ProgressBar } from '../../components/ProgressBar.tsx';

type Progress = Extract<SyncEvent, { type: 'progress' }>;

function bytes(n: number): string {
  return n < 1e6 ? `${(n / 1e3).toFixed(1)} kB` : `${(n / 1e6).toFixed(1)} MB`;
}

function KeyView({ status }: { status: SyncStatus }) {
  if (!status.words || !status.qr) return null;
  return (
    <div className="history-sync-key">
      <ol className="history-sync-words mono" aria-label="Sync key words">
        {status.words.map((w, i) => (
          // biome-ignore lint/suspicious/noArrayIndexKey: a word may repeat; its place is its identity
          <li key={i}>
            <span className="muted">{i + 1}</span>
            {w}
          </li>
        ))}
      </ol>
      <svg className="history-sync-qr" viewBox={`0 0 ${status.qr.size} ${status.qr.size}`} role="img" aria-label="Sync key as a QR code">
        <rect width={status.qr.size} height={status.qr.size} fill="#fff" />
        <path d={status.qr.path} fill="#000" shapeRendering="crispEdges" />
      </svg>
    </div>
  );
}

export function SyncCard() {
  const api = useApi();
  const notices = useNotices();
  const [status, setStatus] = useState<SyncStatus | null>(null);
  const [showKey, setShowKey] = useState(false);
  const [kind, setKind] = useState<'folder' | 'git'>('folder');
  const [location, setLocation] = useState('');
  const [name, setName] = useState('');
  const [words, setWords] = useState('');
  const [progress, setProgress] = useState<Progress | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(
    (withKey: boolean) =>
      api.history.syncStatus({ withKey }).then(
        (s) => {
          setStatus(s);
          // Opened while a long first sync runs: its progress at once, before its next event.
          if (s.running) setProgress({ type: 'progress', phase: s.running.phase, done: s.running.done, total: s.running.total });
        },
        (e) => notices.showError(asServiceError(e), 'Sync'),
      ),
    [api, notices],
  );
  useEffect(() => {
    void load(showKey);
  }, [load, showKey]);
  // The host's own syncs (after new runs, when the folder changes): progress, then a fresh status.
  useEffect(
    () =>
      api.history.syncEvents(
        {},
        {
          next: (e) => {
            if (e.type === 'progress') setProgress(e);
            else {
              setProgress(null);
              setStatus((s) => ({ ...e.status, words: s?.words ?? null, qr: s?.qr ?? null }));
            }
          },
        },
      ),
    [api],
  );

  const follow = (
    what: string,
    start: (o: { next: (e: SyncEvent) => void; error: (e: unknown) => void; complete: () => void }) => void,
  ) => {
    setBusy(true);
    start({
      next: (e) => {
        if (e.type === 'progress') setProgress(e);
        else {
          setProgress(null);
          if (e.words) setShowKey(true);
          void load(e.words !== null || showKey);
          const r = e.report;
          notices.showInfo(
            `${what}: sent ${counted(r.wroteRecords, 'record')}, received ${counted(r.addedRuns, 'run')}${r.problems.length ? `, ${counted(r.problems.length, 'problem')}` : ''}`,
          );
        }
      },
      error: (error) => {
        setBusy(false);
        setProgress(null);
        notices.showError(asServiceError(error), what);
      },
      complete: () => setBusy(false),
    });
  };
  const target = () => (kind === 'folder' ? { kind, dir: location.trim() } : { kind, url: location.trim() });
  const named = name.trim() ? { name: name.trim() } : {};

  if (!status) return null;
  return (
    <div className="card history-sync">
      <h2>Sync</h2>
      {!status.setUp ? (
        <>
          <p className="muted small">
            Keep this machine's history with your others through a folder another program syncs (Syncthing, Dropbox, NFS) or a git remote of
            yours. Everything is encrypted here before it leaves; the key stays on your machines.
          </p>
          <div className="history-sync-form">
            <select aria-label="Sync through" value={kind} onChange={(e) => setKind(e.target.value as 'folder' | 'git')}>
              <option value="folder">a folder</option>
              <option value="git">a git remote</option>
            </select>
            <input
              className="mono"
              aria-label={kind === 'folder' ? 'Folder' : 'Git URL'}
              placeholder={kind === 'folder' ? '~/Sync/lanyard' : 'git@github.com:me/history.git'}
              value={location}
              onChange={(e) => setLocation(e.target.value)}
              spellCheck={false}
            />
            <input
              aria-label="This machine's name"
              placeholder="this machine's name (optional)"
              value={name}
              onChange={(e) => setName(e.target.value)}
            />
          </div>
          <button
            type="button"
            className="button"
            disabled={busy || !location.trim()}
            onClick={() => follow('Sync set up', (o) => api.history.syncSetup({ target: target(), ...named }, o))}
          >
            Set up with a new key
          </button>
          <p className="muted small">Or join a sync another machine set up, with its 24 key words:</p>
          <textarea
            className="mono history-sync-join"
            aria-label="Key words"
            rows={2}
            value={words}
            onChange={(e) => setWords(e.target.value)}
            spellCheck={false}
          />
          <button
            type="button"
            className="button"
            disabled={busy || !location.trim() || !words.trim()}
            onClick={() => follow('Joined', (o) => api.history.syncJoin({ target: target(), words, ...named }, o))}
          >
            Join
          </button>
        </>
      ) : (
        <>
          <p className="small">
            Through <span className="mono">{status.target?.location}</span> ({status.target?.kind})
            {status.lastSync ? <span className="muted"> · last sync {agoPhrase(status.lastSync)}</span> : null}
          </p>
          {status.lastError && <p className="small badge-error">Last sync failed: {status.lastError}</p>}
          <table className="history-sync-hosts">
            <thead>
              <tr>
                <th>Machine</th>
                <th>Last contact</th>
                <th>Records</th>
                <th>In the target</th>
              </tr>
            </thead>
            <tbody>
              {status.hosts.map((h) => (
                <tr key={h.hostId} data-host={h.name ?? ''}>
                  <td>
                    <span className="badge history-host">{h.name ?? h.hostId.slice(0, 8)}</span>
                    {h.self && <span className="muted small"> this machine</span>}
                  </td>
                  <td className="small">
                    {h.lastContact ? agoPhrase(h.lastContact) : 'never'}
                    {h.self && h.unsent > 0 ? <span className="muted"> · {h.unsent} to send</span> : null}
                  </td>
                  <td className="small">{h.records}</td>
                  <td className="small">{bytes(h.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          {status.problems.map((p) => (
            <p key={`${p.hostId}/${p.segment}`} className="small badge-warn">
              {p.hostId.slice(0, 8)}/{p.segment}: {p.kind === 'wrong-key' ? 'sealed with another key' : p.message} (skipped, tried again)
            </p>
          ))}
          <div className="history-sync-actions">
            <button type="button" className="button" disabled={busy} onClick={() => follow('Sync', (o) => api.history.syncNow({}, o))}>
              Sync now
            </button>
            <button type="button" className="button" onClick={() => setShowKey(!showKey)}>
              {showKey ? 'Hide the key' : 'Show the key'}
            </button>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() =>
                api.history.syncLeave({}).then(
                  (s) => {
                    setShowKey(false);
                    setStatus(s);
                    notices.showInfo('This machine no longer syncs; its history stays.');
                  },
                  (e) => notices.showError(asServiceError(e), 'Leave'),
                )
              }
            >
              Leave
            </button>
          </div>
          {showKey && (
            <>
              <p className="muted small">Type these words on the machine joining (or scan the code), in this order. Keep them private.</p>
              <KeyView status={status} />
            </>
          )}
        </>
      )}
      {progress && (
        <ProgressBar
          label={progress.phase === 'write' ? 'Sending records' : 'Applying segments'}
          done={progress.done}
          total={progress.total}
          running
        />
      )}
    </div>
  );
}

const counted = (n: number, noun: string) => `${n} ${noun}${n === 1 ? '' : 's'}`;
