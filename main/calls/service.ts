// The Calls service: one tracker holding the calls from files opened in the app and from the live feed
// (calls-live feeds the same tracker, shared through the host under `trackerShareKey`).
import type { CallDetail, CallsList, CallsStatus, ExportResult, FileWarning } from '../calls/contract.ts';
import { statSync } from 'node:fs';
import { openCaptureInWireshark } from '../captures/tool.ts';
import { ServiceError } from '../contract/errors.ts';
import { analyseFiles } from './analyse.ts';
import { exportCall } from './export-call.ts';
import { CallTracker } from './tracker.ts';

export interface CallsService {
  open(files: readonly string[]): Promise<CallsStatus>;
  clear(): CallsStatus;
  list(since?: number): CallsList | null;
  detail(id: string): CallDetail;
  export(id: string, output: string): Promise<ExportResult>;
  /** Wireshark on a capture file (an exported call): the command it ran. */
  openInWireshark(file: string): Promise<{ command: string[] }>;
  readonly tracker: CallTracker;
}

export function createCallsService(initial: CallTracker = new CallTracker(), env: NodeJS.ProcessEnv = process.env): CallsService {
  let tracker = initial;
  const files: string[] = [];
  const warnings: FileWarning[] = [];
  const status = (): CallsStatus => ({
    files: files.slice(),
    warnings: warnings.slice(),
    calls: tracker.calls().length,
    counters: tracker.counters(),
  });
  return {
    get tracker() {
      return tracker;
    },
    async open(paths) {
      try {
        await analyseFiles(paths, {}, tracker, warnings);
      } catch (error) {
        // An unreadable file's error already names it with the reason.
        const message = error instanceof ServiceError ? error.message : `${paths.join(', ')}: ${(error as Error).message}`;
        throw new ServiceError('failed', `Could not read ${message}`, {
          hint: 'Calls reads pcap and pcapng files (Ethernet, Linux cooked, raw IP, loopback).',
        });
      }
      files.push(...paths);
      return status();
    },
    clear() {
      tracker = new CallTracker();
      files.length = 0;
      warnings.length = 0;
      return status();
    },
    list(since) {
      const version = tracker.version();
      if (since !== undefined && since === version) return null;
      return { calls: tracker.calls(), orphanStreams: tracker.orphanStreams(), counters: tracker.counters(), version };
    },
    detail(id) {
      const call = tracker.call(id);
      if (!call) throw new ServiceError('not-found', `No call with Call-ID "${id}".`);
      return call;
    },
    async export(id, output) {
      if (files.length === 0)
        throw new ServiceError('unavailable', 'Export reads the call back from its capture files, and no file is open.', {
          hint: 'Record the live capture to a file (Captures → Record) and open it here, then export.',
        });
      return exportCall(files, id, output);
    },
    async openInWireshark(file) {
      if (!statSync(file, { throwIfNoEntry: false })?.isFile())
        throw new ServiceError('not-found', `${file} is not a capture file here.`, { hint: 'Export the call first.' });
      return { command: await openCaptureInWireshark(env, file) };
    },
  };
}
