// The call tracker: SIP dialogs, transactions and their RTP streams, fed one packet at a time from any source.
import type { CallDetail, CallSummary, RtpStream, TrackerCounters } from '../contract/calls.ts';
import type { CapturedPacket } from './packet.ts';

export interface TrackerLimits {
  /** Dialogs and transactions kept; past it the oldest finished one goes (then the oldest at all). */
  maxCalls: number;
  /** SIP messages kept per call (the counters go on). */
  maxMessagesPerCall: number;
  /** RTP streams kept (with and without SDP). */
  maxStreams: number;
  /** Characters of each message's text kept for the detail view. */
  maxMessageText: number;
  /** An INVITE with no final answer after this long (µs, capture clock) is timed out (Timer B: 64 × T1). */
  timeoutUs: number;
}

export const defaultTrackerLimits: TrackerLimits = {
  maxCalls: 50_000,
  maxMessagesPerCall: 500,
  maxStreams: 100_000,
  maxMessageText: 8192,
  timeoutUs: 32_000_000,
};

export class CallTracker {
  constructor(_limits: Partial<TrackerLimits> = {}) {}

  /** One packet from any source: SIP (UDP, TCP, WebSocket), RTP or RTCP; anything else is counted and dropped. */
  feed(_p: CapturedPacket): void {}

  /** Marks INVITEs still unanswered after `timeoutUs` as timed out; `nowUs` on the capture clock. */
  tick(_nowUs: number): void {}

  /** Every call and flow, oldest first. */
  calls(): CallSummary[] {
    return [];
  }

  call(_id: string): CallDetail | undefined {
    return undefined;
  }

  /** RTP streams found without SDP (by their looks), listed apart from the calls. */
  orphanStreams(): RtpStream[] {
    return [];
  }

  counters(): TrackerCounters {
    return {
      packets: 0,
      sipMessages: 0,
      malformed: 0,
      rtpPackets: 0,
      rtcpPackets: 0,
      evictedCalls: 0,
      evictedStreams: 0,
      streamBytesDropped: 0,
    };
  }

  /** Goes up on every change, so a live view can poll cheaply. */
  version(): number {
    return 0;
  }
}
