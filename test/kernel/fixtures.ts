// Small systems for kernel tests: each thread gets its own single-level CSpace (guard = 64 - radix,
// so CPtr k names slot k at depth seL4_WordBits), a VSpace and an IPC buffer, like capDL would build.
import {
  Kernel,
  type CNodeObj,
  type KObject,
  type PagingObj,
  type SchedContextObj,
  type TCB,
} from "../../src/kernel/index.js";
import type { KernelConfig } from "../../src/abi/constants.js";
import { InProcessSystem, type Program } from "../support/in-process.js";
import { buildThread, type ThreadSpec } from "../support/system.js";

export { IPC_BUFFER_VADDR, STACK_TOP, type ThreadSpec } from "../support/system.js";

export class TestSystem {
  readonly kernel: Kernel;
  readonly sim: InProcessSystem;
  readonly tcbs = new Map<string, TCB>();
  readonly cnodes = new Map<string, CNodeObj>();
  readonly vspaces = new Map<string, PagingObj>();
  readonly scs = new Map<string, SchedContextObj>();

  /** `options.fastpath: false` builds the kernel without CONFIG_FASTPATH (every syscall takes the slowpath). */
  constructor(
    readonly config: KernelConfig,
    threads: ThreadSpec[],
    options: { fastpath?: boolean } = {},
  ) {
    const output: string[] = [];
    this.kernel = new Kernel({
      config,
      memoryBytes: 32 * 1024 * 1024,
      onOutput: (s) => output.push(s),
      fastpath: options.fastpath,
    });
    this.sim = new InProcessSystem(this.kernel, output);
    for (const t of threads) {
      const built = buildThread(this.kernel, t);
      this.tcbs.set(t.name, built.tcb);
      this.cnodes.set(t.name, built.cnode);
      this.vspaces.set(t.name, built.vspace);
      if (built.sc) this.scs.set(t.name, built.sc);
    }
  }

  tcb(name: string): TCB {
    return this.tcbs.get(name)!;
  }
  cnode(name: string): CNodeObj {
    return this.cnodes.get(name)!;
  }

  create(type: Parameters<Kernel["boot"]["createObject"]>[0], name: string, sizeBits?: number): KObject {
    return this.kernel.boot.createObject(type, { name, sizeBits });
  }

  /** Put a cap to `obj` in `thread`'s CSpace at `slot`. */
  give(thread: string, slot: number, obj: KObject, opts: Parameters<Kernel["boot"]["cap"]>[1] = {}): void {
    this.kernel.boot.insertCap(this.cnode(thread), slot, this.kernel.boot.cap(obj, opts));
  }

  /** A cap to a thread's own CNode (guard 64 - radix), as capDL gives `*_cspace_root`. */
  giveCNode(thread: string, slot: number, of: string): void {
    const cn = this.cnode(of);
    this.kernel.boot.insertCap(this.cnode(thread), slot, this.kernel.boot.cap(cn, { guardSize: 64 - cn.radix }));
  }

  program(thread: string, p: () => Program): void {
    this.sim.attach(this.tcb(thread), p);
  }

  /** Resume threads in the given order (each goes to the head of its queue), then run. */
  run(resumeOrder: string[], maxSteps = 10_000): string {
    for (const n of resumeOrder) this.kernel.boot.resume(this.tcb(n));
    this.kernel.boot.start();
    this.sim.run(maxSteps);
    return this.sim.text;
  }

  slotCap(thread: string, slot: number) {
    return this.cnode(thread).slots[slot]!.cap;
  }

  state(thread: string): string {
    return this.kernel.describeThread(this.tcb(thread)).state;
  }
}
