// The live container list (running / all), kept current by the engine's /events, with the lazydocker basics.
// Every action says which docker command it is.
import { useCallback, useEffect, useState } from 'react';
import type { ContainerAction, ContainerSummary } from '../../../../main/docker/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import type { ConfirmRequest } from './ConfirmDialog.tsx';
import { LogPane } from './LogPane.tsx';

interface Props {
  refresh: number;
  confirm(request: ConfirmRequest): void;
  openShell(container: string, shell: string): void;
}

const shells = ['sh', 'bash', 'ash'];

export function ContainersPanel({ refresh, confirm, openShell }: Props) {
  const api = useApi();
  const notices = useNotices();
  const [all, setAll] = useState(false);
  const [containers, setContainers] = useState<ContainerSummary[] | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [logs, setLogs] = useState<{ container: string; command: string } | null>(null);
  const [shell, setShell] = useState('sh');
  const [busy, setBusy] = useState<string | null>(null);
  const [commandLine, setCommandLine] = useState<string>('');

  // Events drive the list; a slow poll while the panel is open catches anything an event stream missed.
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((n) => n + 1), 5000);
    return () => clearInterval(timer);
  }, []);

  useEffect(() => {
    let live = true;
    api.docker.containers({ all }).then(
      (list) => live && (setContainers(list), setProblem(null)),
      (error: unknown) => live && setProblem(asServiceError(error).message),
    );
    return () => {
      live = false;
    };
  }, [api, all, refresh, tick]);

  /** Show the docker command an action runs, before it runs. */
  const describe = useCallback(
    (action: ContainerAction | 'logs' | 'shell', container: string) => {
      const request =
        action === 'logs'
          ? api.docker.render({ id: 'logs-follow', values: { container, lines: '200' } })
          : action === 'shell'
            ? api.docker.render({ id: 'exec-shell', values: { container, shell } })
            : api.docker.containerCommand({ action, container });
      void request.then(
        (r) => setCommandLine(r.command),
        () => setCommandLine(''),
      );
    },
    [api, shell],
  );

  const act = async (action: ContainerAction, container: string) => {
    const { command } = await api.docker.containerCommand({ action, container });
    const go = () => {
      setBusy(`${action}:${container}`);
      api.docker
        .containerAction({ action, container })
        .then(
          () => notices.showInfo(`${command} — done`),
          (error: unknown) => notices.showError(asServiceError(error), command),
        )
        .finally(() => setBusy(null));
    };
    if (action === 'remove' || action === 'stop')
      confirm({
        title: `${action === 'remove' ? 'Remove' : 'Stop'} ${container}?`,
        command,
        action: action === 'remove' ? 'Remove' : 'Stop',
        onConfirm: go,
      });
    else go();
  };

  const actionProps = (action: ContainerAction | 'logs' | 'shell', container: string) => ({
    onMouseEnter: () => describe(action, container),
    onFocus: () => describe(action, container),
  });

  return (
    <div className="containers">
      <div className="containers-toolbar">
        <div className="segmented" role="radiogroup" aria-label="Which containers">
          <button type="button" role="radio" aria-checked={!all} className={!all ? 'active' : ''} onClick={() => setAll(false)}>
            Running
          </button>
          <button type="button" role="radio" aria-checked={all} className={all ? 'active' : ''} onClick={() => setAll(true)}>
            All
          </button>
        </div>
        <label className="muted small">
          Shell{' '}
          <select value={shell} onChange={(e) => setShell(e.target.value)} aria-label="Shell to open">
            {shells.map((s) => (
              <option key={s}>{s}</option>
            ))}
          </select>
        </label>
        <code className="command-line mono" aria-live="polite" title="The docker command of the action under the pointer">
          {commandLine ? `$ ${commandLine}` : 'Point at an action to see its docker command'}
        </code>
      </div>
      {problem && <p className="field-error">{problem}</p>}
      {containers && containers.length === 0 && (
        <p className="muted">{all ? 'No containers on this engine.' : 'No running containers. Show all to see stopped ones.'}</p>
      )}
      {containers && containers.length > 0 && (
        <table className="tools container-table">
          <thead>
            <tr>
              <th>Name</th>
              <th>Image</th>
              <th>Status</th>
              <th>Ports</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {containers.map((c) => {
              const running = c.state === 'running';
              return (
                <tr key={c.id} data-container={c.name} data-state={c.state}>
                  <td className="mono">
                    <span className={`state-dot state-${c.state}`} aria-label={c.state} /> {c.name}
                  </td>
                  <td className="mono ellipsis">{c.image}</td>
                  <td>{c.status}</td>
                  <td className="mono small">{c.ports.join(', ')}</td>
                  <td className="row-actions">
                    <button
                      type="button"
                      className="link-button"
                      {...actionProps('logs', c.name)}
                      onClick={() =>
                        void api.docker
                          .render({ id: 'logs-follow', values: { container: c.name, lines: '200' } })
                          .then((r) => setLogs({ container: c.name, command: r.command }))
                      }
                    >
                      Logs
                    </button>
                    <button
                      type="button"
                      className="link-button"
                      disabled={!running}
                      {...actionProps('shell', c.name)}
                      onClick={() => openShell(c.name, shell)}
                    >
                      Shell
                    </button>
                    {running ? (
                      <>
                        <button
                          type="button"
                          className="link-button"
                          disabled={busy !== null}
                          {...actionProps('restart', c.name)}
                          onClick={() => void act('restart', c.name)}
                        >
                          Restart
                        </button>
                        <button
                          type="button"
                          className="link-button"
                          disabled={busy !== null}
                          {...actionProps('stop', c.name)}
                          onClick={() => void act('stop', c.name)}
                        >
                          Stop
                        </button>
                      </>
                    ) : (
                      <button
                        type="button"
                        className="link-button"
                        disabled={busy !== null}
                        {...actionProps('start', c.name)}
                        onClick={() => void act('start', c.name)}
                      >
                        Start
                      </button>
                    )}
                    <button
                      type="button"
                      className="link-button danger-text"
                      disabled={busy !== null}
                      {...actionProps('remove', c.name)}
                      onClick={() => void act('remove', c.name)}
                    >
                      Remove
                    </button>
                    {busy?.endsWith(`:${c.name}`) && <span className="spinner" aria-label="working" />}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {logs && <LogPane container={logs.container} command={logs.command} onClose={() => setLogs(null)} />}
    </div>
  );
}
