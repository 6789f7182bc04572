// Capture files through the call tracker: what `lanyard calls list|flow|stats` and the app's "open" read.
import type { FileWarning } from './contract.ts';
import { captureReaders } from '../captures/tool.ts';
import { ServiceError } from '../contract/errors.ts';
import { forEachPacket } from './capture-packets.ts';
import { CallTracker, type TrackerLimits } from './tracker.ts';

/**
 * Feeds every file into one tracker (in the order given), then frames what TCP gaps still hold and times out what
 * the capture's end leaves unanswered. A file that breaks midway gives its calls up to the break and a warning in
 * `warnings`; a file with nothing readable before its break is an error, as is one that is no capture at all.
 */
export async function analyseFiles(
  files: readonly string[],
  limits: Partial<TrackerLimits> = {},
  tracker = new CallTracker(limits),
  warnings: FileWarning[] = [],
) {
  const readers = await captureReaders();
  let last = 0;
  for (const file of files) {
    let end: ReturnType<typeof forEachPacket>;
    try {
      end = forEachPacket(readers, file, (packet) => {
        tracker.feed(packet);
        last = packet.ts;
      });
    } catch (error) {
      throw unreadable(file, error);
    }
    const { stop } = end;
    if (!stop) continue;
    if (end.records === 0) throw unreadable(file, { name: 'CaptureFileError', message: stop.text });
    const { byte, packet, reason, cutShort, text } = stop;
    warnings.push({ file, byte, packet, reason, cutShort, text: `${file}: ${text}` });
  }
  tracker.flush();
  tracker.tick(last);
  return tracker;
}

/** A file that cannot be read as a capture, said in one line with its name (the CLI and the app show it as is). */
function unreadable(file: string, error: unknown): unknown {
  const { code, name, message } = error as NodeJS.ErrnoException;
  const reason =
    code === 'ENOENT'
      ? 'no such file'
      : code === 'EISDIR'
        ? 'a folder, not a capture file'
        : code === 'EACCES' || code === 'EPERM'
          ? 'permission denied'
          : name === 'CaptureFileError'
            ? message
            : null;
  if (reason === null) return error;
  return new ServiceError('invalid-argument', `${file}: ${reason}`, {
    hint: 'Give pcap or pcapng files, as dumpcap, tcpdump -w and Wireshark write them.',
  });
}
