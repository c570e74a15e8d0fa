// Small systems for kernel tests: each thread gets its own single-level CSpace (guard = 64 - radix,
// so CPtr k names slot k at depth seL4_WordBits), a VSpace and an IPC buffer, like capDL would build.
import { Kernel, type Config, type CNodeObj, type FrameObj, type KObject, type PagingObj, type SchedContextObj, type TCB } from "../../src/kernel/index.js";
import { InProcessSystem, type Program } from "../../src/sim/harness.js";

export interface ThreadSpec {
  name: string;
  radix?: number;
  priority?: number;
  mcp?: number;
  /** MCS: give the thread an SC (default: round-robin 10 ms). `false` makes it passive. */
  sc?: { budgetUs: number; periodUs: number; badge?: number } | false;
}

export const IPC_BUFFER_VADDR = 0x100000n;
export const STACK_TOP = 0x200000n;

export class TestSystem {
  readonly kernel: Kernel;
  readonly sim: InProcessSystem;
  readonly tcbs = new Map<string, TCB>();
  readonly cnodes = new Map<string, CNodeObj>();
  readonly vspaces = new Map<string, PagingObj>();
  readonly scs = new Map<string, SchedContextObj>();

  constructor(readonly config: Config, threads: ThreadSpec[]) {
    const output: string[] = [];
    this.kernel = new Kernel({ config, memoryBytes: 16 * 1024 * 1024, onOutput: (s) => output.push(s) });
    this.sim = new InProcessSystem(this.kernel, output);
    const b = this.kernel.boot;
    for (const t of threads) {
      const radix = t.radix ?? 4;
      const cnode = b.createObject("CNode", { name: `cnode_${t.name}`, sizeBits: radix }) as CNodeObj;
      const tcb = b.createObject("TCB", { name: `tcb_${t.name}` }) as TCB;
      const vspace = b.createObject("PML4", { name: `vspace_${t.name}` }) as PagingObj;
      const ipc = b.createObject("Frame4K", { name: `ipc_${t.name}` }) as FrameObj;
      const stack = b.createObject("Frame4K", { name: `stack_${t.name}` }) as FrameObj;
      b.mapFrame(vspace, ipc, IPC_BUFFER_VADDR, 3);
      b.mapFrame(vspace, stack, STACK_TOP - 0x1000n, 3);
      let sc: SchedContextObj | undefined;
      if (config === "mcs" && t.sc !== false) {
        sc = b.createObject("SchedContext", { name: `sc_${t.name}`, sizeBits: 8 }) as SchedContextObj;
        const p = t.sc ?? { budgetUs: 10_000, periodUs: 10_000 };
        b.configureSchedContext(sc, p);
        this.scs.set(t.name, sc);
      }
      b.configureThread(tcb, {
        cspace: b.cap(cnode, { guardSize: 64 - radix }), vspace: b.cap(vspace), ipcBuffer: { frame: ipc, vaddr: IPC_BUFFER_VADDR },
        priority: t.priority ?? 254, mcp: t.mcp ?? 254, sc, stackPointer: STACK_TOP - 0x100n,
      });
      this.tcbs.set(t.name, tcb);
      this.cnodes.set(t.name, cnode);
      this.vspaces.set(t.name, vspace);
    }
  }

  tcb(name: string): TCB { return this.tcbs.get(name)!; }
  cnode(name: string): CNodeObj { return this.cnodes.get(name)!; }

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
