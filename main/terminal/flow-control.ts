// Ack-based flow control, as VS Code does it: output pauses once this many characters are sent but not yet
// rendered, and resumes when the renderer has caught up to the low mark. Memory stays bounded however fast
// a program writes.
export const highWaterChars = 100_000;
export const lowWaterChars = 5_000;

export interface FlowControl {
  sent(chars: number): void;
  acked(chars: number): void;
  readonly unacked: number;
  readonly paused: boolean;
}

export function createFlowControl(pause: () => void, resume: () => void, high = highWaterChars, low = lowWaterChars): FlowControl {
  let unacked = 0;
  let paused = false;
  return {
    sent(chars) {
      unacked += chars;
      if (!paused && unacked > high) {
        paused = true;
        pause();
      }
    },
    acked(chars) {
      unacked = Math.max(0, unacked - chars);
      if (paused && unacked < low) {
        paused = false;
        resume();
      }
    },
    get unacked() {
      return unacked;
    },
    get paused() {
      return paused;
    },
  };
}
