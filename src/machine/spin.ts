// Waiting on a shared word: spin briefly (the other side usually answers within microseconds),
// then sleep with Atomics.wait. The spin length follows what it saw: a spin that caught the
// change sets the length to about what was needed; one that did not halves it, so on a host with
// more busy threads than cores a waiting thread soon stops taking CPU from the one doing the work.
// Every PROBE_EVERY-th wait spins the maximum, so a host that becomes quiet is noticed again.
import { availableParallelism } from "node:os";

const MIN_SPINS = 128;
const MAX_SPINS = availableParallelism() > 1 ? 50_000 : MIN_SPINS;
const PROBE_EVERY = 64;
/** The real clock, taken before a worker points performance.now at virtual time. */
const realNow = performance.now.bind(performance);
/** Taken before learner code runs: it cannot replace what the channel waits with (sandbox.ts). */
const { load, wait } = Atomics;

export class AdaptiveSpin {
  private limit = 2_000;
  private waits = 0;

  /** Waits while `view[index] === value`, at most `timeoutMs`; true when the value changed. */
  waitWhile(view: Int32Array, index: number, value: number, timeoutMs = Infinity): boolean {
    const spins = ++this.waits % PROBE_EVERY === 0 ? MAX_SPINS : this.limit;
    for (let i = 0; i < spins; i++) {
      if (load(view, index) !== value) {
        this.limit = Math.min(MAX_SPINS, Math.max(MIN_SPINS, this.limit, 2 * i));
        return true;
      }
    }
    this.limit = Math.max(MIN_SPINS, this.limit >> 1);
    const deadline = realNow() + timeoutMs;
    while (load(view, index) === value) {
      const left = deadline - realNow();
      if (left <= 0) return false;
      wait(view, index, value, left);
    }
    return true;
  }
}
