// "Install the `lanyard` command" from the app, as VS Code's "Install 'code' command in PATH": whether `lanyard` in the
// user's bin folder runs this install, and a button doing what `lanyard install-command` does, with what it said.
import { useCallback, useEffect, useState } from 'react';
import type { ServiceError } from '../../../../main/contract/errors.ts';
import type { CommandState } from '../../../../main/doctor/contract.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';

const stateText: Record<CommandState['installed'], string> = {
  this: 'runs this Lanyard',
  other: 'is another program, not this Lanyard',
  none: 'is not installed',
};

export function CommandCard() {
  const api = useApi();
  const notices = useNotices();
  const [state, setState] = useState<CommandState | null>(null);
  const [said, setSaid] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    void api.doctor.commandState({}).then(setState, (error: ServiceError) => notices.showError(error, 'The lanyard command'));
  }, [api, notices]);

  const install = useCallback(
    (force: boolean) => {
      setBusy(true);
      api.doctor
        .installCommand({ force })
        .then(
          (result) => {
            setState(result.state);
            setSaid(result.message);
          },
          (error: ServiceError) => notices.showError(error, 'Install the lanyard command'),
        )
        .finally(() => setBusy(false));
    },
    [api, notices],
  );

  const status = state?.installed === 'this' ? (state.onPath ? 'ok' : 'warn') : state?.installed === 'other' ? 'warn' : 'missing';
  return (
    <div className="card" data-card="command">
      <h2>The lanyard command</h2>
      <p className="muted small">
        Run Lanyard from any folder in your terminal: <code>lanyard cert localhost</code> in a project writes there.
      </p>
      {state ? (
        <>
          <p data-command-state={state.installed}>
            <span className={`badge badge-${status}`}>
              {state.installed === 'this' ? 'Installed' : state.installed === 'other' ? 'Taken' : 'Missing'}
            </span>{' '}
            <span className="mono">{state.file}</span> {stateText[state.installed]}
            {state.installed === 'this' && !state.onPath ? ', but its folder is not on your PATH yet' : ''}.
          </p>
          <div className="view-actions">
            {state.installed === 'none' ? (
              <button type="button" className="button primary" disabled={busy} onClick={() => install(false)}>
                Install 'lanyard' command in PATH
              </button>
            ) : null}
            {state.installed === 'other' ? (
              <button type="button" className="button" disabled={busy} onClick={() => install(true)}>
                Replace it with this Lanyard's
              </button>
            ) : null}
          </div>
          {said ? (
            <pre className="mono small" data-command-said aria-live="polite">
              {said}
            </pre>
          ) : null}
        </>
      ) : (
        <p className="muted">Looking for the lanyard command…</p>
      )}
    </div>
  );
}
