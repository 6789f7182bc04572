// History's front door: its service, schema, `lanyard history` help, Doctor checks, and what other tools may
// ask of it (recording a run, the hook script for a shell). Light on purpose: `lanyard --help` reads it.
import type { ToolDefinition } from '../system/define-tool.ts';
import type { RecordedRun, RecordOutcome } from './record-run.ts';

export type { RecordedRun, RecordOutcome } from './record-run.ts';
export type HookScript = typeof import('./hooks.ts').hookScript;

/** Record a run in History with History's rules (paused, secrets redacted or dropped); never throws. */
export async function recordRun(dataDir: string, run: RecordedRun): Promise<RecordOutcome> {
  try {
    return (await import('./record-run.ts')).recordRun(dataDir, run);
  } catch (error) {
    // History failing must not fail the run the user asked for.
    return `failed: ${(error as Error).message}`;
  }
}

/** History's hook script maker, so a terminal carries History's hook; loaded on use. */
export async function loadHookScript(): Promise<HookScript> {
  return (await import('./hooks.ts')).hookScript;
}

export const tool = {
  name: 'history',
  async load({ dataDir, env }) {
    const [
      { historyHandlers },
      { createHistoryService },
      { refreshInstalledHooks },
      { upgradeHistoryDb },
      { startAutoSync },
      { syncLock },
    ] = await Promise.all([
      import('./handlers.ts'),
      import('./service.ts'),
      import('./install.ts'),
      import('./upgrade.ts'),
      import('./sync/auto-sync.ts'),
      import('./sync/handlers.ts'),
    ]);
    // Off the host's thread: an upgrade of a big database takes seconds.
    await upgradeHistoryDb(dataDir.path);
    const service = createHistoryService(dataDir.path);
    try {
      refreshInstalledHooks(service.paths);
    } catch (error) {
      // Shells go on with the script they have; `lanyard history install` writes it again.
      process.stderr.write(`lanyard: could not update the installed shell hooks: ${(error as Error).message}\n`);
    }
    // Sync runs on its own in the host once set up (after new runs, when the synced folder changes).
    const lock = syncLock();
    const auto = startAutoSync(service, env, lock);
    return {
      ...historyHandlers(service, env, lock, auto),
      dispose: () => {
        auto.close();
        service.close();
      },
    };
  },
  checks: async () => (await import('./checks.ts')).checks,
  // The Ctrl+R picker starts on a keystroke (out/picker.js, loading only what it draws with); imports and upgrades
  // run on a worker thread (out/history-worker.js).
  entryPoints: { picker: 'picker-entry.ts', 'history-worker': 'worker-entry.ts' },
  checkGroup: { title: 'Shells (history)', blurb: 'Where history is captured.' },
  commands: [
    {
      name: 'history',
      load: () => import('./cli/history.ts'),
      usage:
        'lanyard history <init|install|uninstall|import|search|stats|delete|purge|redact|secrets|up-arrow|recall|pause|resume|status|ingest|sync> …',
      summary: 'every shell command kept in SQLite: capture hooks, import, search, Ctrl+R, stats',
      details: [
        '  init SHELL                  print the bash/zsh/fish hook (for `eval "$(lanyard history init bash)"`)',
        '  install [--shell S] [--classic-bash] [--up-arrow]',
        "                              add a marked block to the shell's startup file (backed up first);",
        '                              --classic-bash also sets HISTSIZE/HISTFILESIZE, HISTTIMEFORMAT, histappend;',
        '                              --up-arrow turns on the context-aware Up (below)',
        '  uninstall [--shell S]       remove exactly that block',
        '  import [--bash F] [--zsh F] [--fish F] [--atuin F]',
        '                              import old history (your own files when none are named); twice adds nothing',
        '  search [QUERY] [filters] [--runs] [--limit N] [--json]',
        '                              substring match by default; --prefix or --fuzzy; grouped by command unless --runs',
        "  search -i [--query Q]       the Ctrl+R picker (the hooks bind it; set LANYARD_NO_CTRL_R=1 to keep bash's own)",
        '  stats [--days N] [--json]   runs per week, top programs and commands, failure rate, busiest directories',
        '  delete RUN_ID               delete one run',
        '  purge [QUERY] [filters] [--yes]   count the matching runs; with --yes delete them',
        '  redact                      re-scan stored commands for secrets: redact them (delete them if secrets are dropped)',
        '  secrets redact|drop         a command holding a secret is kept with it replaced by ‹redacted› (default), or dropped',
        "  up-arrow on|off             Up walks this directory's commands, then this session's, then everything,",
        "                              only those starting with what is typed; Down walks back (off: the shell's own Up)",
        '  recall [--query P] [--session S]   the list Up walks from this folder, NUL-terminated',
        '  pause | resume | status     stop or restart recording everywhere; show hooks and settings',
        '  sync setup --folder DIR | --git URL [--name N]',
        '                              sync history across your machines, end-to-end encrypted, through a folder',
        '                              (Syncthing, Dropbox, NFS) or a git remote; prints the key as 24 words and a QR code',
        '  sync join --folder DIR | --git URL [--words W]   join with the key words from a machine already syncing',
        '  sync now | status [--key] [--json] | leave       sync at once; machines, last contact, bytes; stop syncing',
        '',
        'filters: --cwd DIR | --here (that folder or below; --exact-dir for only it), --host H, --session S,',
        '         --shell S, --ok | --failed | --exit N, --since T, --until T (T: 2024-05-01, 3h, 2d, 1w)',
        '',
        'Not recorded: commands starting with a space, anything while paused or LANYARD_HISTORY_OFF is set.',
        'Secrets are redacted: a command holding one (cloud, GitHub/GitLab/Slack/Stripe/OpenAI/npm tokens, JWTs, bearer',
        'or basic auth, URL passwords, -p/--password values, *SECRET*=, *TOKEN*=, *PASSWORD*=, *_KEY=,',
        'private-key blocks) is kept with it replaced by ‹redacted› (`history secrets drop`: not recorded at all).',
      ].join('\n'),
    },
  ],
} satisfies ToolDefinition<'history'>;
