// ssh:// engines, as the docker CLI reaches them: `ssh … -- host docker system dial-stdio`, HTTP spoken over
// its stdin/stdout. The user's own ssh runs it (their config, agent and known_hosts); BatchMode=yes so a
// host-key question can never hang a request: an unknown key fails with its fingerprint and the command that
// lets the user accept it themselves. Connections are pooled (keep-alive) and an idle one is closed.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import http from 'node:http';
import { Duplex } from 'node:stream';
import { commandLine, type ShellDialect } from '../system/shell-quote.ts';
import { which } from '../system/which.ts';

export interface SshTarget {
  user: string | null;
  host: string;
  port: string | null;
}

/** A failure of ssh itself (not of the engine), with what the user can do about it. */
export class SshDialError extends Error {
  readonly hint: string;
  constructor(message: string, hint: string) {
    super(message);
    this.hint = hint;
  }
}

/** What ssh said on stderr that Lanyard keeps for an error message: the last 8 kB. */
const stderrCap = 8 * 1024;
/** A pooled connection unused this long is closed (its ssh ends). */
export const sshIdleMs = 30_000;

/** ssh://[user@]host[:port] as the docker CLI accepts it: no path, no password, nothing ssh could read as an option. */
export function parseSshHost(host: string): SshTarget {
  let url: URL;
  try {
    url = new URL(host);
  } catch {
    throw new Error(`"${host}" is not an ssh:// address; write it as ssh://user@host or ssh://user@host:port.`);
  }
  if (url.protocol !== 'ssh:') throw new Error(`"${host}" is not an ssh:// address.`);
  if (url.password) throw new Error(`${host}: a password in the address is not supported; use a key (ssh-agent) instead.`);
  if (url.pathname && url.pathname !== '/') throw new Error(`${host}: an ssh:// address has no path ("${url.pathname}").`);
  const name = url.hostname.replace(/^\[(.*)\]$/, '$1');
  const user = decodeURIComponent(url.username);
  if (!name || name.startsWith('-') || user.startsWith('-'))
    throw new Error(`${host}: the host and user cannot be empty or start with "-".`);
  return { user: user || null, host: name, port: url.port || null };
}

/** ssh's arguments to run `remote` on the target; the host comes after `--`, so it is never read as an option. */
export function sshArgs(target: SshTarget, remote: readonly string[], extra: readonly string[] = []): string[] {
  return [
    '-o',
    'BatchMode=yes',
    '-o',
    'ConnectTimeout=10',
    '-T',
    ...extra,
    ...(target.port ? ['-p', target.port] : []),
    ...(target.user ? ['-l', target.user] : []),
    '--',
    target.host,
    ...remote,
  ];
}

/** The command that lets the user see and accept the host key themselves (ssh asks them). */
export function acceptCommand(target: SshTarget, dialect: ShellDialect): string {
  return commandLine(
    ['ssh', ...(target.port ? ['-p', target.port] : []), ...(target.user ? ['-l', target.user] : []), target.host, 'true'],
    dialect,
  );
}

