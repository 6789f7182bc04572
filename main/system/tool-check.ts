// The kit every tool's Doctor checks are made with: a check never throws, and says how to install what is missing.
import type { Fact, ToolCheck } from '../contract/index.ts';
import type { CheckDefinition } from './define-tool.ts';
import { probeVersion, type VersionProbe } from './version-probe.ts';
import { which } from './which.ts';

/** `hint: null`: the thing is installed and the detail says what to do, so no install command is shown. */
export type Outcome = Pick<ToolCheck, 'status' | 'version' | 'path' | 'detail'> & { facts?: Fact[]; hint?: null };
type Definition = Omit<CheckDefinition, 'run'>;

export function check(def: Definition, examine: (env: NodeJS.ProcessEnv, probe: VersionProbe) => Promise<Outcome>): CheckDefinition {
  return {
    ...def,
    async run(env, probe = probeVersion) {
      let outcome: Outcome;
      try {
        outcome = await examine(env, probe);
      } catch (error) {
        outcome = {
          status: 'error',
          version: null,
          path: null,
          detail: `The check itself failed: ${error instanceof Error ? error.message : String(error)}`,
        };
      }
      const hint = outcome.status === 'ok' ? null : def.hint;
      return { id: def.id, name: def.name, purpose: def.purpose, hint, facts: [], ...outcome };
    },
  };
}

export const missing = (name: string): Outcome => ({
  status: 'missing',
  version: null,
  path: null,
  detail: `${name} was not found on PATH.`,
});

/** A tool that only needs to be found and asked for its version. */
export function simpleTool(def: Definition, binary: string, args: string[], pattern?: RegExp): CheckDefinition {
  return check(def, async (env, probe) => {
    const file = which(binary, env);
    if (!file) return missing(binary);
    const { version, failure } = await probe(file, args, pattern);
    if (failure) return { status: 'error', version: null, path: file, detail: `${binary} is installed but did not run: ${failure}` };
    return { status: 'ok', version, path: file, detail: `${binary} ${version ?? '(version unknown)'}` };
  });
}
