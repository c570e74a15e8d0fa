// What the learner-facing sel4 module needs from the machine it runs on. Inside a worker this is
// src/machine/channel.ts (traps through shared memory); unit tests pass a fake.
import type { KernelConfig } from "../abi/constants.js";

/** How a thread stopped for good. */
export type ThreadEnd = "returned" | "aborted";

export interface Sel4Channel {
  readonly config: KernelConfig;
  /** Root task only: where the kernel mapped seL4_BootInfo (the address it passed in RDI). */
  readonly bootInfo?: bigint;
  /** This thread's register file (CONTEXT_WORDS words, indexed by abi/registers.ts). */
  readonly regs: BigUint64Array;
  /** The IPC buffer (128 words). A thread without one gets a private buffer the kernel cannot see. */
  ipcBuffer(): BigUint64Array;
  /** Enter the kernel with a Syscall event; returns once the syscall has completed (restarts included). */
  syscall(): void;
  /** Memory access through the thread's VSpace (may VM-fault and be restarted). */
  load(vaddr: bigint): bigint;
  store(vaddr: bigint, value: bigint): void;
  /**
   * The thread continues at `vaddr`, where its program has no code (a call through a pointer that
   * is no function): the kernel reports the fetch's fault, and a restart fetches again.
   */
  jump(vaddr: bigint): never;
  /** A CPU exception (e.g. vector 6 for ud2); returns if the handler moves the thread past it. */
  exception(vector: number, code: number): void;
  /** Console output, in program order with everything else the system prints. */
  print(text: string): void;
  /** The thread stops for good: main returned, or abort() was called (a failed ZF_LOGF_IF or assert). */
  exit(how?: ThreadEnd): never;
  /** "handler.ts:12" for the learner's code that is running now, for error messages. */
  location(): string | null;
  /**
   * False while the program's files are being loaded (their top-level code runs), true once its
   * entry function (main, or where a new thread's registers point) has been called.
   */
  started(): boolean;
  /** The address of a top-level function of the program (where a new thread can start). */
  functionAddress(f: unknown): number | undefined;
  /** The top-level function at an address, the other way round. */
  functionAt(address: number): ((...args: number[]) => unknown) | undefined;
}
