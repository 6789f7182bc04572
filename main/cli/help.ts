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
