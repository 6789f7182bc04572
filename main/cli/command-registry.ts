// The `lanyard` command registry: each tool's commands (names in the tool list; help and code in the tool's folder,
// reached through its public file), then the app's own (serve, install-command, app) in commands/. A command's code
// loads only when it runs.
import { tools } from '../contract/tools.ts';
import type { CommandModule } from '../system/command-line.ts';
import type { CommandEntry } from '../system/define-tool.ts';
import { loadTool, loadTools } from '../system/tool-files.ts';

export type { CommandEntry } from '../system/define-tool.ts';

const appCommands: readonly CommandEntry[] = [
  {
    name: 'serve',
    usage: 'lanyard serve [--port N] [--host ADDR] [--open]',
    load: () => import('./commands/serve.ts'),
    summary: 'run the Lanyard UI in a browser, served on loopback with a secret token',
    details: [
      'Serves the app and its services to a browser. Binds 127.0.0.1 on a random free port unless told',
      'otherwise. The printed URL carries a random token after `#token=`, which the browser never sends:',
      'the page keeps it for its tab and presents it on the WebSocket, the only door to the services.',
      'Requests from another site (foreign Origin or Host header) are refused. No cookie is set.',
      '',
      '  --port N      port to listen on (default: a free one)',
      '  --host ADDR   address to bind (default 127.0.0.1)',
      '  --open        open the app in your browser (through a private launcher file, so the token',
      '                never appears in a command line)',
    ].join('\n'),
  },
  {
    name: 'install-command',
    usage: 'lanyard install-command [--dir DIR] [--remove] [--force]',
    load: () => import('./commands/install-command.ts'),
    summary: 'put `lanyard` on your PATH (no root), to run it from any folder',
    details: [
      'Links ~/.local/bin/lanyard (Windows: %LOCALAPPDATA%\\Lanyard\\bin\\lanyard.cmd) to this install. The command',
      'brings its own Node 24, so it runs from any folder even where the system Node is older, and works in the',
      'folder you are in: `lanyard cert localhost` in ~/src/myapp writes the files there, as mkcert does.',
      'Says what it did, and the line to add when that folder is not on your PATH yet.',
      '',
      '  --dir DIR   link there instead',
      "  --remove    remove the link (only if it is this Lanyard's; --force for any file of that name)",
      "  --force     replace a file of that name that is not this Lanyard's command",
    ].join('\n'),
  },
  {
    name: 'app',
    usage: 'lanyard app [--no-download]',
    load: () => import('./commands/app.ts'),
    summary: 'start the desktop app (where Electron cannot run: a Chrome-family app window, else a tab)',
    details: [
      'Starts the Electron app, fetching its binary first if npm skipped the download. Where Electron cannot start, opens',
      'Lanyard in an app-mode window of an installed Chrome, Chromium, Edge or Brave instead: no tabs or address bar,',
      "a browser profile of Lanyard's own (app-window-profile in the data folder), the token passed through a private",
      'launcher file, never a command line. Closing that window stops Lanyard; Ctrl+C here closes the window. With no',
      'such browser, no display, or a browser that fails to show the window, runs `lanyard serve --open` instead.',
      'Each step says in one line why the one before was not used.',
      '',
      '  --no-download   never fetch the Electron binary; go straight to the app window if it is missing',
    ].join('\n'),
  },
];

/** Every command's name, from the list alone: running a command loads no tool's public file. */
export const commandNames: readonly string[] = [...tools.flatMap((t) => t.commands), ...appCommands.map((c) => c.name)];

/** Every command with its help (loads each tool's public file: for --help). */
export async function commands(): Promise<CommandEntry[]> {
  const tools = await loadTools();
  return [...tools.flatMap((tool) => tool.commands ?? []), ...appCommands];
}

/** The command's code: an app command's, or the one its tool's public file points to (only that tool's file loads). */
export async function loadCommand(name: string): Promise<CommandModule> {
  const owner = tools.find((t) => (t.commands as readonly string[]).includes(name));
  const entries = owner ? ((await loadTool(owner.name)).commands ?? []) : appCommands;
  const entry = entries.find((c) => c.name === name);
  if (!entry) throw new Error(`lanyard ${name} is listed${owner ? ` for the tool "${owner.name}"` : ''} but has no command entry`);
  return entry.load();
}

export async function helpText(topic?: string): Promise<string> {
  const all = await commands();
  const command = topic ? all.find((c) => c.name === topic) : undefined;
  if (command) return `usage: ${command.usage}\n\n${command.summary}.\n\n${command.details}\n`;
  const width = Math.max(...all.map((c) => c.name.length));
  return [
    'lanyard — certificates, shell history, Docker cheats and TZSP captures in one workbench',
    '',
    'usage: lanyard <command> [options]',
    '',
    'commands:',
    ...all.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options:',
    '  -h, --help     show help (also: lanyard help <command>)',
    '  -v, --version  print the version',
    '',
    'Data lives in $LANYARD_HOME (default ~/.local/share/lanyard on Linux).',
    '',
  ].join('\n');
}
