// `lanyard history sync …`: set up, join, leave, sync now, status. Through the in-process host, like the other
// history commands that change things; the running app's own host syncs on its own (sync/auto-sync.ts).
import type { SyncEvent, SyncStatus } from '../contract.ts';
import { agoPhrase } from '../../display/history-format.ts';
import { renderQrText } from '../sync/qr-text.ts';
import { bold, dim, green, red } from '../../system/terminal-style.ts';
import { type CommandContext, parseOptions, UsageError } from '../../system/command-line.ts';

const targetOptions = { folder: { type: 'string' }, git: { type: 'string' }, name: { type: 'string' } } as const;

function targetFrom(values: { folder?: string; git?: string }) {
  if ((values.folder === undefined) === (values.git === undefined)) throw new UsageError('say where to sync: --folder DIR or --git URL');
  return values.folder !== undefined ? { kind: 'folder' as const, dir: values.folder } : { kind: 'git' as const, url: values.git! };
}

/** Runs a sync stream, showing progress on a terminal; resolves with its final event. */
function follow(
  start: (o: { next(e: SyncEvent): void; error(e: Error): void; complete(): void }) => void,
): Promise<Extract<SyncEvent, { type: 'done' }>> {
  const tty = process.stderr.isTTY === true;
  let done: Extract<SyncEvent, { type: 'done' }> | null = null;
  return new Promise((resolve, reject) => {
    start({
      next(e) {
        if (e.type === 'progress' && tty)
          process.stderr.write(
            `\r  ${e.phase === 'write' ? 'writing' : 'reading'} ${e.done} of ${e.total} ${e.phase === 'write' ? 'records' : 'segments'}`,
          );
        if (e.type === 'done') done = e;
      },
      error: reject,
      complete() {
        if (tty) process.stderr.write('\r\x1b[K');
        if (done) resolve(done);
        else reject(new Error('the sync ended without a result'));
      },
    });
  });
}

function summary(e: Extract<SyncEvent, { type: 'done' }>): string {
  const r = e.report;
  const lines = [
    `Sent ${r.wroteRecords} record(s) in ${r.wroteSegments} segment(s) (${r.wroteBytes} bytes); applied ${r.appliedSegments} segment(s): ${r.addedRuns} new run(s), ${r.appliedTombstones} deletion(s) or redaction(s).`,
  ];
  for (const p of r.problems)
    lines.push(
      red(
        `  ${p.hostId.slice(0, 8)}/${p.segment}: ${p.kind === 'wrong-key' ? 'sealed with another key' : p.message} (skipped; tried again next sync)`,
      ),
    );
  return `${lines.join('\n')}\n`;
}

function keyBlock(words: string[]): string {
  const rows = [0, 6, 12, 18].map((i) =>
    words
      .slice(i, i + 6)
      .map((w, j) => `${String(i + j + 1).padStart(2)} ${w}`)
      .join('  '),
  );
  return `${rows.join('\n')}\n\n${renderQrText(words.join(' '))}\n`;
}

function formatStatus(s: SyncStatus): string {
  if (!s.setUp) return 'History sync is not set up. Start it with `lanyard history sync setup --folder DIR` (or --git URL).\n';
  const now = Date.now();
  const lines = [
    `Syncing through ${bold(s.target!.location)} (${s.target!.kind})${s.lastSync ? dim(` · last sync ${agoPhrase(s.lastSync, now)}`) : ''}`,
  ];
  if (s.running)
    lines.push(
      `sync under way: ${s.running.phase === 'write' ? 'sent' : 'applied'} ${s.running.done} of ${s.running.total} ${s.running.phase === 'write' ? 'records' : 'segments'} (started ${agoPhrase(s.running.since, now)})`,
    );
  if (s.lastError) lines.push(red(`last sync failed: ${s.lastError}`));
  for (const h of s.hosts) {
    const contact = h.lastContact ? agoPhrase(h.lastContact, now) : 'never';
    const pending = h.self && h.unsent > 0 ? ` · ${h.unsent} not sent yet` : '';
    lines.push(
      `  ${(h.name ?? '?').padEnd(20)} ${h.self ? green('this machine') : `last contact ${contact}`}  ${dim(`${h.records} records, last #${h.lastSeq}${h.lastRecordAt ? ` of ${new Date(h.lastRecordAt).toISOString().slice(0, 16)}` : ''}, ${h.bytes} bytes${pending}`)}`,
    );
  }
  for (const p of s.problems) lines.push(red(`  problem: ${p.hostId.slice(0, 8)}/${p.segment}: ${p.message}`));
  if (s.words) lines.push('', 'Key (type it on a machine joining with `lanyard history sync join`):', keyBlock(s.words));
  return `${lines.join('\n')}\n`;
}

async function readWords(): Promise<string> {
  if (process.stdin.isTTY) process.stderr.write('Type the 24 key words shown on a machine already syncing, then Enter:\n');
  const { createInterface } = await import('node:readline');
  const rl = createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stderr : undefined });
  try {
    for await (const line of rl) if (line.trim()) return line;
  } finally {
    rl.close();
  }
  throw new UsageError('no key words given (on stdin or with --words)');
}

export async function syncCommand(args: string[], context: CommandContext): Promise<number> {
  const api = async () => (await context.startHost()).api;
  const [sub, ...rest] = args;
  if (sub === 'setup') {
    const { values } = parseOptions(rest, targetOptions);
    const target = targetFrom(values);
    const h = await api();
    const done = await follow((o) => h.history.syncSetup({ target, ...(values.name ? { name: values.name } : {}) }, o));
    process.stdout.write(summary(done));
    process.stdout.write(
      `\nHistory sync is set up. The key, needed on every other machine (keep it private):\n\n${keyBlock(done.words ?? [])}\n`,
    );
    process.stdout.write(
      `On another machine: lanyard history sync join ${target.kind === 'folder' ? '--folder DIR' : `--git ${target.url}`}\n`,
    );
    return 0;
  }
  if (sub === 'join') {
    const { values } = parseOptions(rest, { ...targetOptions, words: { type: 'string' } });
    const target = targetFrom(values);
    const words = values.words ?? (await readWords());
    const h = await api();
    const done = await follow((o) => h.history.syncJoin({ target, words, ...(values.name ? { name: values.name } : {}) }, o));
    process.stdout.write(summary(done));
    process.stdout.write('This machine now syncs its history with the others.\n');
    return 0;
  }
  if (sub === 'now') {
    parseOptions(rest, {});
    const h = await api();
    process.stdout.write(summary(await follow((o) => h.history.syncNow({}, o))));
    return 0;
  }
  if (sub === 'status') {
    const { values } = parseOptions(rest, { key: { type: 'boolean' }, json: { type: 'boolean' } });
    const s = await (await api()).history.syncStatus({ withKey: values.key === true });
    process.stdout.write(values.json ? `${JSON.stringify(s, null, 2)}\n` : formatStatus(s));
    return 0;
  }
  if (sub === 'leave') {
    parseOptions(rest, {});
    await (await api()).history.syncLeave({});
    process.stdout.write('This machine no longer syncs its history; its history stays. The other machines keep theirs.\n');
    return 0;
  }
  throw new UsageError(
    sub === undefined ? 'history sync needs setup, join, now, status or leave' : `unknown history sync subcommand "${sub}"`,
  );
}
