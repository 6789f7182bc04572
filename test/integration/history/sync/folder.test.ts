// History sync through a shared folder, with three LANYARD_HOMEs on this machine as three machines: runs travel,
// deletions and redactions win everywhere (a machine offline at the time too), concurrent writers never collide,
// damaged or foreign segments are reported and never half-applied, clocks do not matter, imports do not double.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { importFiles } from '../../../../main/history/import.ts';
import { historyPaths } from '../../../../main/history/paths.ts';
import { readSettings, writeSettings } from '../../../../main/history/settings.ts';
import { joinSync, setupSync, syncStatus, wrongKeySentence } from '../../../../main/history/sync/sync.ts';
import { keyToWords } from '../../../../main/history/sync/words.ts';
import { search } from '../../../../main/history/search/search.ts';
import { searchQuery } from '../../../../main/history/contract.ts';
import { tempDir } from '../../../support/temp-dir.ts';
import { join, setUp, testHost, type TestHost } from './hosts.ts';

function segmentFiles(dir: string): string[] {
  const base = path.join(dir, 'lanyard');
  return readdirSync(base).flatMap((h) => readdirSync(path.join(base, h)).map((f) => path.join(base, h, f)));
}

async function three() {
  const root = tempDir('lanyard-sync-');
  const folder = path.join(root, 'Sync');
  const target = { kind: 'folder' as const, dir: folder };
  const [a, b, c] = ['laptop', 'desktop', 'server'].map((n) => testHost(root, n)) as [TestHost, TestHost, TestHost];
  a.run('echo from-laptop');
  const words = await setUp(a, target);
  await join(b, target, words);
  await join(c, target, words);
  return { root, folder, target, words, a, b, c };
}

