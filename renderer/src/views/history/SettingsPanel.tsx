// Settings: capture hooks per shell (status, install/remove), pause, secret patterns and what happens to a secret,
// re-scanning stored history for secrets, sync across machines, and importing old history.
import { useCallback, useEffect, useState } from 'react';
import type { HistorySettings, HookStatus, ImportEvent, RedactEvent, ShellName } from '../../../../main/history/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { ProgressBar } from '../../components/ProgressBar.tsx';
import { SyncCard } from './SyncCard.tsx';

function ImportCard() {
  const api = useApi();
  const notices = useNotices();
  const [running, setRunning] = useState(false);
  const [log, setLog] = useState<string[]>([]);
  const [progress, setProgress] = useState<{ path: string; done: number; total: number } | null>(null);

  const start = () => {
    setRunning(true);
    setLog([]);
    api.history.import(
      {},
      {
        next: (e: ImportEvent) => {
          if (e.type === 'progress') setProgress(e);
          else if (e.type === 'file') setLog((l) => [...l, `${e.source}: ${e.path}`]);
          else if (e.type === 'problem') setLog((l) => [...l, `  line ${e.line}: ${e.message} (skipped)`]);
          else setLog((l) => [...l, `  read ${e.read}, added ${e.added}, dropped as secrets ${e.skipped}`]);
        },
        error: (error) => {
          setRunning(false);
          notices.showError(error, 'Import');
        },
        complete: () => {
          setRunning(false);
          notices.showInfo('Import finished');
        },
      },
    );
  };
  return (
    <div className="card">
      <h2>Import old history</h2>
      <p className="muted small">
        Reads ~/.bash_history, ~/.zsh_history, fish's history and an atuin database where they exist. Importing twice adds nothing.
      </p>
      <button type="button" className="button" onClick={start} disabled={running}>
        {running ? 'Importing…' : 'Import my shell history'}
      </button>
      {progress && running && <ProgressBar label="Import" done={progress.done} total={progress.total} running />}
      {log.length > 0 && <pre className="history-log mono small">{log.join('\n')}</pre>}
    </div>
  );
}

/** Runs the secret rules over what is already stored (`lanyard history redact`), with its progress. */
function RescanButton({ action }: { action: HistorySettings['secretAction'] }) {
  const api = useApi();
  const notices = useNotices();
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<string | null>(null);

  const start = () => {
    setProgress({ done: 0, total: 0 });
    setResult(null);
    api.history.redact(
      {},
      {
        next: (e: RedactEvent) => {
          if (e.type === 'progress') setProgress(e);
          else
            setResult(
              `Scanned ${e.scanned} commands: ${e.action === 'drop' ? 'deleted' : 'redacted'} ${e.commands} holding a secret (${e.runs} ${e.runs === 1 ? 'run' : 'runs'}).`,
            );
        },
        error: (error) => {
          setProgress(null);
          notices.showError(error, 'Re-scan');
        },
        complete: () => setProgress(null),
      },
    );
  };
  return (
    <div className="history-rescan">
      <button type="button" className="button" onClick={start} disabled={progress !== null}>
        {progress ? 'Re-scanning…' : 'Re-scan existing history'}
      </button>{' '}
      <span className="muted small">
        {action === 'drop' ? 'Deletes' : 'Redacts'} stored commands that hold a secret under the rules above.
      </span>
      {progress && <ProgressBar label="Re-scan" done={progress.done} total={progress.total} running />}
      {result && (
        <p className="small" role="status">
          {result}
        </p>
      )}
    </div>
  );
}

