// Open a FIFO (Wireshark's extcap FIFO, or one Lanyard made for Wireshark), a plain file, or standard output
// as a Writable that never blocks the event loop, so a stalled reader shows up as counted drops.
import { constants, createWriteStream, fstatSync, openSync } from 'node:fs';
import net from 'node:net';
import type { Writable } from 'node:stream';

/** A FIFO opened without a reader fails with ENXIO: retry until Wireshark opens its end, or give up. */
export async function openPipeWriter(file: string, timeoutMs = 30_000): Promise<Writable> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let fd: number;
    try {
      fd = openSync(file, constants.O_WRONLY | constants.O_NONBLOCK | constants.O_CREAT, 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENXIO' || Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, 100));
      continue;
    }
    return writerForFd(fd);
  }
}

/** Wrap an open descriptor: pipes and sockets through libuv's non-blocking stream, files through fs. */
function writerForFd(fd: number, options: { ownsFd?: boolean } = {}): Writable {
  const stat = fstatSync(fd);
  if (process.platform !== 'win32' && (stat.isFIFO() || stat.isSocket())) {
    const socket = new net.Socket({ fd, readable: false, writable: true });
    socket.unref(); // the listener's owner decides how long the process lives
    return socket;
  }
  const stream = createWriteStream('', { fd, autoClose: options.ownsFd ?? true });
  if (options.ownsFd === false) stream.on('finish', () => stream.emit('close'));
  return stream;
}

export function stdoutWriter(): Writable {
  return writerForFd(1, { ownsFd: false });
}
