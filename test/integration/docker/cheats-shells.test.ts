// Cheats under the user's own shell (issue 11 rows 2 and 3): each built-in cheat, rendered with hostile values
// for the shell that runs it, reaches `docker` (here a stand-in on PATH that logs its argv) with exactly the
// words of the template and the values unchanged, and nothing else runs. Run in a real terminal tab too.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { CheatFileEntry, ShellDialect } from '../../../main/docker/contract.ts';
import { loadBuiltinCheats } from '../../../main/docker/cheats.ts';
import { parseNavi } from '../../../main/docker/import/navi.ts';
import { checkCheat, renderCheat, TemplateError } from '../../../main/docker/template.ts';
import { startInProcess } from '../../../main/host/in-process.ts';
import { findPeer } from '../../support/peers.ts';
import { textCheat } from '../../support/cheats.ts';
import { tempDir } from '../../support/temp-dir.ts';

const dash = findPeer('dash', 'apt-get install dash');

const shells: { name: string; dialect: ShellDialect; peer: string | null }[] = [
  { name: 'dash', dialect: 'sh', peer: dash },
  { name: 'bash', dialect: 'bash', peer: findPeer('bash', 'apt-get install bash') },
  { name: 'zsh', dialect: 'zsh', peer: findPeer('zsh', 'apt-get install zsh') },
  { name: 'fish', dialect: 'fish', peer: findPeer('fish', 'apt-get install fish') },
];

// A `docker` (dash, for speed) that appends its arguments to $ARGV_LOG: each NUL-terminated, a call ended by \x01.
const bin = tempDir();
writeFileSync(path.join(bin, 'docker'), `#!${dash ?? '/bin/sh'}\nprintf '%s\\0' "$@" >> "$ARGV_LOG"; printf '\\001' >> "$ARGV_LOG"\n`);
chmodSync(path.join(bin, 'docker'), 0o755);

/** The argument lists docker was called with. */
function calls(log: string): string[][] {
  return readFileSync(log, 'utf8')
    .split('\x01')
    .slice(0, -1)
    .map((call) => call.split('\0').slice(0, -1));
}
const env = (log: string, home: string) => ({ PATH: `${bin}:${process.env.PATH}`, ARGV_LOG: log, HOME: home, LANG: 'C.UTF-8' });

/** `shell -c command` in `cwd` (a new empty folder by default), docker being the stand-in: its calls, and the folder after. */
function runThrough(shell: string, command: string, cwd = tempDir()) {
  const log = path.join(tempDir(), 'argv.log');
  const result = spawnSync(shell, ['-c', command], { cwd, env: env(log, tempDir()), encoding: 'utf8' });
  return { status: result.status, stderr: result.stderr, calls: existsSync(log) ? calls(log) : [], files: readdirSync(cwd) };
}

const hostile = [
  "a\\'; touch X; #",
  '$(touch X)',
  '`touch X`',
  'x" --privileged "',
  "it's",
  '\\',
  '*',
  '!!',
  '%PATH%',
  '‘’“”',
  '${x}',
  '# c',
  'é 日本',
];

/** The argv a template's words give once filled: templates of built-ins are plain words. */
function expectedArgv(cheat: CheatFileEntry, values: Record<string, string>): string[] {
  return cheat.template
    .split(/\s+/)
    .slice(1)
    .map((word) => word.replace(/<([a-z][a-z0-9_-]*)>/g, (_, name: string) => values[name]!));
}

describe.each(shells)('built-in cheats run by $name', ({ dialect, peer }) => {
  it.skipIf(!peer)('reach docker with the template’s words and every hostile value unchanged, running nothing else', () => {
    const runs = loadBuiltinCheats()
      .filter((cheat) => cheat.placeholders.length > 0)
      .flatMap((cheat) =>
        hostile.map((value) => {
          // Names of engine objects and paths cannot start with "-" (refused); everything else gets the hostile value.
          const values = Object.fromEntries(cheat.placeholders.map((p) => [p.name, p.kind === 'choice' ? p.choices![0]! : value]));
          return {
            what: `${cheat.id} with ${value}`,
            command: renderCheat(cheat, values, dialect).command,
            argv: expectedArgv(cheat, values),
          };
        }),
      );
    // All in one script, each after a marking call (one shell start instead of hundreds); only when that is not
    // exactly right is each run on its own, so the failure names its cheat and value.
    const script = runs.map(({ command }, i) => `docker lanyard-mark ${i}\n${command}\n`).join('');
    const together = runThrough(peer!, script);
    const expected = runs.flatMap(({ argv }, i) => [['lanyard-mark', String(i)], argv]);
    if (together.status === 0 && together.files.length === 0 && JSON.stringify(together.calls) === JSON.stringify(expected)) return;
    for (const { what, command, argv } of runs) {
      const { status, stderr, calls, files } = runThrough(peer!, command);
      expect(status, `${what}: ${stderr}`).toBe(0);
      expect({ calls, files }, `${what}: ${command}`).toEqual({ calls: [argv], files: [] });
    }
    expect.fail(`every run is right on its own, but not in one script: ${together.stderr}`);
  });
});

