// The live path into the tracker: packets from TZSP sensors and HEP agents as the captures tap hands them, and a
// periodic tick, because live traffic has no end of capture to flush at. The tick gives up on TCP gaps that waited
// past their timeout (a lost segment must not hold its connection's later messages forever) and times out
// unanswered INVITEs, as the file path does at the end of each file. Its clock is the capture clock the packets
// carry (a sensor's own stamps), moved on by the wall time since the latest packet: a sensor whose clock is off
// neither expires everything at once nor nothing at all.
import type { CapturedPacket } from './packet.ts';
import type { CallTracker } from './tracker.ts';

/** How often the tick runs: a gap's timeout (2 s) is given up on within this much of passing. */
export const liveTickMs = 500;

export class LiveFeed {
  readonly #tracker: () => CallTracker;
  readonly #now: () => number;
  /** Capture time of the latest packet (µs) and the wall time it arrived (ms); 0 before the first. */
  #lastTs = 0;
  #lastWall = 0;

  constructor(tracker: () => CallTracker, now: () => number = () => performance.now()) {
    this.#tracker = tracker;
    this.#now = now;
  }

  readonly packet = (p: CapturedPacket): void => {
    this.#tracker().feed(p);
    if (p.ts >= this.#lastTs) {
      this.#lastTs = p.ts;
      this.#lastWall = this.#now();
    }
  };

  /** Expiry on the live capture clock; nothing before the first live packet (files tick themselves). */
  tick(): void {
    if (this.#lastTs === 0) return;
    this.#tracker().tick(this.#lastTs + Math.round((this.#now() - this.#lastWall) * 1000));
  }

  /** Runs `tick` every `liveTickMs` (not holding the process up); the returned function stops it. */
  start(): () => void {
    const timer = setInterval(() => this.tick(), liveTickMs);
    timer.unref();
    return () => clearInterval(timer);
  }
}
