// Waiting on a shared word: spin briefly (a reply usually comes within microseconds), then
// sleep with Atomics.wait. The spin adapts: it lengthens while spinning pays off and shortens
// while it does not, so an oversubscribed host (more busy threads than cores) is not made
// slower by threads spinning for a turn that is far away.
import { availableParallelism } from "node:os";

const MIN_SPINS = 64;
const MAX_SPINS = availableParallelism() > 1 ? 50_000 : MIN_SPINS;

export class AdaptiveSpin {
  private limit = 1_000;

  /** Spins while `view[index] === value`; true when it changed within the spin. */
  spinWhile(view: Int32Array, index: number, value: number): boolean {
    for (let i = 0; i < this.limit; i++) {
      if (Atomics.load(view, index) !== value) {
        this.limit = Math.min(MAX_SPINS, this.limit * 2);
        return true;
      }
    }
    this.limit = Math.max(MIN_SPINS, this.limit >> 1);
    return false;
  }
}