describe('placeholders inside a string or a script (row 3)', () => {
  const navi = `% docker\n\n# Say hello\ndocker run --rm <image> sh -c "echo <msg> from lanyard"\n\n# Hello, positional\ndocker run --rm <image> sh -c 'echo "$1" from lanyard' sh <msg>\n`;

  it('refuses the imported navi cheat, naming the placeholder and why, for every shell', () => {
    const [quoted, positional] = parseNavi(navi, 'docker');
    expect(checkCheat(quoted!)).toEqual([
      expect.stringMatching(
        /<msg> sits inside double quotes in "docker run --rm <image> sh -c "echo <msg> from lanyard"": the sh shell would read its value as part of that/,
      ),
    ]);
    for (const dialect of ['sh', 'bash', 'zsh', 'fish', 'powershell', 'pwsh', 'cmd'] as const)
      expect(() => renderCheat(quoted!, { image: 'busybox', msg: '$(touch X)' }, dialect), dialect).toThrow(TemplateError);
    expect(checkCheat(positional!)).toEqual([]);
  });

  it.skipIf(!shells[0]!.peer)('passes the value of the sound form as data to the inner shell: $(touch X) is printed, not run', () => {
    const cwd = tempDir();
    const [, positional] = parseNavi(navi, 'docker');
    const { command } = renderCheat(positional!, { image: 'busybox', msg: '$(touch X)' }, 'sh');
    // The inner `sh -c` the container would run, run here: docker's arguments after the image.
    const argv = runThrough(shells[0]!.peer!, command, cwd).calls[0]!;
    const inner = spawnSync(shells[0]!.peer!, argv.slice(argv.indexOf('busybox') + 1).slice(1), { cwd, encoding: 'utf8' });
    expect({ out: inner.stdout, files: readdirSync(cwd) }).toEqual({ out: '$(touch X) from lanyard\n', files: [] });
  });

  it.each([
    ['sh -c "echo <p> from lanyard"', /<p> sits inside double quotes/],
    ["docker exec <c> sh -c 'ls <p>'", /<p> sits inside single quotes/],
    ['docker exec <c> bash -c ls<p>', /<p> is part of a script that bash -c runs/],
    ['docker exec <c> sh -lc echo\\ <p>', /<p> shares a word with shell syntax \(\\ \)/],
    ['docker logs \\<p>', /<p> sits after the escape character/],
    ['docker ps --filter name=$(echo <p>)', /<p> sits inside a command substitution/],
    ['docker ps --filter name=`echo <p>`', /<p> sits inside backquotes/],
    ['docker ps --filter name=${X:-<p>}', /<p> sits inside braces/],
    ['docker ps # <p>', /<p> sits inside a comment/],
    ["docker ps --format $'<p>'", /<p> sits inside ANSI-C quotes/],
    ['eval docker ps <p>', /<p> is part of a script that eval hands to a shell/],
    ['ssh host docker logs <p>', /<p> is part of a script that ssh hands to the remote shell/],
    ['pwsh -Command docker logs <p>', /<p> is part of a script that pwsh -Command runs/],
    ['cmd /c docker logs <p>', /<p> is part of a script that cmd \/c runs/],
    ['docker ps --filter name="$<p>"', /<p> sits inside double quotes/],
    ['docker ps --filter name=~<p>', /<p> shares a word with shell syntax \(~\)/],
    ['docker logs <p>" x', /leaves double quotes open/],
    // Well-formed for sh, but fish reads \' inside single quotes, PowerShell ‘ as a quote.
    ["docker logs 'a\\' <p> 'b'", /<p> sits inside single quotes in .*: the fish shell/],
    ['docker logs a‘ <p> ’b', /<p> sits inside single quotes in .*: the powershell shell/],
  ])('refuses %s', (template, problem) => {
    expect(checkCheat(textCheat(template)).join('\n')).toMatch(problem);
  });

  it.each([
    'docker exec <c> sh -c <p>',
    'docker run --rm <c> sh -c \'echo "$1"\' sh <p>',
    'ssh <p>',
    'ssh -p 2222 host <p>',
    'docker cp <c>:<p> .',
    'docker logs --tail=<p> <c>',
    'docker ps > <p>',
    'docker ps; docker logs <p> && docker ps | grep <c>',
  ])('accepts %s', (template) => {
    expect(checkCheat(textCheat(template))).toEqual([]);
  });
});

describe.each(shells.filter((s) => s.name === 'fish' || s.name === 'zsh'))(
  'a cheat run in a terminal tab whose shell is $name (row 2)',
  ({ peer }) => {
    it.skipIf(!peer)('quotes for that shell: the value reaches docker as one argument and nothing else runs', async () => {
      const home = tempDir();
      const cwd = tempDir();
      const log = path.join(tempDir(), 'argv.log');
      const lanyard = startInProcess({
        env: { ...env(log, home), SHELL: peer!, LANYARD_HOME: path.join(home, 'lanyard'), DOCKER_HOST: 'unix:///nonexistent.sock' },
      });
      mkdirSync(path.join(home, 'lanyard'), { recursive: true });
      try {
        const value = "a\\'; touch X; #";
        const { terminal, command } = await lanyard.api.docker.runInTerminal({
          id: 'inspect',
          values: { container: value },
          cols: 80,
          rows: 24,
          cwd,
        });
        expect(terminal.shell).toBe(peer);
        const deadline = Date.now() + 15_000;
        while (!existsSync(log) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
        await new Promise((r) => setTimeout(r, 200));
        expect({ calls: calls(log), files: readdirSync(cwd) }, command).toEqual({ calls: [['inspect', value]], files: [] });
      } finally {
        await lanyard.host.close();
      }
    });
  },
);
