// Doctor's front door: its service (it asks every tool for its checks) and `lanyard doctor` help.
import type { ToolDefinition } from '../system/define-tool.ts';

export const tool = {
  name: 'doctor',
  async load({ appVersion, dataDir, env }) {
    const [{ doctorHandlers }, { createDoctorService }] = await Promise.all([import('./handlers.ts'), import('./service.ts')]);
    return doctorHandlers(createDoctorService({ appVersion, dataDir, env }));
  },
  commands: [
    {
      name: 'doctor',
      load: () => import('./cli/doctor.ts'),
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
    },
  ],
} satisfies ToolDefinition<'doctor'>;
