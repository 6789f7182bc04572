// The docker commands of a debug shell. A running target: one helper container from the toolbox image in the
// target's PID, network and IPC namespaces, the target's filesystem reached as /target -> /proc/1/root (PID 1
// is the target's own once the PID namespace is shared). A stopped target has no namespaces to join: its
// filesystem is committed to a snapshot image and run with the toolbox's static busybox from a volume, then
// the snapshot and the volume are removed. Every helper, snapshot and volume carries the owner label, so a
// Lanyard that died mid-session has its leftovers swept on the next start (sweep.ts).
import type { ShellDialect } from '../../docker/contract.ts';
import { commandLine } from '../../system/shell-quote.ts';

/** On every helper, snapshot and volume: the target's id. */
export const debugLabel = 'dev.lanyard.debug';
/** "<hostname>:<pid>" of the Lanyard process that made it: swept once that process is gone. */
export const debugOwnerLabel = 'dev.lanyard.debug.owner';

export interface DebugTarget {
  id: string;
  name: string;
  running: boolean;
  /** The target's HostConfig.IpcMode: only a "shareable" (or host, or borrowed) IPC namespace can be joined. */
  ipcMode: string;
  /**
   * A Podman target's pod, and the namespaces its members share (SharedNamespaces: "net", "ipc", …): the helper
   * joins the pod, since Podman refuses a container outside it that joins a member's namespaces, and takes the
   * shared ones from the pod rather than asking for them again.
   */
  pod?: { name: string; shared: readonly string[] } | null | undefined;
}

/** The --ipc a helper can use to share the target's IPC namespace, or null when the engine would refuse it. */
export function ipcJoin(target: DebugTarget): string | null {
  if (target.ipcMode === 'shareable') return `container:${target.id}`;
  if (target.ipcMode === 'host' || target.ipcMode.startsWith('container:')) return target.ipcMode;
  return null;
}

export interface DebugSteps {
  /** Each command as argv, in order. */
  steps: string[][];
  /** How many leading steps must succeed before the next runs; the rest (cleanup) run whatever happened. */
  chained: number;
}

/** Where the toolbox's busybox and its applet links sit inside a snapshot. */
const toolsPath = '/.lanyard-debug';

/**
 * Shell that refuses a toolbox whose /bin/busybox cannot run inside a snapshot: missing, or dynamically linked (an ELF
 * with a PT_INTERP program header, read with od: alpine's busybox needs musl's loader, which the snapshot lacks, and
 * would fail there with a bare "no such file or directory"). A 32-bit ELF or a toolbox without od is let through.
 */
export const staticBusyboxCheck = [
  'b=/bin/busybox; [ -x $b ] || { echo "lanyard: this image has no /bin/busybox to put in the snapshot: use the busybox image" >&2; exit 1; }',
  'f() { od -An -t$1 -j$2 -N$3 $b | tr -d " "; }',
  'if command -v od >/dev/null && [ "$(f u1 4 1)" = 2 ]; then o=$(f u8 32 8); s=$(f u2 54 2); n=$(f u2 56 2); i=0',
  'while [ $i -lt $n ]; do [ "$(f u4 $((o + i * s)) 4)" != 3 ] || { echo "lanyard: this image\'s busybox is dynamically linked and cannot run in the snapshot: use the busybox image (static)" >&2; exit 1; }; i=$((i + 1)); done; fi',
].join('; ');

function prompt(target: DebugTarget): string {
  return `[debug ${target.name}] \\w # `;
}

export function debugSteps(target: DebugTarget, toolbox: string, owner: string, nonce: string): DebugSteps {
  const short = target.id.slice(0, 12);
  const labels = ['--label', `${debugLabel}=${target.id}`, '--label', `${debugOwnerLabel}=${owner}`];
  const helper = `lanyard-debug-${short}-${nonce}`;
  // The shell the user gets: interactive, removed on exit, never pulled.
  const shell = ['docker', 'run', '--rm', '-it', '--pull', 'never', '--name', helper, ...labels];
  if (target.running) {
    const ipc = ipcJoin(target);
    const { pod } = target;
    const join = (namespace: string, option: string, value: string | null) =>
      value && !pod?.shared.includes(namespace) ? [option, value] : [];
    const run = [
      ...shell,
      ...(pod ? ['--pod', pod.name] : []),
      ...join('pid', '--pid', `container:${target.id}`),
      ...join('net', '--network', `container:${target.id}`),
      ...join('ipc', '--ipc', ipc),
      // /proc/1/root of a process of another user (a non-root target) needs it; so do strace and gdb.
      '--cap-add',
      'SYS_PTRACE',
      '-e',
      `PS1=${prompt(target)}`,
      toolbox,
      'sh',
      '-c',
      'ln -s /proc/1/root /target 2>/dev/null; exec sh',
    ];
    return { steps: [run], chained: 1 };
  }
  const snapshot = `lanyard-debug-snapshot:${short}-${nonce}`;
  const volume = `lanyard-debug-tools-${short}-${nonce}`;
  return {
    steps: [
      ['docker', 'volume', 'create', ...labels, volume],
      [
        'docker',
        'run',
        '--rm',
        '--pull',
        'never',
        ...labels,
        '-v',
        `${volume}:${toolsPath}`,
        toolbox,
        'sh',
        '-c',
        `${staticBusyboxCheck}; cp /bin/busybox ${toolsPath}/busybox && ${toolsPath}/busybox --install -s ${toolsPath}`,
      ],
      [
        'docker',
        'commit',
        '--change',
        `LABEL ${debugLabel}=${target.id}`,
        '--change',
        `LABEL ${debugOwnerLabel}=${owner}`,
        target.id,
        snapshot,
      ],
      [
        ...shell,
        '-v',
        `${volume}:${toolsPath}:ro`,
        '-e',
        `PATH=${toolsPath}`,
        '-e',
        `PS1=${prompt(target)}`,
        '--entrypoint',
        `${toolsPath}/sh`,
        snapshot,
        '-c',
        'ln -s / /target 2>/dev/null; exec sh',
      ],
      ['docker', 'rmi', snapshot],
      ['docker', 'volume', 'rm', volume],
    ],
    chained: 4,
  };
}

/** The steps as one line for `dialect`: the chained ones with &&, the cleanup after whatever happened. */
export function joinSteps({ steps, chained }: DebugSteps, dialect: ShellDialect): string {
  const lines = steps.map((argv) => commandLine(argv, dialect));
  // Windows PowerShell 5.1 has no &&: there each step runs after the one before, success or not.
  const and = dialect === 'powershell' ? '; ' : ' && ';
  const then = dialect === 'cmd' ? ' & ' : '; ';
  const head = lines.slice(0, chained).join(and);
  const tail = lines.slice(chained);
  return tail.length ? `${head}${then}${tail.join(then)}` : head;
}
