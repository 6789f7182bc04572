// History settings: pause (a flag file the hooks can stat) and secret patterns (JSON + a file the hooks read).
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import type { HistorySettings } from './contract.ts';
import { ServiceError } from '../contract/errors.ts';
import { ensurePrivateDir } from '../system/data-dir.ts';
import type { HistoryPaths } from './paths.ts';
import { combinedSource, prefilterGlobs } from './secrets.ts';

// Flags the hooks test with a stat, not stored in the JSON.
type Stored = Omit<HistorySettings, 'paused' | 'upArrow'>;
const defaults: Stored = { defaultSecrets: true, extraSecrets: [], secretAction: 'redact' };

export function readSettings(paths: HistoryPaths): HistorySettings {
  let stored = defaults;
  try {
    const parsed = JSON.parse(readFileSync(paths.settings, 'utf8')) as Partial<Stored>;
    stored = {
      defaultSecrets: typeof parsed.defaultSecrets === 'boolean' ? parsed.defaultSecrets : defaults.defaultSecrets,
      extraSecrets: Array.isArray(parsed.extraSecrets) ? parsed.extraSecrets.filter((s): s is string => typeof s === 'string') : [],
      secretAction: parsed.secretAction === 'drop' ? 'drop' : 'redact',
    };
  } catch {
    // No file yet (or an unreadable one): the defaults redact the known secrets.
  }
  return { paused: existsSync(paths.pausedFlag), upArrow: existsSync(paths.upArrowFlag), ...stored };
}

/** When the settings that follow the user to their other machines (the secret rules) last changed; 0 for never. */
export function settingsChangedAt(paths: HistoryPaths): number {
  try {
    const at = (JSON.parse(readFileSync(paths.settings, 'utf8')) as { changedAt?: unknown }).changedAt;
    return typeof at === 'number' ? at : 0;
  } catch {
    return 0;
  }
}

/** `changedAt`: when a change to the secret rules happened (another machine's time, for one that came by sync). */
export function writeSettings(paths: HistoryPaths, change: Partial<HistorySettings>, changedAt = Date.now()): HistorySettings {
  for (const [i, source] of (change.extraSecrets ?? []).entries()) {
    try {
      new RegExp(source);
    } catch (error) {
      throw new ServiceError('invalid-argument', `Secret pattern ${i + 1} is not a valid regular expression: ${(error as Error).message}`, {
        field: `params.extraSecrets.${i}`,
      });
    }
  }
  const next = { ...readSettings(paths), ...change };
  const rules = change.defaultSecrets !== undefined || change.extraSecrets !== undefined || change.secretAction !== undefined;
  ensurePrivateDir(paths.dir);
  writeFileSync(
    paths.settings,
    `${JSON.stringify(
      {
        defaultSecrets: next.defaultSecrets,
        extraSecrets: next.extraSecrets,
        secretAction: next.secretAction,
        changedAt: rules ? changedAt : settingsChangedAt(paths),
      },
      null,
      2,
    )}\n`,
    { mode: 0o600 },
  );
  if (next.paused) writeFileSync(paths.pausedFlag, '', { mode: 0o600 });
  else rmSync(paths.pausedFlag, { force: true });
  if (next.upArrow) writeFileSync(paths.upArrowFlag, '', { mode: 0o600 });
  else rmSync(paths.upArrowFlag, { force: true });
  writeSecretsPattern(paths, next);
  return next;
}

/** The files the hooks read at startup; rewritten whenever the patterns change. */
export function writeSecretsPattern(paths: HistoryPaths, settings: Stored): void {
  ensurePrivateDir(paths.dir);
  writeFileSync(
    paths.secretsGlobs,
    prefilterGlobs(settings)
      .map((glob) => `${glob}\n`)
      .join(''),
    { mode: 0o600 },
  );
  writeFileSync(paths.secretsPattern, combinedSource(settings), { mode: 0o600 });
}
