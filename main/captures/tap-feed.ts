// The host's end of the transport tap: the sinks other tools add (Calls' tracker), fed from the receiver's
// batches. The receiver decodes frames for the tap only while a sink is added, so it is told each change.
import { readTapBatch } from './tap-batch.ts';
import type { TransportSink } from './transport-packet.ts';

export class TapFeed {
  readonly #sinks = new Set<TransportSink>();
  readonly #watchers = new Set<(active: boolean) => void>();
  /** Batches that did not parse (a bug in the receiver, never outside input): counted, not fatal. */
  broken = 0;

  get active(): boolean {
    return this.#sinks.size > 0;
  }

  /** Start handing packets to `sink`; the returned function stops it. */
  add(sink: TransportSink): () => void {
    this.#sinks.add(sink);
    if (this.#sinks.size === 1) this.#tell();
    return () => {
      if (this.#sinks.delete(sink) && this.#sinks.size === 0) this.#tell();
    };
  }

  /** Call `watcher` now and on every change of `active`; the returned function stops it. */
  watch(watcher: (active: boolean) => void): () => void {
    this.#watchers.add(watcher);
    watcher(this.active);
    return () => this.#watchers.delete(watcher);
  }

  /** Every packet of a receiver batch to every sink, in order. */
  deliver(batch: ArrayBuffer): void {
    if (this.#sinks.size === 0) return;
    const ok = readTapBatch(batch, (packet) => {
      for (const sink of this.#sinks) sink(packet);
    });
    if (!ok) this.broken++;
  }

  #tell(): void {
    for (const watcher of this.#watchers) watcher(this.active);
  }
}
