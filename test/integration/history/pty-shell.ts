// A real shell on a real PTY (node-pty), driven like a person at a prompt.
import pty from 'node-pty';

export const promptMark = 'LYPROMPT> ';

export class PtyShell {
  readonly process: pty.IPty;
  output = '';
  private waiters: (() => void)[] = [];

  constructor(file: string, args: string[], env: NodeJS.ProcessEnv, cwd: string) {
    this.process = pty.spawn(file, args, { name: 'xterm-256color', cols: 120, rows: 40, cwd, env: env as Record<string, string> });
    this.process.onData((data) => {
      this.output += data;
      for (const w of this.waiters.splice(0)) w();
    });
  }

  /** Resolve once `test` holds for the output, or fail after `timeoutMs` showing the output's tail. */
  async until(test: (output: string) => boolean, what: string, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!test(this.output)) {
      if (Date.now() > deadline)
        throw new Error(`timed out waiting for ${what}; output so far:\n${JSON.stringify(this.output.slice(-1500))}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 100);
      });
    }
  }

  prompts(): number {
    return this.output.split(promptMark).length - 1;
  }

  /** Type a line (Enter included) and wait for the next prompt. */
  async run(line: string): Promise<void> {
    const before = this.prompts();
    this.process.write(`${line}\r`);
    await this.until(() => this.prompts() > before, `the prompt after ${JSON.stringify(line)}`);
  }

  async exit(): Promise<void> {
    const done = new Promise<void>((resolve) => this.process.onExit(() => resolve()));
    // Ctrl+D at an empty prompt: no `exit` command for a hook to record.
    this.process.write('\x04');
    await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
    try {
      this.process.kill();
    } catch {
      // already gone
    }
  }
}
