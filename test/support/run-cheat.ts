// A cheat run in a terminal tab through the service, and everything it printed until it exited.
import type { InProcess } from '../../main/host/in-process.ts';

/** Run a cheat in a terminal tab and collect what it printed until it exits. */
export async function runCheatOutput(
  app: InProcess,
  id: string,
  values: Record<string, string>,
): Promise<{ command: string; output: string }> {
  const { terminal, command } = await app.api.docker.runInTerminal({ id, values, cols: 200, rows: 50 });
  let output = '';
  await new Promise<void>((resolve) =>
    app.api.terminal.output(
      { id: terminal.id },
      {
        next: (e) => {
          if (e.type === 'exit') return resolve();
          output += e.data;
          void app.api.terminal.ack({ id: terminal.id, chars: e.data.length });
        },
      },
    ),
  );
  return { command, output };
}