export function SettingsPanel({ onHooks }: { onHooks: (hooks: HookStatus[]) => void }) {
  const api = useApi();
  const notices = useNotices();
  const [hooks, setHooks] = useState<HookStatus[] | null>(null);
  const [settings, setSettings] = useState<HistorySettings | null>(null);
  const [extra, setExtra] = useState('');
  const [classic, setClassic] = useState(false);
  const fail = useCallback((context: string) => (error: unknown) => notices.showError(asServiceError(error), context), [notices]);

  const loadHooks = useCallback(
    () =>
      api.history.hooks({}).then((h) => {
        setHooks(h);
        onHooks(h);
      }, fail('Hooks')),
    [api, fail, onHooks],
  );

  useEffect(() => {
    void loadHooks();
    api.history.settings({}).then((s) => {
      setSettings(s);
      setExtra(s.extraSecrets.join('\n'));
    }, fail('History settings'));
  }, [api, fail, loadHooks]);

  const toggle = (shell: ShellName, installed: boolean) =>
    (installed ? api.history.uninstall({ shell }) : api.history.install({ shell, classicBash: shell === 'bash' && classic })).then(
      (change) => {
        notices.showInfo(
          change.changed ? `${change.rcFile} updated${change.backup ? ` (backup ${change.backup})` : ''}` : 'Nothing to change',
        );
        void loadHooks();
      },
      fail(`${installed ? 'Removing' : 'Installing'} the ${shell} hook`),
    );

  const update = (change: Partial<HistorySettings>) =>
    api.history.updateSettings(change).then((s) => {
      setSettings(s);
      notices.showInfo('Saved');
    }, fail('History settings'));

  return (
    <div className="history-settings">
      <div className="card">
        <h2>Capture hooks</h2>
        <p className="muted small">
          A few lines in each shell's startup file record every command with shell builtins only. New terminals pick it up.
        </p>
        <table className="history-hooks">
          <tbody>
            {(hooks ?? []).map((h) => (
              <tr key={h.shell} data-shell={h.shell}>
                <td className="mono">{h.shell}</td>
                <td>
                  {h.installed ? (
                    <span className="badge badge-ok">installed</span>
                  ) : (
                    <span className="badge badge-pending">not installed</span>
                  )}
                </td>
                <td className="mono small muted">{h.rcFile}</td>
                <td>
                  <button
                    type="button"
                    className="button"
                    onClick={() => void toggle(h.shell, h.installed)}
                    disabled={!h.shellPath && !h.installed}
                    title={h.shellPath ? '' : `${h.shell} is not installed`}
                  >
                    {h.installed ? 'Remove' : 'Install'}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <label className="small">
          <input type="checkbox" checked={classic} onChange={(e) => setClassic(e.target.checked)} /> With bash, also keep bash's own history
          long (HISTSIZE, HISTTIMEFORMAT, histappend)
        </label>
      </div>
      {settings && (
        <div className="card">
          <h2>Recording</h2>
          <label>
            <input type="checkbox" checked={settings.paused} onChange={(e) => void update({ paused: e.target.checked })} /> Pause recording
            in every shell (incognito)
          </label>
          <p className="muted small">
            For one terminal only: <code>export LANYARD_HISTORY_OFF=1</code>. Commands starting with a space are never recorded.
          </p>
          <label>
            <input type="checkbox" checked={settings.upArrow} onChange={(e) => void update({ upArrow: e.target.checked })} /> Up-arrow
            recalls this directory's commands first, then this session's, then everything (new terminals; off: the shell's own Up)
          </label>
          <h3>Secrets</h3>
          <label>
            <input type="checkbox" checked={settings.defaultSecrets} onChange={(e) => void update({ defaultSecrets: e.target.checked })} />{' '}
            Detect known secrets (cloud keys, GitHub / GitLab / Slack / Stripe / OpenAI / npm tokens, JWTs, bearer and basic auth, passwords
            in URLs and -p / --password flags, private keys, …SECRET…=, …TOKEN…=, …PASSWORD…=)
          </label>
          <p className="muted small">Your own patterns, one regular expression per line:</p>
          <textarea
            className="mono history-patterns"
            aria-label="Extra secret patterns"
            value={extra}
            onChange={(e) => setExtra(e.target.value)}
            rows={4}
            spellCheck={false}
          />
          <div>
            <button
              type="button"
              className="button"
              onClick={() =>
                void update({
                  extraSecrets: extra
                    .split('\n')
                    .map((l) => l.trim())
                    .filter(Boolean),
                })
              }
            >
              Save patterns
            </button>
          </div>
          <fieldset className="history-secret-action">
            <legend className="small">A command holding a secret is</legend>
            <label>
              <input
                type="radio"
                name="secret-action"
                value="redact"
                checked={settings.secretAction === 'redact'}
                onChange={() => void update({ secretAction: 'redact' })}
              />{' '}
              kept, with the secret replaced by <code>‹redacted›</code> (still findable)
            </label>
            <label>
              <input
                type="radio"
                name="secret-action"
                value="drop"
                checked={settings.secretAction === 'drop'}
                onChange={() => void update({ secretAction: 'drop' })}
              />{' '}
              not recorded at all
            </label>
          </fieldset>
          <RescanButton action={settings.secretAction} />
        </div>
      )}
      <SyncCard />
      <ImportCard />
    </div>
  );
}
