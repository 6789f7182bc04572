// The user's cheats and remembered values, on a real temp LANYARD_HOME.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startInProcess } from '../../../main/host/in-process.ts';
import { lastUsedFile } from '../../../main/docker/last-used.ts';
import { tempDir } from '../../support/temp-dir.ts';

describe('cheat library and last-used values', () => {
  it('adds, edits and deletes a user cheat stored as a 0600 file, and reports broken files', async () => {
    const home = tempDir();
    const { api } = startInProcess({ env: { LANYARD_HOME: home, DOCKER_HOST: 'unix:///nonexistent.sock' } });
    const entry = {
      id: 'my-logs',
      title: 'Tail my app',
      description: 'mine',
      tags: ['mine'],
      template: 'docker logs --tail 5 <container>',
      placeholders: [{ name: 'container', kind: 'container' as const, state: 'any' as const }],
      danger: false,
    };
    const saved = await api.docker.saveCheat({ cheat: entry });
    expect(saved).toMatchObject({ source: 'user', file: path.join(home, 'cheats', 'my-logs.json') });
    expect(statSync(saved.file!).mode & 0o777).toBe(0o600);
    await api.docker.saveCheat({ cheat: { ...entry, title: 'Tail my app (edited)' } });
    expect((await api.docker.cheats({ query: 'tail my' })).cheats[0]).toMatchObject({ id: 'my-logs', title: 'Tail my app (edited)' });
    await expect(api.docker.saveCheat({ cheat: { ...entry, template: 'docker logs "<container>"' } })).rejects.toMatchObject({
      code: 'invalid-argument',
    });
    await expect(api.docker.deleteCheat({ id: 'ps' })).rejects.toMatchObject({ code: 'invalid-argument' });
    await api.docker.deleteCheat({ id: 'my-logs' });
    expect((await api.docker.cheats({})).cheats.some((c) => c.id === 'my-logs')).toBe(false);

    mkdirSync(path.join(home, 'cheats'), { recursive: true });
    writeFileSync(path.join(home, 'cheats', 'broken.json'), '{"cheats": [{"id": "Bad Id"}]}');
    const { problems, cheats } = await api.docker.cheats({});
    expect(problems[0]).toMatch(/broken\.json/);
    expect(cheats.length).toBeGreaterThan(40);
  });

  it('remembers the values last used, per cheat, then by placeholder name', async () => {
    const home = tempDir();
    const { api } = startInProcess({ env: { LANYARD_HOME: home, DOCKER_HOST: 'unix:///nonexistent.sock' } });
    expect((await api.docker.cheat({ id: 'exec-shell' })).lastUsed).toEqual({});
    await api.docker.remember({ id: 'exec-shell', values: { container: 'web', shell: 'bash' } });
    expect((await api.docker.cheat({ id: 'exec-shell' })).lastUsed).toEqual({ container: 'web', shell: 'bash' });
    // logs has never been used: it is offered the container used last anywhere.
    expect((await api.docker.cheat({ id: 'logs-follow' })).lastUsed).toEqual({ container: 'web' });
    expect(statSync(lastUsedFile(home)).mode & 0o777).toBe(0o600);
    expect(statSync(path.dirname(lastUsedFile(home))).mode & 0o777).toBe(0o700);
    expect(JSON.parse(readFileSync(lastUsedFile(home), 'utf8'))['exec-shell']).toEqual({ container: 'web', shell: 'bash' });
    await expect(api.docker.remember({ id: 'nope', values: {} })).rejects.toMatchObject({ code: 'not-found' });
  });
});
