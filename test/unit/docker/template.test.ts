import { describe, expect, it } from 'vitest';
import type { CheatFileEntry } from '../../../main/docker/contract.ts';
import { loadBuiltinCheats } from '../../../main/docker/cheats.ts';
import { checkCheat, renderCheat } from '../../../main/docker/template.ts';

const cheat = (template: string, placeholders: CheatFileEntry['placeholders']): CheatFileEntry => ({
  id: 't',
  title: 't',
  description: '',
  tags: [],
  template,
  placeholders,
  danger: false,
});
const cp = cheat('docker cp <container>:<source> <destination>', [
  { name: 'container', kind: 'container' },
  { name: 'source', kind: 'text' },
  { name: 'destination', kind: 'path', default: '.' },
]);

describe('cheat templates', () => {
  it('quotes a word holding placeholders as one argument after filling it', () => {
    expect(renderCheat(cp, { container: 'web', source: '/etc/my file' }, 'sh').command).toBe("docker cp 'web:/etc/my file' .");
    expect(renderCheat(cp, { container: 'web', source: '/etc/my file' }, 'pwsh').command).toBe("docker cp 'web:/etc/my file' .");
    // Windows PowerShell 5.1 passes the string on as it is: it is given the program's own quoting.
    expect(renderCheat(cp, { container: 'web', source: '/etc/my file' }, 'powershell').command).toBe(`docker cp '"web:/etc/my file"' .`);
  });

  it('lists the placeholders still empty and keeps them visible', () => {
    expect(renderCheat(cp, { container: 'web' }, 'sh')).toEqual({
      command: 'docker cp web:<source> .',
      missing: ['source'],
      dialect: 'sh',
    });
  });

  it('uses defaults and lets a value override them', () => {
    expect(renderCheat(cp, { container: 'a', source: 'b', destination: '/tmp' }, 'sh').command).toBe('docker cp a:b /tmp');
  });

  it('refuses names that would be read as options, and line breaks', () => {
    expect(() => renderCheat(cp, { container: '--privileged', source: 'x' }, 'sh')).toThrow(/cannot start with "-"/);
    expect(() => renderCheat(cp, { container: 'a', source: 'x\ny' }, 'sh')).toThrow(/line break/);
  });

  it('finds unsound cheats: undeclared, unused, quoted placeholders', () => {
    expect(checkCheat(cheat('docker logs <container>', []))).toEqual(['t: <container> is used but not declared']);
    expect(checkCheat(cheat('docker ps', [{ name: 'x', kind: 'text' }]))).toEqual(['t: x is declared but not used']);
    expect(checkCheat(cheat('docker logs "<container>"', [{ name: 'container', kind: 'container' }]))[0]).toMatch(
      /<container> sits inside double quotes/,
    );
    expect(checkCheat(cheat('docker run -e X=$<v>', [{ name: 'v', kind: 'text' }]))[0]).toMatch(
      /<v> shares a word with shell syntax \(\$\)/,
    );
  });

  it('ships only sound built-in cheats covering the daily commands', () => {
    const problems: string[] = [];
    const builtins = loadBuiltinCheats(problems);
    expect(problems).toEqual([]);
    const templates = builtins.map((c) => c.template).join('\n');
    for (const needed of [
      'docker ps',
      'docker ps -a',
      'docker run -d',
      'docker run -it',
      '-p <port>',
      '-v <volume>',
      '-e <variable>',
      'docker image ls',
      'docker build -t',
      'docker exec -it',
      'docker logs -f',
      'docker start',
      'docker stop',
      'docker restart',
      'docker rm',
      'docker rmi',
      'docker inspect',
      'docker cp',
      'docker stats',
      'docker top',
      'docker port',
      'docker network ls',
      'docker network create',
      'docker network rm',
      'docker volume ls',
      'docker volume create',
      'docker volume rm',
      'docker system df',
      'prune',
      'up -d',
      'down',
      'logs -f',
      ' ps',
    ])
      expect(templates).toContain(needed);
    for (const c of builtins) {
      expect(c.danger, c.id).toBe(/(?<!-)\b(rm|rmi|prune|down)\b/.test(c.template));
      if (c.placeholders.some((p) => p.kind === 'container'))
        expect(c.placeholders.find((p) => p.kind === 'container')!.state, c.id).toBeDefined();
    }
    expect(new Set(builtins.map((c) => c.id)).size).toBe(builtins.length);
  });
});
