// Doctor's checks for history capture: each shell, its version, and whether History's hook is in its startup file.
import type { Fact, InstallHint } from '../contract/index.ts';
import type { CheckDefinition } from '../system/define-tool.ts';
import { check, missing } from '../system/tool-check.ts';
import { which } from '../system/which.ts';
import { hookInstalled, rcFile, type ShellName } from './rc-files.ts';

function shell(id: ShellName, name: string, hint: InstallHint, pattern: RegExp, minimum?: [number, number]): CheckDefinition {
  return check({ id, name, purpose: 'history capture', hint }, async (env, probe) => {
    const file = which(id, env);
    if (!file) return missing(id);
    const { version, failure } = await probe(file, ['--version'], pattern);
    const installed = hookInstalled(id, env);
    const facts: Fact[] = [
      { label: 'History hook', value: installed ? `installed in ${rcFile(id, env)}` : `not installed (${rcFile(id, env)})` },
    ];
    if (failure) return { status: 'error', version: null, path: file, detail: `${id} did not run: ${failure}`, facts };
    const [major = 0, minor = 0] = (version ?? '').split('.').map(Number);
    if (minimum && version && (major < minimum[0] || (major === minimum[0] && minor < minimum[1]))) {
      return {
        status: 'warn',
        version,
        path: file,
        detail: `${id} ${version} is too old for the history hook (needs ${minimum.join('.')}+).`,
        facts,
      };
    }
    return {
      status: 'ok',
      version,
      path: file,
      detail: `${id} ${version ?? ''}, history hook ${installed ? 'installed' : 'not installed'}`,
      facts,
    };
  });
}

export const checks: readonly CheckDefinition[] = [
  shell(
    'bash',
    'bash',
    {
      debian: 'sudo apt install bash',
      fedora: 'sudo dnf install bash',
      macos: 'brew install bash (macOS ships bash 3.2; the hook needs 4.4+)',
      windows: 'winget install Git.Git (Git Bash) or use WSL',
    },
    /version (\d+\.\d+(?:\.\d+)?)/,
    [4, 4],
  ),
  shell(
    'zsh',
    'zsh',
    {
      debian: 'sudo apt install zsh',
      fedora: 'sudo dnf install zsh',
      macos: 'built into macOS (or brew install zsh)',
      windows: 'use WSL: wsl --install, then sudo apt install zsh',
    },
    /zsh (\d+\.\d+(?:\.\d+)?)/,
  ),
  shell(
    'fish',
    'fish',
    {
      debian: 'sudo apt install fish',
      fedora: 'sudo dnf install fish',
      macos: 'brew install fish',
      windows: 'use WSL: wsl --install, then sudo apt install fish',
    },
    /version (\d+\.\d+(?:\.\d+)?)/,
  ),
];
