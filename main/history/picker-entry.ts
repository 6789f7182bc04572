// The Ctrl+R picker's own entry (out/picker.js), which the bash and zsh hooks start on the keystroke: it loads
// only what the picker draws with, not the CLI's command table, help or option parsing, so the frame is up
// sooner; the history service loads after it. `lanyard history search -i` runs the same picker.
// Arguments, from the hooks only: [--up-list (first)] [--session-hint ID] [--query TEXT]; --up-list prints the
// Up-arrow's list. Exit 0 with the command on stdout, 1 when
// cancelled or on an error (the hook then leaves the line alone).
import { enableCompileCache } from 'node:module';

// Compiled code cached between keystrokes (as bin.js does for `lanyard`); set before the picker's code loads.
enableCompileCache?.();

function option(args: string[], name: string): string | null {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1]! : null;
}

const args = process.argv.slice(2);
const [query, session, cwd] = [option(args, '--query') ?? '', option(args, '--session-hint'), process.cwd()];
try {
  // --up-list: the context-aware Up-arrow's list (no terminal drawn), from the same fast start.
  if (args[0] === '--up-list')
    process.exitCode = await (await import('./cli/history-recall.ts')).runRecall({ prefix: query, session, cwd });
  else process.exitCode = await (await import('./cli/history-picker.ts')).runPicker({ query, session, cwd });
} catch (error) {
  process.stderr.write(`lanyard: the history picker failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
