// The capDL loader's job: create every object of a system plan in a fresh kernel, configure the
// scheduling contexts, fill the CNodes, map and configure each thread, and resume the threads in
// name order. Anything the kernel refuses is reported against the spec entry that asked for it.
import type {
  BootInterface,
  Cap,
  CNodeObj,
  FrameObj,
  KObject,
  PagingObj,
  SchedContextObj,
  TCB,
} from "../kernel/index.js";
import { SourceError } from "../tutorial/json-source.js";
import { DATA_SEGMENT_PAGES, DATA_SEGMENT_VADDR } from "../abi/image.js";
import { bootRootTask } from "./root-task.js";
import { type PlanCap, type PlanThread, type SpecRef, type SystemPlan } from "./plan.js";

export interface BootedThread {
  plan: PlanThread;
  tcb: TCB;
  /** Root task: where its boot info is mapped. */
  bootInfo?: bigint;
}

const READ_WRITE = 3;
const PAGE_MASK = 0xfffn;
const STACK_POINTER_OFFSET = 0xf00n;

type KindOf<K extends KObject["kind"]> = Extract<KObject, { kind: K }>;

export function bootSystem(boot: BootInterface, plan: SystemPlan): BootedThread[] {
  if (plan.rootTask) return bootRootTask(boot, plan);
  const { threads } = loadSystem(boot, plan);
  for (const b of threads) boot.resume(b.tcb);
  return threads;
}

/** A capDL system loaded but not yet resumed, with its objects by name (tests build on them). */
export interface LoadedSystem {
  threads: BootedThread[];
  objects: ReadonlyMap<string, KObject>;
}

/** Everything the capDL loader does before it resumes the threads. */
export function loadSystem(boot: BootInterface, plan: SystemPlan): LoadedSystem {
  /** Runs one boot step; a refusal becomes an error at the spec entry it came from. */
  const at = <T>(ref: SpecRef | undefined, step: () => T): T => {
    try {
      return step();
    } catch (e) {
      if (!ref || e instanceof SourceError) throw e;
      throw new SourceError(
        plan.file,
        ref.line,
        ref.column,
        ref.path,
        `the loader could not boot this: ${(e as Error).message}`,
      );
    }
  };
  const objects = new Map<string, KObject>();
  for (const o of plan.objects) {
    objects.set(
      o.name,
      at(o.at, () =>
        boot.createObject(o.type, {
          name: o.name,
          ...(o.sizeBits !== undefined ? { sizeBits: o.sizeBits } : {}),
          ...(o.paddr !== undefined ? { paddr: Number(o.paddr) } : {}),
        }),
      ),
    );
  }
  function get<K extends KObject["kind"]>(name: string, ...kinds: K[]): KindOf<K> {
    const o = objects.get(name);
    if (o === undefined || !(kinds as string[]).includes(o.kind)) {
      throw new Error(`loader: "${name}" is ${o ? `a ${o.kind}` : "missing"}, expected ${kinds.join(" or ")}`);
    }
    return o as KindOf<K>;
  }
  const capTo = (c: PlanCap): Cap =>
    boot.cap(objects.get(c.object!)!, {
      rights: c.rights,
      ...(c.badge !== 0n ? { badge: c.badge } : {}),
      ...(c.guardSize !== undefined ? { guard: c.guard ?? 0n, guardSize: c.guardSize } : {}),
    });

  for (const o of plan.objects) {
    if (o.sc) {
      const sc: SchedContextObj = get(o.name, "SchedContext");
      const params = o.sc;
      at(o.at, () => boot.configureSchedContext(sc, params));
    }
  }
  for (const n of plan.cnodes) {
    const cnode: CNodeObj = get(n.name, "CNode");
    for (const c of n.caps) if (c.object !== null) at(c.at, () => boot.insertCap(cnode, c.slot, capTo(c)));
  }

  const booted: BootedThread[] = [];
  const withData = new Set<PagingObj>();
  for (const t of plan.threads) {
    const vspace: PagingObj = get(t.vspace, "PML4");
    // The program's data segment (src/abi/image.ts), once per VSpace, as the capDL loader loads
    // an ELF's segments into it: where staticWord's globals live.
    if (!withData.has(vspace)) {
      withData.add(vspace);
      for (let i = 0; i < DATA_SEGMENT_PAGES; i++) {
        const frame = at(t.at, () => boot.createObject("Frame4K", { name: `data_${t.name}_${i}` }) as FrameObj);
        at(t.at, () => boot.mapFrame(vspace, frame, DATA_SEGMENT_VADDR + BigInt(i) * (PAGE_MASK + 1n), READ_WRITE));
      }
    }
    const ipcBuffer: FrameObj | null = t.ipcBuffer === null ? null : get(t.ipcBuffer, "Frame4K");
    const bufferVaddr = t.ipcBufferVaddr ?? 0n;
    if (ipcBuffer) at(t.at, () => boot.mapFrame(vspace, ipcBuffer, bufferVaddr & ~PAGE_MASK, READ_WRITE));
    for (const m of t.mappings) {
      const holder = m.cap === null ? undefined : { cnode: get(t.cnode, "CNode"), slot: m.cap.slot };
      at(m.at, () =>
        boot.mapFrame(vspace, get(m.frame, "Frame4K", "LargePage", "HugePage"), m.vaddr, m.rights, holder),
      );
    }
    // Like the capDL loader's ELF stack: one page at the top of the user address space, so a
    // kernel stack dump after a double fault reads real (zeroed) stack words.
    const stack: FrameObj = at(t.at, () => boot.createObject("Frame4K", { name: `stack_${t.name}` }) as FrameObj);
    at(t.at, () => boot.mapFrame(vspace, stack, t.stackVaddr, READ_WRITE));
    const sc: SchedContextObj | undefined = t.sc === null ? undefined : get(t.sc, "SchedContext");
    // Master keeps a CPtr into the thread's own CSpace; MCS keeps the cap itself.
    const fault = t.faultEndpoint;
    const faultEP =
      fault === null ? undefined : plan.config === "mcs" ? (fault.cap ? capTo(fault.cap) : undefined) : fault.cptr;
    const tcb: TCB = get(t.tcb, "TCB");
    at(t.at, () =>
      boot.configureThread(tcb, {
        cspace: boot.cap(get(t.cnode, "CNode"), { guard: t.cspaceGuard, guardSize: t.cspaceGuardSize }),
        vspace: boot.cap(vspace),
        ...(ipcBuffer ? { ipcBuffer: { frame: ipcBuffer, vaddr: bufferVaddr } } : {}),
        priority: t.priority,
        mcp: t.mcp,
        ...(faultEP !== undefined ? { faultEP } : {}),
        ...(sc ? { sc } : {}),
        stackPointer: t.stackVaddr + STACK_POINTER_OFFSET,
      }),
    );
    const timeout = t.timeoutEndpoint?.cap;
    if (timeout) at(t.at, () => boot.setTimeoutHandler(tcb, capTo(timeout)));
    booted.push({ plan: t, tcb });
  }
  return { threads: booted, objects };
}
