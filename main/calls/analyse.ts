// Capture files through the call tracker: what `lanyard calls list|flow|stats` and the app's "open" read.
import { captureReaders } from '../captures/tool.ts';
import { forEachPacket } from './capture-packets.ts';
import { CallTracker, type TrackerLimits } from './tracker.ts';

/**
 * Feeds every file into one tracker (in the order given), then frames what TCP gaps still hold and times out what
 * the capture's end leaves unanswered.
 */
export async function analyseFiles(files: readonly string[], limits: Partial<TrackerLimits> = {}, tracker = new CallTracker(limits)) {
  const readers = await captureReaders();
  let last = 0;
  for (const file of files) {
    forEachPacket(readers, file, (packet) => {
      tracker.feed(packet);
      last = packet.ts;
    });
  }
  tracker.flush();
  tracker.tick(last);
  return tracker;
}
