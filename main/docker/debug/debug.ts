// A debug shell into a container: the target inspected, a toolbox found, the commands planned and shown,
// then run in a terminal tab (recorded in History like a cheat run).
import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { ShellDialect } from '../../docker/contract.ts';
import type { DebugPlan } from '../../docker/contract.ts';
import { ServiceError } from '../../contract/errors.ts';
import type { TerminalInfo } from '../../terminal/contract.ts';
import { commandLine } from '../../system/shell-quote.ts';
import { commandShell } from '../../system/user-shell.ts';
import type { TerminalManager } from '../../terminal/tool.ts';
import { engineShape, quoted, type Engine } from '../engine.ts';
import { podsByContainer } from '../pods.ts';
import { runCommandInTerminal } from '../run-in-terminal.ts';
import type { DockerService } from '../service.ts';
import { checkValue } from '../template.ts';
import { debugSteps, ipcJoin, joinSteps, type DebugTarget } from './plan.ts';
import { debugOwner, sweepDebugLeftovers } from './sweep.ts';
import { pickFrom, toolboxImages } from './toolbox.ts';

const inspected = z.object({
  Id: z.string(),
  Name: z.string(),
  State: z.object({ Running: z.boolean(), Paused: z.boolean().optional() }),
  HostConfig: z.object({ IpcMode: z.string().optional() }).nullish(),
});

async function inspectTarget(engine: Engine, container: string): Promise<DebugTarget> {
  try {
    checkValue({ name: 'container', kind: 'container' }, container);
  } catch (error) {
    throw new ServiceError('invalid-argument', (error as Error).message, { field: 'params.container' });
  }
  // Names and ids are these characters only (the engine's own rule): anything else, asked for, came back as a
  // different route's answer ("not what the Engine API documents") instead of "no such container".
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(container))
    throw new ServiceError('invalid-argument', `"${quoted(container, 80)}" is not a container name or id (letters, digits, _ . - only).`, {
      field: 'params.container',
      hint: 'See the names with `lanyard docker suggest container`.',
    });
  const path = `/containers/${encodeURIComponent(container)}/json`;
  const info = engineShape(inspected, await engine.json('GET', path), `GET ${path}`);
  if (info.State.Paused)
    throw new ServiceError('invalid-argument', `${container} is paused: a helper joining it would hang.`, {
      hint: `Unpause it first (docker unpause ${container}).`,
    });
  return {
    id: info.Id,
    name: info.Name.replace(/^\//, ''),
    running: info.State.Running,
    ipcMode: info.HostConfig?.IpcMode ?? '',
    pod: await targetPod(engine, info.Id),
  };
}

const podShape = z.object({ SharedNamespaces: z.array(z.string()).nullish() });

/** A Podman target's pod (Podman's Docker-compatible inspect does not name it); null on Docker or outside a pod. */
async function targetPod(engine: Engine, id: string): Promise<DebugTarget['pod']> {
  const name = (await podsByContainer(engine)).get(id);
  if (!name) return null;
  const path = `/pods/${encodeURIComponent(name)}/json`;
  const pod = engineShape(podShape, await engine.libpod<unknown>(path), `GET /libpod${path}`);
  return { name, shared: pod.SharedNamespaces ?? [] };
}

/** Engines already swept by this process: leftovers of a dead Lanyard go before its first debug shell here. */
const swept = new WeakMap<Engine, Promise<unknown>>();

export async function planDebug(
  engine: Engine,
  request: { container: string; image?: string | undefined; nonce?: string | undefined },
  dialect: ShellDialect,
): Promise<DebugPlan> {
  if (!swept.has(engine))
    swept.set(
      engine,
      sweepDebugLeftovers(engine).catch(() => 0),
    );
  // One round trip's wait, not three: the sweep (first shell only; it removes dead owners' objects, never this
  // one's), the target and the images are asked for at once.
  const [sweep, inspected, listed] = await Promise.allSettled([
    swept.get(engine),
    inspectTarget(engine, request.container),
    toolboxImages(engine, request.image),
  ]);
  // The target's problem first, as when they were asked one after the other.
  for (const answer of [sweep, inspected, listed]) if (answer.status === 'rejected') throw answer.reason;
  const target = (inspected as PromiseFulfilledResult<DebugTarget>).value;
  const images = (listed as PromiseFulfilledResult<string[]>).value;
  const toolbox = pickFrom(images, request.image, !target.running);
  const nonce = request.nonce ?? randomBytes(3).toString('hex');
  // Podman's CLI takes the same words (CONTAINER_HOST points it at this engine): the steps run with podman there.
  const flavour = engine.knownFlavour() ?? 'docker';
  const written = debugSteps(target, toolbox, debugOwner(), nonce);
  const steps = { ...written, steps: written.steps.map(([, ...args]) => [flavour, ...args]) };
  const notes: string[] = [];
  if (target.running && !ipcJoin(target) && !target.pod?.shared.includes('ipc'))
    notes.push(
      `The IPC namespace is not joined: ${target.name}'s is private (IpcMode "${target.ipcMode || 'private'}"), which the engine refuses to share; start it with --ipc shareable for that.`,
    );
  if (!target.running)
    notes.push(`${target.name} is not running: its files are a snapshot (docker commit), removed after; nothing runs in it to see.`);
  return {
    nonce,
    notes,
    toolbox,
    snapshot: !target.running,
    commands: steps.steps.map((argv) => commandLine(argv, dialect)),
    command: joinSteps(steps, dialect),
  };
}

export async function openDebugShell(
  docker: DockerService,
  terminals: TerminalManager,
  request: { container: string; image?: string | undefined; nonce?: string | undefined; cols: number; rows: number },
): Promise<{ terminal: TerminalInfo; command: string }> {
  const [plan, envChanges] = await Promise.all([
    planDebug(docker.engine(), request, commandShell(docker.env).dialect),
    docker.cliEnvironment(),
  ]);
  return runCommandInTerminal(docker, terminals, {
    ...request,
    command: plan.command,
    title: `Debug ${request.container}`,
    // The engine picked in Lanyard, not only the one the terminal's docker CLI would find.
    envChanges,
  });
}
