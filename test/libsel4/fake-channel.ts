// A channel without a kernel: records what a libsel4 call put in the registers and IPC buffer
// when it trapped, and lets the test play the kernel's answer.
import { CONTEXT_WORDS } from "../../src/abi/registers.js";
import type { KernelConfig } from "../../src/abi/constants.js";
import type { Sel4Channel } from "../../src/libsel4/channel.js";
import { createLibsel4 } from "../../src/libsel4/index.js";

export class FakeChannel implements Sel4Channel {
  readonly regs = new BigUint64Array(CONTEXT_WORDS);
  readonly buffer = new BigUint64Array(128);
  readonly traps: { regs: bigint[]; buffer: bigint[] }[] = [];
  readonly printed: string[] = [];
  /** Plays the kernel: called with the registers at each syscall. */
  kernel: (regs: BigUint64Array, buffer: BigUint64Array) => void = () => {};
  exited = false;

  constructor(readonly config: KernelConfig) {}

  ipcBuffer(): BigUint64Array {
    return this.buffer;
  }
  syscall(): void {
    this.traps.push({ regs: [...this.regs], buffer: [...this.buffer] });
    this.kernel(this.regs, this.buffer);
  }
  load(_vaddr: bigint): bigint {
    return 0n;
  }
  store(): void {}
  exception(): void {}
  jump(vaddr: bigint): never {
    throw new Error(`jumped to 0x${vaddr.toString(16)}`);
  }
  started(): boolean {
    return true;
  }
  print(text: string): void {
    this.printed.push(text);
  }
  exit(): never {
    this.exited = true;
    throw new Error("thread exited");
  }
  location(): string | null {
    return "learner.ts:12";
  }
  functionAddress(f: unknown): number | undefined {
    return typeof f === "function" && f.name === "entry" ? 0x401000 : undefined;
  }
  functionAt(address: number): ((...args: number[]) => unknown) | undefined {
    return address === 0x401000
      ? function entry() {
          return 1;
        }
      : undefined;
  }

  get last(): { regs: bigint[]; buffer: bigint[] } {
    return this.traps[this.traps.length - 1]!;
  }
}

/** What the tests' libsel4 functions return: tests call any function by name and read any result. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- see above
type Loose = any;

/** A libsel4 instance on a fake channel, with its functions typed loosely for tests. */
export function fakeLibsel4(config: KernelConfig): {
  ch: FakeChannel;
  sel4: Record<string, (...args: unknown[]) => Loose> & Record<string, Loose>;
} {
  const ch = new FakeChannel(config);
  return { ch, sel4: createLibsel4(ch) as never };
}
