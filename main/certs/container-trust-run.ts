// Runs the container trust plan (container-trust.ts) through the Docker tool's docker CLI: a read-only probe,
// then, only when the user said yes, the shown steps, then a check that the container's bundle holds the root.
import { runDockerCli } from '../docker/tool.ts';
import { bundleHolds, type ContainerProbe, containerTrustSteps, parseProbe, probeScript, type TrustStep } from './container-trust.ts';

// Docker's container names and ids; a leading - would read as an option to docker cp / exec.
const containerName = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,253}$/;

export class ContainerTrustError extends Error {}

export interface ContainerPlan {
  probe: ContainerProbe;
  probeArgv: string[];
  steps: TrustStep[];
}

function failure(what: string, result: { code: number | null; stderr: string; failure: string | null }): ContainerTrustError {
  const reason = result.failure ?? (result.stderr.trim().slice(0, 500) || `exit code ${result.code}`);
  return new ContainerTrustError(`${what} failed: ${reason}`);
}

export async function planContainerTrust(container: string, rootFile: string, env: NodeJS.ProcessEnv): Promise<ContainerPlan> {
  if (!containerName.test(container))
    throw new ContainerTrustError(`"${container}" is not a container name or id (letters, digits, _ . -, not starting with -).`);
  const probeArgv = ['docker', 'exec', container, 'sh', '-c', probeScript];
  const result = await runDockerCli(probeArgv, env);
  if (result.code !== 0) throw failure(`Looking into container ${container} (is it running, and does it have /bin/sh?)`, result);
  const probe = parseProbe(result.stdout);
  return { probe, probeArgv, steps: containerTrustSteps(container, probe, rootFile) };
}

/** Runs the steps in order, stopping at the first that fails; `onStep` hears each before it runs. */
export async function applyContainerTrust(
  steps: readonly TrustStep[],
  env: NodeJS.ProcessEnv,
  onStep: (step: TrustStep) => void,
): Promise<void> {
  for (const step of steps) {
    onStep(step);
    const result = await runDockerCli(step.argv, env);
    if (result.code !== 0) throw failure(step.summary, result);
  }
}

/** Reads the container's bundle back: true when the root is in it. */
export async function containerTrusts(container: string, probe: ContainerProbe, rootPem: string, env: NodeJS.ProcessEnv): Promise<boolean> {
  if (!probe.bundle) return false;
  const result = await runDockerCli(['docker', 'exec', container, 'cat', probe.bundle], env);
  return result.code === 0 && bundleHolds(result.stdout, rootPem);
}
