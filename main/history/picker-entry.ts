// The Ctrl+R picker's own entry (out/picker.js), which the bash and zsh hooks start on the keystroke: it loads
// only what the picker draws with, not the CLI's command table, help or option parsing, so the frame is up
// sooner; the history service loads after it. `lanyard history search -i` runs the same picker.
// Arguments, from the hooks only: [--session-hint ID] [--query TEXT]. Exit 0 with the command on stdout, 1 when
// cancelled or on an error (the hook then leaves the line alone).
import { enableCompileCache } from 'node:module';

// Compiled code cached between keystrokes (as bin.js does for `lanyard`); set before the picker's code loads.
enableCompileCache?.();
const { runPicker } = await import('./cli/history-picker.ts');

function option(args: string[], name: string): string | null {
  const at = args.indexOf(name);
  return at >= 0 && at + 1 < args.length ? args[at + 1]! : null;
}

const args = process.argv.slice(2);
try {
  process.exitCode = await runPicker({ query: option(args, '--query') ?? '', session: option(args, '--session-hint'), cwd: process.cwd() });
} catch (error) {
  process.stderr.write(`lanyard: the history picker failed: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
