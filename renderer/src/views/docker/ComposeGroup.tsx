// A Compose project's row in the containers panel: its folder, files and profiles, and its actions (up -d,
// down, restart, logs -f, ps) as the commands they run, filled from the project.
import { useEffect, useState } from 'react';
import type { ComposeAction, ComposeProject } from '../../../../main/docker/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';

interface Props {
  project: string;
  running: number;
  total: number;
  /** Show this command in the panel's command line (pointer over an action). */
  describe(command: string): void;
  run(project: string, action: ComposeAction, command: string, danger: boolean): void;
}

const labels: Record<ComposeAction, string> = { up: 'Up', down: 'Down', restart: 'Restart', logs: 'Logs', ps: 'Ps' };

export function ComposeGroup({ project, running, total, describe, run }: Props) {
  const api = useApi();
  const [details, setDetails] = useState<ComposeProject | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api.docker.composeProject({ project }).then(
      (found) => live && setDetails(found),
      (error: unknown) => live && setProblem(asServiceError(error).message),
    );
    return () => {
      live = false;
    };
  }, [api, project]);

  return (
    <div className="compose-group" data-project={project}>
      <div className="compose-title">
        <span className="badge">Compose</span> <strong className="mono">{project}</strong>{' '}
        <span className="muted small">
          {running}/{total} running
        </span>
        <span className="row-actions compose-actions">
          {(details?.actions ?? []).map((a) => (
            <button
              key={a.action}
              type="button"
              className={`link-button${a.danger ? ' danger-text' : ''}`}
              onMouseEnter={() => describe(a.command)}
              onFocus={() => describe(a.command)}
              onClick={() => run(project, a.action, a.command, a.danger)}
            >
              {labels[a.action]}
            </button>
          ))}
        </span>
      </div>
      <div className="muted small compose-facts">
        {details ? (
          <>
            <span title="Folder">📁 {details.workingDir ?? 'folder unknown'}</span>
            <span className="mono" title="Compose files">
              {details.configFiles.map((f) => f.split('/').pop()).join(', ') || 'files unknown'}
            </span>
            <span className="compose-profiles">profiles: {details.profiles.length ? details.profiles.join(', ') : 'none'}</span>
            {details.problems.map((p) => (
              <span key={p} className="field-error">
                {p}
              </span>
            ))}
          </>
        ) : (
          (problem ?? 'Reading the project…')
        )}
      </div>
    </div>
  );
}
