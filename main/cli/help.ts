import type { CommandModule } from './usage.ts';

export interface CommandEntry {
  name: string;
  usage: string;
  summary: string;
  details: string;
  load(): Promise<CommandModule>;
}

export const commands: CommandEntry[] = [
  {
    name: 'doctor',
    usage: 'lanyard doctor [--json]',
    summary: 'check versions, the data folder and the outside tools Lanyard uses',
    details: [
      'Reports the app, Node, Electron and SQLite versions, the data folder and its permissions,',
      'and each outside tool: the Docker engine (from DOCKER_HOST / docker context), Wireshark, tshark,',
      'dumpcap and the personal extcap folder, certutil, openssl, keytool, and bash / zsh / fish with',
      'whether the history hook is installed. Missing tools come with the command that installs them.',
      '',
      '  --json   print the report as JSON',
    ].join('\n'),
    load: () => import('./commands/doctor.ts'),
  },
  {
    name: 'docker',
    usage: 'lanyard docker cheats [QUERY] [--json] | show ID | run ID [--set name=value …] [--dry-run] [--yes] | suggest KIND [--running] | import navi|tldr PATH | engine',
    summary: 'Docker cheats filled from the live engine: list, show, run or print them',
    details: [
      'The engine is found as the docker CLI finds it (DOCKER_HOST, DOCKER_CONTEXT, the current context).',
      '',
      '  cheats [QUERY] [--json]   list the cheats, best fuzzy match first',
      '  show ID                   a cheat, its placeholders and the values you used last',
      '  run ID --set name=value   fill the placeholders, run the command and exit with its code',
      '      --dry-run             print the exact command line instead of running it',
      '      --yes                 run a dangerous cheat (rm, prune…) without asking',
      '  suggest KIND [--running]  values the engine offers: container, image, volume, network, context',
      '  import navi|tldr PATH     add navi .cheat files or tldr pages (a file or folder) to your cheats',
      '  engine [--json]           where the engine is and whether it answers',
      '',
      'Values are quoted for the shell (PowerShell on Windows): a value can never become a second command.',
    ].join('\n'),
    load: () => import('./commands/docker.ts'),
  },
  {
    name: 'serve',
    usage: 'lanyard serve [--port N] [--host ADDR] [--open]',
    summary: 'run the Lanyard UI in a browser, served on loopback with a secret token',
    details: [
      'Serves the app and its services to a browser. Binds 127.0.0.1 on a random free port unless told',
      'otherwise. The printed URL carries a random token; requests without it, or from another site',
      '(foreign Origin or Host header), are refused.',
      '',
      '  --port N      port to listen on (default: a free one)',
      '  --host ADDR   address to bind (default 127.0.0.1)',
      '  --open        open the URL in your browser',
    ].join('\n'),
    load: () => import('./commands/serve.ts'),
  },
  {
    name: 'app',
    usage: 'lanyard app [--no-download]',
    summary: 'start the desktop app (falls back to `serve --open` where Electron cannot run)',
    details: [
      'Starts the Electron app, fetching its binary first if npm skipped the download. Where the binary cannot be had,',
      'or there is no display, says why and runs `lanyard serve --open` instead.',
      '',
      '  --no-download   never fetch the Electron binary; fall back to serve if it is missing',
    ].join('\n'),
    load: () => import('./commands/app.ts'),
  },
];

export function helpText(topic?: string): string {
  const command = topic ? commands.find((c) => c.name === topic) : undefined;
  if (command) return `usage: ${command.usage}\n\n${command.summary}.\n\n${command.details}\n`;
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'lanyard — certificates, shell history, Docker cheats and TZSP captures in one workbench',
    '',
    'usage: lanyard <command> [options]',
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'options:',
    '  -h, --help     show help (also: lanyard help <command>)',
    '  -v, --version  print the version',
    '',
    'Data lives in $LANYARD_HOME (default ~/.local/share/lanyard on Linux).',
    '',
  ].join('\n');
}