/** The key ssh is shown by the host ("ED25519 SHA256:…"), read from one verbose, non-interactive attempt. */
function offeredHostKey(ssh: string, target: SshTarget, env: NodeJS.ProcessEnv): Promise<string | null> {
  return new Promise((resolve) => {
    const child = spawn(ssh, sshArgs(target, ['true'], ['-v']), { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let text = '';
    child.stderr.on('data', (chunk: Buffer) => {
      if (text.length < 64 * 1024) text += chunk.toString('utf8');
    });
    const timer = setTimeout(() => child.kill(), 15_000);
    child.on('error', () => resolve(null));
    child.on('close', () => {
      clearTimeout(timer);
      const marker = 'Server host key: ';
      const at = text.indexOf(marker);
      if (at < 0) return resolve(null);
      const end = text.indexOf('\n', at);
      resolve(text.slice(at + marker.length, end < 0 ? undefined : end).trim());
    });
  });
}

/** ssh's failure as a message and a fix; the host key is looked up when that is what failed. */
async function dialError(
  ssh: string,
  target: SshTarget,
  env: NodeJS.ProcessEnv,
  dialect: ShellDialect,
  code: number | null,
  stderr: string,
): Promise<SshDialError> {
  const where = `${target.user ? `${target.user}@` : ''}${target.host}${target.port ? `:${target.port}` : ''}`;
  const said = stderr.trim().split('\n').slice(-3).join(' ').slice(0, 400);
  if (stderr.includes('Host key verification failed') || stderr.includes('REMOTE HOST IDENTIFICATION HAS CHANGED')) {
    const changed = stderr.includes('REMOTE HOST IDENTIFICATION HAS CHANGED');
    const key = await offeredHostKey(ssh, target, env);
    return new SshDialError(
      `${changed ? 'The ssh host key of' : 'ssh does not know the host key of'} ${where}${key ? ` (it offers ${key})` : ''}${changed ? ' has CHANGED since you last connected: someone may be intercepting the connection' : ''}. Lanyard never accepts a host key for you.`,
      changed
        ? `Ask the host's owner whether its key changed; only then remove the old one (ssh-keygen -R ${target.host}) and connect once yourself: ${acceptCommand(target, dialect)}`
        : `Compare the fingerprint with the one the host's owner gives you, then connect once yourself and answer "yes": ${acceptCommand(target, dialect)}`,
    );
  }
  if (stderr.includes('Permission denied'))
    return new SshDialError(
      `ssh could not log in to ${where}: ${said}`,
      'Load your key into ssh-agent (ssh-add) or name it in ~/.ssh/config; Lanyard cannot type a password or passphrase.',
    );
  if (/docker: (command )?not found|not found: docker/.test(stderr))
    return new SshDialError(
      `${where} has no docker command for \`docker system dial-stdio\`: ${said}`,
      'Install the docker CLI on that host.',
    );
  return new SshDialError(
    `ssh to ${where} failed${code !== null ? ` (exit ${code})` : ''}${said ? `: ${said}` : ''}.`,
    `Try it in a terminal: ${commandLine(['ssh', ...sshArgs(target, ['docker', 'system', 'dial-stdio']).slice(4)], dialect)}`,
  );
}

/**
 * One ssh process as a socket for Node's HTTP client. The agent calls ref/unref/setKeepAlive/setTimeout on the
 * sockets it pools: unref also starts the idle timer that ends an unused ssh.
 */
class SshStream extends Duplex {
  timeout = 0;
  private idle: NodeJS.Timeout | null = null;
  private readonly child: ChildProcessWithoutNullStreams;

  constructor(child: ChildProcessWithoutNullStreams, failed: (code: number | null, stderr: string) => Promise<Error>) {
    super({ allowHalfOpen: false });
    this.child = child;
    let stderr = '';
    let answered = false;
    child.stderr.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-stderrCap);
    });
    child.stdout.on('data', (chunk: Buffer) => {
      answered = true;
      if (!this.push(chunk)) child.stdout.pause();
    });
    child.stdin.on('error', () => undefined); // EPIPE once ssh has gone: its exit says why
    child.on('error', (error) => this.destroy(error));
    child.on('close', (code) => {
      if (this.destroyed) return;
      if (answered || code === 0) this.push(null);
      else void failed(code, stderr).then((error) => this.destroy(error));
    });
  }

  override _read(): void {
    this.child.stdout.resume();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.child.stdin.write(chunk, callback);
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.child.stdin.end();
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    this.ref();
    if (this.child.exitCode === null) this.child.kill();
    callback(error);
  }

  setKeepAlive(): this {
    return this;
  }

  setNoDelay(): this {
    return this;
  }

  setTimeout(ms: number, callback?: () => void): this {
    this.timeout = ms;
    if (callback) this.once('timeout', callback);
    return this;
  }

  /** Back in use (taken from the pool). */
  ref(): this {
    if (this.idle) clearTimeout(this.idle);
    this.idle = null;
    this.child.ref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr]) (pipe as unknown as { ref?: () => void }).ref?.();
    return this;
  }

  /** Parked in the pool: it must not keep the process alive, and it ends after sshIdleMs unused. */
  unref(): this {
    this.child.unref();
    for (const pipe of [this.child.stdin, this.child.stdout, this.child.stderr]) (pipe as unknown as { unref?: () => void }).unref?.();
    this.idle ??= setTimeout(() => this.destroy(), sshIdleMs).unref();
    return this;
  }
}

export interface SshDialer {
  /** The HTTP agent whose connections are ssh processes; `pool: false` spawns one ssh per request. */
  agent: http.Agent;
  /** ssh processes started so far (for tests and the bench). */
  started(): number;
}

/** An agent for one ssh:// engine. */
export function sshDialer(
  host: string,
  env: NodeJS.ProcessEnv,
  options: { pool?: boolean; dialect?: ShellDialect; remote?: readonly string[] } = {},
): SshDialer {
  const target = parseSshHost(host);
  const dialect = options.dialect ?? 'sh';
  const remote = options.remote ?? ['docker', 'system', 'dial-stdio'];
  let count = 0;
  const dial = (): Duplex => {
    const ssh = which('ssh', env);
    if (!ssh) {
      const stream = new Duplex({
        read() {},
        write(_c, _e, cb) {
          cb();
        },
      });
      process.nextTick(() =>
        stream.destroy(
          new SshDialError(`No ssh command on PATH to reach ${host}.`, 'Install the OpenSSH client (sudo apt install openssh-client).'),
        ),
      );
      return stream;
    }
    count++;
    const child = spawn(ssh, sshArgs(target, remote), { env, stdio: ['pipe', 'pipe', 'pipe'] });
    return new SshStream(child, (code, stderr) => dialError(ssh, target, env, dialect, code, stderr));
  };
  class SshAgent extends http.Agent {
    override createConnection(): Duplex {
      return dial();
    }
  }
  const pool = options.pool ?? true;
  return { agent: new SshAgent(pool ? { keepAlive: true, maxFreeSockets: 4 } : { keepAlive: false }), started: () => count };
}