describe('history sync through a shared folder', () => {
  it('a run on one machine is found on the others, with its host; nothing in the folder is readable', async () => {
    const { folder, a, b, c } = await three();
    expect(b.commands()).toEqual(['echo from-laptop']);
    b.run('make test # from desktop');
    await b.sync();
    await a.sync();
    await c.sync();
    for (const h of [a, c]) expect(h.commands()).toEqual(['echo from-laptop', 'make test # from desktop']);
    const found = search(a.db, searchQuery.parse({ query: 'make test', host: 'desktop' }));
    expect(found.rows.map((r) => r.host)).toEqual(['desktop']);
    // Sealed: no command text, no host name in any file of the folder.
    for (const file of segmentFiles(folder)) {
      const bytes = readFileSync(file);
      for (const plain of ['from-laptop', 'make test', 'desktop', 'laptop'])
        expect(bytes.includes(plain), `${file} holds ${plain}`).toBe(false);
    }
    const status = a.status();
    // The server has written nothing yet: it is not among the machines the folder shows.
    expect(status.hosts.map((h) => [h.name, h.self]).sort()).toEqual([
      ['desktop', false],
      ['laptop', true],
    ]);
    expect(status.hosts.find((h) => h.name === 'desktop')!.records).toBe(1);
  });

  it('a deletion on one machine is gone everywhere, including a machine offline at the time, and a run arriving after its tombstone stays deleted', async () => {
    const { a, b, c } = await three();
    a.run('curl -H "token: oops" https://x');
    await a.sync();
    await b.sync();
    await c.sync();
    expect(c.commands()).toContain('curl -H "token: oops" https://x');
    // c goes offline; b deletes the run it received from a.
    b.db.prepare("DELETE FROM history_runs WHERE command_id = (SELECT id FROM history_commands WHERE text LIKE 'curl%')").run();
    await b.sync();
    await a.sync();
    expect(a.commands()).not.toContain('curl -H "token: oops" https://x');
    // c comes back online.
    await c.sync();
    expect(c.commands()).toEqual(['echo from-laptop']);
    // A new machine joining later never sees it either, though a's segment with the run is still in the folder.
    const d = testHost(path.dirname(a.dataDir), 'late');
    await join(d, { kind: 'folder', dir: a.status().target!.location }, syncStatus(a.db, a.dataDir, true).words!.join(' '));
    expect(d.commands()).toEqual(['echo from-laptop']);
  });

  it('a redaction on one machine replaces the text everywhere', async () => {
    const { a, b } = await three();
    a.run('mysql -pHunter2 prod');
    await a.sync();
    await b.sync();
    a.db.prepare("UPDATE history_commands SET text = 'mysql -p‹redacted› prod' WHERE text = 'mysql -pHunter2 prod'").run();
    await a.sync();
    await b.sync();
    expect(b.commands()).toEqual(['echo from-laptop', 'mysql -p‹redacted› prod']);
    expect(search(b.db, searchQuery.parse({ query: 'Hunter2' })).rows).toEqual([]);
  });

  it('three machines writing at the same time all end with every run', async () => {
    const { a, b, c } = await three();
    for (let i = 0; i < 50; i++) for (const h of [a, b, c]) h.run(`${h.name} ${i}`);
    await Promise.all([a.sync(), b.sync(), c.sync()]);
    await Promise.all([a.sync(), b.sync(), c.sync()]);
    for (const h of [a, b, c]) expect(h.commands().length, h.name).toBe(151);
    // A record seen twice changes nothing.
    await Promise.all([a.sync(), b.sync(), c.sync()]);
    for (const h of [a, b, c]) expect(h.runs().length).toBe(151);
  });

  it('a segment cut short mid-file, or with one byte changed, is reported and skipped whole, then applied once whole again', async () => {
    const { folder, a, b } = await three();
    for (let i = 0; i < 20; i++) a.run(`batch ${i}`);
    await a.sync();
    const newest = segmentFiles(folder).sort().at(-1)!;
    const whole = readFileSync(newest);
    writeFileSync(newest, whole.subarray(0, Math.floor(whole.length / 2)));
    const cut = await b.sync();
    expect(cut.report.problems).toEqual([expect.objectContaining({ kind: 'damaged', segment: path.basename(newest) })]);
    expect(b.commands()).toEqual(['echo from-laptop']);
    const tampered = Buffer.from(whole);
    tampered[tampered.length - 40]! ^= 1;
    writeFileSync(newest, tampered);
    const flipped = await b.sync();
    expect(flipped.report.problems[0]?.message).toMatch(/fails authentication/);
    expect(b.commands()).toEqual(['echo from-laptop']);
    expect(b.status().problems).toHaveLength(1);
    writeFileSync(newest, whole); // the engine finished copying it
    const fixed = await b.sync();
    expect(fixed.report.problems).toEqual([]);
    expect(b.commands()).toHaveLength(21);
  });

  it('a folder typed as ~/… (as --folder=~/Sync or in the app, which no shell expands) is in the home folder', async () => {
    const root = tempDir('lanyard-sync-');
    const [a, b] = [testHost(root, 'laptop'), testHost(root, 'desktop')];
    a.run('echo tilde');
    const env = { ...process.env, HOME: root };
    const { words } = await setupSync(a.db, a.dataDir, { kind: 'folder', dir: '~/Sync' }, env, undefined, a.name);
    expect(a.status().target!.location).toBe(path.join(root, 'Sync'));
    expect(segmentFiles(path.join(root, 'Sync'))).toHaveLength(1);
    await joinSync(b.db, b.dataDir, { kind: 'folder', dir: '~/Sync' }, words.join(' '), env, undefined, b.name);
    expect(b.commands()).toEqual(['echo tilde']);
  });

  it('a wrong key is refused in one sentence, and a segment sealed with another key is reported as such', async () => {
    const { root, target, a } = await three();
    const stranger = testHost(root, 'stranger');
    const wrong = keyToWords(Buffer.alloc(32, 7)).join(' ');
    await expect(join(stranger, target, wrong)).rejects.toThrow(wrongKeySentence);
    await expect(join(stranger, target, 'bako bako')).rejects.toThrow(/24 words/);
    // A mistyped folder is not an empty sync to join with any key; a file is not a folder.
    await expect(join(stranger, { kind: 'folder', dir: `${target.dir}-typo` }, wrong)).rejects.toThrow(/-typo does not exist/);
    const file = path.join(root, 'a-file');
    writeFileSync(file, '');
    await expect(join(stranger, { kind: 'folder', dir: file }, wrong)).rejects.toThrow(/a-file is a file: give the folder/);
    await expect(setUp(stranger, { kind: 'folder', dir: file })).rejects.toThrow(/a-file is a file: give the folder/);
    expect(stranger.status().setUp).toBe(false);
    // Another sync (another key) writing into the same folder.
    const other = testHost(root, 'other');
    other.run('not yours');
    const otherRoot = path.join(root, 'other-folder');
    await setUp(other, { kind: 'folder', dir: otherRoot });
    const [foreign] = segmentFiles(otherRoot);
    const hostDir = path.basename(path.dirname(foreign!));
    const { mkdirSync, copyFileSync } = await import('node:fs');
    mkdirSync(path.join(target.dir, 'lanyard', hostDir));
    copyFileSync(foreign!, path.join(target.dir, 'lanyard', hostDir, path.basename(foreign!)));
    const r = await a.sync();
    expect(r.report.problems).toEqual([expect.objectContaining({ kind: 'wrong-key' })]);
    expect(a.commands()).not.toContain('not yours');
  });

  it('a first machine with no history yet still lets a joining one check its key; an empty folder is not joined', async () => {
    const root = tempDir('lanyard-sync-');
    const target = { kind: 'folder' as const, dir: path.join(root, 'Sync') };
    const [fresh, second, stranger] = ['fresh', 'second', 'stranger'].map((n) => testHost(root, n)) as [TestHost, TestHost, TestHost];
    const empty = path.join(root, 'Empty');
    mkdirSync(empty);
    await expect(join(stranger, { kind: 'folder', dir: empty }, keyToWords(Buffer.alloc(32, 9)).join(' '))).rejects.toThrow(
      /holds no synced history yet/,
    );
    const words = await setUp(fresh, target);
    expect(segmentFiles(target.dir)).toHaveLength(1);
    await expect(join(stranger, target, keyToWords(Buffer.alloc(32, 9)).join(' '))).rejects.toThrow(wrongKeySentence);
    // The setup's rules (stamped 0) take nobody's place: a joining machine keeps its own changed ones.
    const own = { ...readSettings(historyPaths(second.dataDir)), extraSecrets: ['kept-rule-[0-9]+'] };
    writeSettings(historyPaths(second.dataDir), own, Date.now() - 86_400_000);
    await join(second, target, words);
    expect(readSettings(historyPaths(second.dataDir)).extraSecrets).toEqual(['kept-rule-[0-9]+']);
    fresh.run('echo first-run-after-setup');
    await fresh.sync();
    await second.sync();
    expect(second.commands()).toContain('echo first-run-after-setup');
  });

  it('clocks that disagree change nothing: a machine years ahead still has its runs and deletions applied', async () => {
    const { a, b } = await three();
    const future = Date.UTC(2031, 0, 1);
    b.run('ahead of time', future);
    await b.sync();
    await a.sync();
    expect(a.runs().find((r) => r.command === 'ahead of time')?.startedAt).toBe(future);
    // a (behind) deletes it; the tombstone's time is older than the run's, and still wins on b.
    a.db.prepare("DELETE FROM history_runs WHERE command_id = (SELECT id FROM history_commands WHERE text = 'ahead of time')").run();
    await a.sync();
    await b.sync();
    expect(b.commands()).toEqual(['echo from-laptop']);
  });

  it('long commands make smaller segments, each within what a reader accepts', async () => {
    const { folder, a, b } = await three();
    const before = segmentFiles(folder).length;
    for (let i = 0; i < 8; i++) a.run(`echo ${String(i).repeat(1024 * 1024)}`);
    const r = await a.sync();
    expect(r.report.wroteSegments).toBeGreaterThan(1);
    expect(segmentFiles(folder).length).toBe(before + r.report.wroteSegments);
    const got = await b.sync();
    expect(got.report.problems).toEqual([]);
    expect(b.commands()).toHaveLength(9);
    // 8 MB of command text trigram-indexed on three machines: ~25 s of a loaded shared machine, over the default 30 s at times.
  }, 120_000);

  it('the secret rules follow the user to the other machines (the latest change wins); pause stays per machine', async () => {
    const { a, b, c } = await three();
    writeSettings(historyPaths(a.dataDir), { extraSecrets: ['acme-[0-9]+'], secretAction: 'drop', paused: true });
    await a.sync();
    await b.sync();
    expect(readSettings(historyPaths(b.dataDir))).toMatchObject({ extraSecrets: ['acme-[0-9]+'], secretAction: 'drop', paused: false });
    // b changes them later: that change reaches a and c; a's older one does not come back.
    writeSettings(historyPaths(b.dataDir), { secretAction: 'redact' });
    await b.sync();
    await a.sync();
    await c.sync();
    for (const h of [a, c])
      expect(readSettings(historyPaths(h.dataDir))).toMatchObject({ extraSecrets: ['acme-[0-9]+'], secretAction: 'redact' });
    await b.sync();
    expect(readSettings(historyPaths(b.dataDir)).secretAction).toBe('redact');
  });

  it('the same old history imported on two machines is not doubled', async () => {
    const { a, b } = await three();
    const fixture = path.join(import.meta.dirname, '..', '..', '..', 'unit', 'history', 'fixtures', 'bash_history_timed');
    for (const h of [a, b]) await importFiles(h.db, historyPaths(h.dataDir), { bash: fixture }, () => undefined);
    const once = a.runs().length;
    await a.sync();
    await b.sync();
    await a.sync();
    expect(a.runs().length).toBe(once);
    expect(b.runs().length).toBe(once);
  });
});
