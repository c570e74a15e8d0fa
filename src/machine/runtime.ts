// The per-thread object instrumented learner code talks to (`$sel4$`, see ipmap.ts and
// src/compile/instrument.ts). Its fields are read and written on every statement and loop
// iteration, so it is a plain object with a fixed shape.
import { IP_CODE_BASE, IpMapRegistry, decodeIpMap } from "./ipmap.js";

export class Runtime {
  /** Synthetic instruction pointer of the statement that runs now. */
  ip = IP_CODE_BASE;
  /** Preemption points (virtual time) used since the machine last resumed this thread. */
  n = 0;
  /** Points the thread may use before it must trap so the machine can deliver the timer. */
  lim = 0;
  /** Traps to the machine when `n` reaches `lim` (installed by the channel). */
  preempt: () => void = () => {};
  readonly ipmaps = new IpMapRegistry();
  /** Top-level functions of the program by address, and back (a thread can start at one). */
  readonly functions = new Map<number, (...args: number[]) => unknown>();
  private readonly addresses = new Map<unknown, number>();

  /** Called once by each instrumented module, before its first statement. */
  ipmap(json: string): void {
    this.ipmaps.add(decodeIpMap(json));
  }

  /** Called by instrumented modules for each top-level function. */
  fn(address: number, f: (...args: number[]) => unknown): void {
    this.functions.set(address, f);
    this.addresses.set(f, address);
  }

  addressOf(f: unknown): number | undefined {
    return this.addresses.get(f);
  }
}
