// The live container list (running / all), kept current by the engine's events applied incrementally
// (useContainerList), grouped by Compose project, virtualised so 500 containers stay instant. Every action
// says which docker command it runs, before it runs.
import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { ComposeAction, ContainerAction, ContainerSummary } from '../../../../main/docker/contract.ts';
import { asServiceError } from '../../api/connect.ts';
import { useApi } from '../../api/context.tsx';
import { useNotices } from '../../components/Notices.tsx';
import { ComposeGroup } from './ComposeGroup.tsx';
import type { ConfirmRequest } from './ConfirmDialog.tsx';
import { containerRows } from './container-rows.ts';
import { LogPane } from './LogPane.tsx';
import { useContainerList } from './useContainerList.ts';

interface Props {
  confirm(request: ConfirmRequest): void;
  openShell(container: string, shell: string): void;
  openDebug(container: string, nonce: string | undefined): void;
  runCompose(project: string, action: ComposeAction, confirmed: boolean): void;
}

const shells = ['sh', 'bash', 'ash'];

export function ContainersPanel({ confirm, openShell, openDebug, runCompose }: Props) {
  const api = useApi();
  const notices = useNotices();
  const [all, setAll] = useState(false);
  const { containers, problem } = useContainerList(all);
  const [logs, setLogs] = useState<{ container: string; command: string } | null>(null);
  const [shell, setShell] = useState('sh');
  const [busy, setBusy] = useState<string | null>(null);
  const [commandLine, setCommandLine] = useState<string>('');
  const scrollRef = useRef<HTMLDivElement>(null);
  /** The debug plan last shown: its shell runs exactly the commands shown, and pointing again shows the same ones. */
  const shownDebug = useRef<{ container: string; nonce: string } | null>(null);
  const rows = useMemo(() => containerRows(containers ?? []), [containers]);
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.kind === 'group' ? 58 : rows[i]?.kind === 'pod' ? 41 : 37),
    overscan: 10,
  });

  // Only the rows in view are in the DOM; spacer rows above and below keep the table's height and semantics.
  const items = virtualizer.getVirtualItems();
  const before = items[0]?.start ?? 0;
  const after = virtualizer.getTotalSize() - (items.at(-1)?.end ?? 0);

  /** Show the docker command an action runs, before it runs. */
  const describe = useCallback(
    (action: ContainerAction | 'logs' | 'shell' | 'debug', container: string) => {
      const request =
        action === 'logs'
          ? api.docker.render({ id: 'logs-follow', values: { container, lines: '200' } })
          : action === 'shell'
            ? api.docker.render({ id: 'exec-shell', values: { container, shell } })
            : action === 'debug'
              ? api.docker
                  .debugPlan({ container, nonce: shownDebug.current?.container === container ? shownDebug.current.nonce : undefined })
                  .then((plan) => {
                    shownDebug.current = { container, nonce: plan.nonce };
                    return plan;
                  })
              : api.docker.containerCommand({ action, container });
      void request.then(
        (r) => setCommandLine(r.command),
        (error: unknown) => setCommandLine(action === 'debug' ? `# ${asServiceError(error).message}` : ''),
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

  const compose = (project: string, action: ComposeAction, command: string, danger: boolean) => {
    if (!danger) return runCompose(project, action, false);
    confirm({ title: `Take ${project} down?`, command, action: 'Down', onConfirm: () => runCompose(project, action, true) });
  };

  const actionProps = (action: ContainerAction | 'logs' | 'shell' | 'debug', container: string) => ({
    onMouseEnter: () => describe(action, container),
    onFocus: () => describe(action, container),
  });

  const containerRow = (c: ContainerSummary, grouped: boolean, index: number) => {
    const running = c.state === 'running';
    const button = (action: ContainerAction, label: string, danger = false) => (
      <button
        type="button"
        className={`link-button${danger ? ' danger-text' : ''}`}
        disabled={busy !== null}
        {...actionProps(action, c.name)}
        onClick={() => void act(action, c.name)}
      >
        {label}
      </button>
    );
    return (
      <tr
        key={c.id}
        data-index={index}
        ref={virtualizer.measureElement}
        className={grouped ? 'grouped' : undefined}
        data-container={c.name}
        data-state={c.state}
        data-in-pod={c.pod}
      >
        <td className="mono ellipsis">
          <span className={`state-dot state-${c.state}`} aria-label={c.state} /> {c.compose ? `${c.compose.service} · ` : ''}
          {c.name}
        </td>
        <td className="mono ellipsis">{c.image}</td>
        <td className="ellipsis">{c.status}</td>
        <td className="mono small ellipsis">{c.ports.join(', ')}</td>
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
          <button
            type="button"
            className="link-button"
            title="A toolbox shell beside the container (works without a shell in the image, and on stopped containers)"
            {...actionProps('debug', c.name)}
            onClick={() => openDebug(c.name, shownDebug.current?.container === c.name ? shownDebug.current.nonce : undefined)}
          >
            Debug shell
          </button>
          {running ? (
            <>
              {button('restart', 'Restart')}
              {button('stop', 'Stop')}
            </>
          ) : (
            button('start', 'Start')
          )}
          {button('remove', 'Remove', true)}
          {busy?.endsWith(`:${c.name}`) && <span className="spinner" aria-label="working" />}
        </td>
      </tr>
    );
  };

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
        <code className="command-line mono" aria-live="polite" title={commandLine || 'The docker command of the action under the pointer'}>
          {commandLine ? `$ ${commandLine}` : 'Point at an action to see its docker command'}
        </code>
      </div>
      {problem && <p className="field-error">{problem}</p>}
      {containers && containers.length === 0 && (
        <p className="muted">{all ? 'No containers on this engine.' : 'No running containers. Show all to see stopped ones.'}</p>
      )}
      {containers && containers.length > 0 && (
        <div className="container-scroll" ref={scrollRef}>
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
              {before > 0 && (
                <tr>
                  <td colSpan={5} style={{ height: before, padding: 0, border: 0 }} />
                </tr>
              )}
              {items.map((item) => {
                const row = rows[item.index]!;
                if (row.kind === 'container') return containerRow(row.container, row.grouped, item.index);
                if (row.kind === 'pod')
                  return (
                    <tr
                      key={`pod:${row.pod}`}
                      data-index={item.index}
                      ref={virtualizer.measureElement}
                      className="group-row"
                      data-pod={row.pod}
                    >
                      <th colSpan={5} scope="rowgroup">
                        Pod {row.pod}{' '}
                        <span className="muted small">
                          · {row.running}/{row.count} running
                        </span>
                      </th>
                    </tr>
                  );
                return (
                  <tr key={`project:${row.project}`} data-index={item.index} ref={virtualizer.measureElement} className="compose-row">
                    <td colSpan={5}>
                      <ComposeGroup project={row.project} running={row.running} total={row.total} describe={setCommandLine} run={compose} />
                    </td>
                  </tr>
                );
              })}
              {after > 0 && (
                <tr>
                  <td colSpan={5} style={{ height: after, padding: 0, border: 0 }} />
                </tr>
              )}
            </tbody>
          </table>
        </div>
      )}
      {logs && <LogPane container={logs.container} command={logs.command} onClose={() => setLogs(null)} />}
    </div>
  );
}
