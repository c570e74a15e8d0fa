// The kernel's single entry point (seL4's callKernel: handle the event, schedule, activate)
// and the boot interface the capDL-like loader uses to build the initial system.
import {
  CONFIG_TIME_SLICE,
  TIMER_TICK_NS,
  type KernelConfig,
  type ObjectTypeName,
  seL4_NotificationBits,
  RIGHT_GRANT,
  RIGHT_GRANT_REPLY,
  RIGHT_WRITE,
  seL4_MaxUntypedBits,
  seL4_MinSchedContextBits,
  seL4_MinUntypedBits,
  seL4_SlotBits,
  seL4_WordBits,
} from "../../abi/constants.js";
import { toWord } from "../api/types.js";
import { handleSyscall, traceSyscall } from "../api/syscall.js";
import { emit, tracing, tracingFacts } from "../api/trace.js";
import { FaultIP, NextIP, RAX, RSP, SYSCALL_INSN_BYTES } from "../../abi/registers.js";
import { frameSizeBits, USER_TOP, userAccess } from "../arch/vspace.js";
import { nextASID } from "../arch/invocations.js";
import { fastpath } from "../fastpath/fastpath.js";
import { handleFault } from "../kernel/faulthandler.js";
import { checkBudgetAtEntry, nextMCSTimerEvent, refillNew } from "../kernel/mcstime.js";
import { lookupIPCBuffer } from "../kernel/message.js";
import {
  isSchedulable,
  rescheduleRequired,
  schedule,
  setThreadState,
  tcbSchedAppend,
  tcbSchedEnqueue,
} from "../kernel/scheduler.js";
import { KernelState, type KernelOptions } from "./state.js";
import { cteDelete, insertOriginal } from "../object/cdt.js";
import { capObject } from "../object/objecttype.js";
import { createObject, objectSizeBits } from "../object/create.js";
import { schedContextBindTCB, schedContextCompleteYieldTo } from "../object/schedcontext.js";
import { setupReplyMaster, suspend } from "../object/tcbops.js";
import {
  THREAD_STATE_NAMES,
  ThreadState,
  TCB_BUFFER_MASTER,
  TCB_BUFFER_MCS,
  TCB_CTABLE,
  TCB_FAULT_HANDLER,
  TCB_TIMEOUT_HANDLER,
  TCB_REPLY_MASTER,
  TCB_VTABLE,
  type Cap,
  type CNodeObj,
  type FrameObj,
  type KObject,
  type PagingObj,
  type SchedContextObj,
  type SingletonKind,
  type TCB,
} from "../object/structures.js";
import { describeFault } from "../kernel/debug.js";
import type { Fault } from "../api/failures.js";
import { bootRootServer, type RootServer } from "../kernel/boot.js";
import { PADDR_USER_DEVICE_TOP } from "../arch/pc99.js";
import { getActiveIRQ, handleInterrupt, initIRQs } from "../object/interrupt.js";

export type KernelEvent =
  | { type: "Syscall" }
  | { type: "UserException"; number: number; code: number }
  | { type: "Load"; vaddr: bigint }
  | { type: "Store"; vaddr: bigint; value: bigint }
  | { type: "Timer" }
  | { type: "ThreadExit"; how?: "returned" | "aborted" }
  | { type: "Jump"; vaddr: bigint };

/** x86 #UD. */
const INVALID_OPCODE_VECTOR = 6;

export interface ThreadReport {
  name: string;
  state: string;
  priority: number;
  blockedOn: string | null;
}

export class Kernel {
  readonly state: KernelState;
  readonly boot: BootInterface;

  constructor(opts: KernelOptions) {
    this.state = new KernelState(opts);
    this.state.nextTick = TIMER_TICK_NS;
    this.state.interrupts = initIRQs();
    this.boot = new BootInterface(this.state);
  }

  get config(): KernelConfig {
    return this.state.config;
  }
  get memory(): SharedArrayBuffer {
    return this.state.memory;
  }
  get now(): number {
    return this.state.now;
  }
  get halted(): boolean {
    return this.state.halted;
  }

  currentThread(): TCB | null {
    return this.state.curThread;
  }
  threads(): TCB[] {
    return this.state.tcbs.filter((t) => t.live);
  }

  /** Virtual time passes; on MCS the running thread's SC is charged at the next entry. */
  advanceTime(ns: number): void {
    if (!(ns >= 0)) throw new RangeError(`advanceTime: ${ns} is not a non-negative duration`);
    this.state.now += ns;
    if (this.state.mcs && this.state.curThread !== null) this.state.mcsConsumed += ns;
  }

  /**
   * Absolute virtual time of the next interrupt, or null when none can matter: the kernel's timer
   * (master: the next tick while a thread runs; MCS: the budget's end or the next release) or a
   * device's interrupt that would reach the CPU (the board's IOAPIC has the pin unmasked).
   */
  nextTimerEvent(): number | null {
    const ks = this.state;
    const kernelTimer = ks.mcs ? nextMCSTimerEvent(ks) : ks.curThread === null ? null : ks.nextTick;
    const device = ks.board.nextInterrupt(ks.now);
    if (device === null) return kernelTimer;
    return kernelTimer === null ? device : Math.min(kernelTimer, device);
  }

  debugPrint(text: string): void {
    this.state.print(text);
  }

  /** Byte offset in `memory` of the thread's IPC buffer. */
  ipcBufferAddress(t: TCB): number | null {
    const w = lookupIPCBuffer(this.state, false, t);
    return w === null ? null : w * 8;
  }

  /** One kernel entry for the current thread (or an interrupt while idle). */
  callKernel(event: KernelEvent): void {
    const ks = this.state;
    const cur = ks.curThread;
    if (cur !== null) {
      // A trap: the trapping instruction is the one before NextIP, and a restart re-executes it.
      // (Storing into the 64-bit register file wraps the difference modulo 2^64, as the hardware
      // subtraction does.) An interrupt: NextIP is the instruction the thread was about to execute,
      // and FaultIP is the same (c_x64_handle_interrupt), so a restart simply continues there.
      // A jump: the instruction that faults is the one at the target, where NextIP already points.
      cur.regs[FaultIP] =
        event.type === "Timer" || event.type === "Jump" ? cur.regs[NextIP]! : cur.regs[NextIP]! - SYSCALL_INSN_BYTES;
    }
    // The devices catch up with the clock first: what they did while no one looked happens now.
    ks.board.sync(ks.now);
    let proceed = true;
    if (ks.mcs) proceed = checkBudgetAtEntry(ks, event.type !== "Timer");
    else if (event.type === "Timer") this.timerInterrupt();
    if (event.type === "Timer") this.deviceInterrupt();
    if (cur !== null && proceed && event.type !== "Timer") this.handleTrap(cur, event);
    schedule(ks);
    this.activateThread();
  }

  private handleTrap(cur: TCB, event: Exclude<KernelEvent, { type: "Timer" }>): void {
    const ks = this.state;
    switch (event.type) {
      case "Syscall":
        // While tracing every entry takes the slow path: seL4's fastpath leaves the same state
        // (test/kernel/fastpath.test.ts), and the slow path is where each step is named.
        if (tracing(ks)) {
          traceSyscall(ks, cur);
          handleSyscall(ks);
        } else if (!fastpath(ks)) handleSyscall(ks);
        return;
      case "UserException":
        handleFault(ks, cur, { type: "UserException", number: event.number, code: event.code });
        return;
      case "Load":
      case "Store": {
        const write = event.type === "Store";
        const access = userAccess(ks, cur, toWord(event.vaddr, "vaddr"), write);
        if ("fsr" in access) {
          handleFault(ks, cur, {
            type: "VMFault",
            address: toWord(event.vaddr),
            fsr: access.fsr,
            instructionFault: false,
          });
        } else if (event.type === "Store") {
          ks.physWrite(access.wordIndex, toWord(event.value, "value"));
        } else {
          cur.regs[RAX] = ks.physRead(access.wordIndex);
        }
        return;
      }
      case "ThreadExit":
        if (tracingFacts(ks)) emit(ks, { kind: "exit", how: event.how ?? "returned" });
        suspend(ks, cur);
        return;
      case "Jump": {
        // Fetching the instruction at the target: a page fault where nothing is mapped. The
        // simulated CPU (QEMU's Nehalem) has neither NX nor SMEP, so the error code has no
        // instruction-fetch bit and seL4 reports a fault on data. Where something is mapped there
        // is still no code of the program: an invalid-opcode exception.
        const vaddr = toWord(event.vaddr, "vaddr");
        const access = userAccess(ks, cur, vaddr, false);
        if ("fsr" in access)
          handleFault(ks, cur, { type: "VMFault", address: vaddr, fsr: access.fsr, instructionFault: false });
        else handleFault(ks, cur, { type: "UserException", number: INVALID_OPCODE_VECTOR, code: 0 });
        return;
      }
    }
  }

  /** master timerTick: count down the running thread's timeslice; at zero, back of the queue. */
  private timerInterrupt(): void {
    const ks = this.state;
    while (ks.now >= ks.nextTick) {
      ks.nextTick += TIMER_TICK_NS;
      const cur = ks.curThread;
      if (cur === null || !isSchedulable(ks, cur)) continue;
      if (cur.timeSlice > 1) {
        cur.timeSlice--;
      } else {
        cur.timeSlice = CONFIG_TIME_SLICE;
        tcbSchedAppend(ks, cur);
        rescheduleRequired(ks);
      }
    }
  }

  /** One device interrupt per entry, as seL4's handleInterruptEntry takes one (getActiveIRQ). */
  private deviceInterrupt(): void {
    const irq = getActiveIRQ(this.state);
    if (irq !== null) handleInterrupt(this.state, irq);
  }

  /** activateThread: a Restart thread re-executes the instruction at FaultIP. */
  private activateThread(): void {
    const ks = this.state;
    const cur = ks.curThread;
    if (ks.mcs) ks.curSC = cur?.sc ?? null;
    if (cur === null) return;
    if (ks.mcs && cur.yieldTo !== null) schedContextCompleteYieldTo(ks, cur);
    if (cur.state === ThreadState.Restart) {
      cur.regs[NextIP] = cur.regs[FaultIP]!;
      setThreadState(ks, cur, ThreadState.Running);
    }
  }

  describeThread(t: TCB): ThreadReport {
    return { name: t.name, state: THREAD_STATE_NAMES[t.state], priority: t.priority, blockedOn: this.blockedOn(t) };
  }

  /** print_fault's words inside a line of sel4tut's report (the kernel ends the timeout one with its own newline). */
  private faultInline(fault: Fault): string {
    return describeFault(this.state, fault).trimEnd();
  }

  private blockedOn(t: TCB): string | null {
    switch (t.state) {
      case ThreadState.BlockedOnSend:
      case ThreadState.BlockedOnReceive:
        return (
          `endpoint '${t.blockingObject?.name ?? "?"}'` + (t.fault ? ` (delivering ${this.faultInline(t.fault)})` : "")
        );
      case ThreadState.BlockedOnNotification:
        return `notification '${t.blockingObject?.name ?? "?"}'`;
      case ThreadState.BlockedOnReply: {
        const what = t.fault ? `a reply to its fault (${this.faultInline(t.fault)})` : "a reply";
        return `${what} ${this.replySource(t)}`;
      }
      default:
        return null;
    }
  }

  /**
   * Where the reply `t` waits for can come from. master: the reply cap derived from its reply master
   * (in some thread's Caller slot, or moved into a CNode by SaveCaller); none left means it never
   * comes. MCS: the reply object it is linked to, and the thread waiting with that object, if any.
   */
  private replySource(t: TCB): string {
    if (this.state.mcs) {
      const reply = t.replyObject;
      if (reply === null) return "that no thread can send";
      const holder = this.state.tcbs.find(
        (o) => o.live && o.state === ThreadState.BlockedOnReceive && o.replyObject === reply,
      );
      return `through reply object '${reply.name}'` + (holder ? ` (held by '${holder.name}')` : "");
    }
    for (const child of t.slots[TCB_REPLY_MASTER]!.children) {
      return child.owner.kind === "TCB" ? `from '${child.owner.name}'` : `through a reply cap in '${child.owner.name}'`;
    }
    return "that no thread can send";
  }
}

export interface ThreadConfig {
  /** The CSpace root. A thread without one takes an InvalidRoot cap fault on every syscall. */
  cspace?: Cap;
  vspace?: Cap;
  ipcBuffer?: { frame: FrameObj; vaddr: bigint };
  priority?: number;
  mcp?: number;
  /** master: a CPtr in the thread's own CSpace. MCS: an endpoint cap copied into TCB slot 3. */
  faultEP?: bigint | Cap;
  sc?: SchedContextObj;
  stackPointer?: bigint;
  entryPoint?: bigint;
}

/** What the capDL loader does before the system runs, expressed on the model directly. */
export class BootInterface {
  constructor(private readonly ks: KernelState) {}

  /**
   * Boot the way seL4 itself starts a system: one initial thread (the root task) with its CNode,
   * VSpace, boot info and every untyped (src/kernel/boot.c). Instead of the loader's objects.
   */
  rootServer(): RootServer {
    if (this.ks.objects.length > 0) throw new Error("the root server is booted into an empty kernel");
    return bootRootServer(this.ks);
  }

  /**
   * A new object. With `paddr` it is device memory at that physical address (an Untyped or a
   * frame, as capDL's objects with a paddr): outside the simulated RAM, where the board's devices
   * sit, and taking none of it.
   */
  createObject(
    type: ObjectTypeName | SingletonKind,
    opts: { name: string; sizeBits?: number; paddr?: number },
  ): KObject {
    const ks = this.ks;
    const userSize = opts.sizeBits ?? (type === "SchedContext" ? 8 : type === "Untyped" ? 12 : 1);
    checkBootObject(ks.config, type, opts.name, userSize);
    const memBits = isSingleton(type) ? 4 : objectSizeBits(type, userSize, seL4_NotificationBits(ks.config));
    const paddr =
      opts.paddr === undefined ? ks.allocPhys(memBits) : devicePaddr(ks, type, opts.name, opts.paddr, memBits);
    const sizeBits = type === "CNode" ? userSize : type === "SchedContext" ? userSize : memBits;
    const { obj } = createObject(ks, type, paddr, sizeBits, opts.name);
    if (obj.kind === "PML4") obj.asid = nextASID(ks);
    if (opts.paddr !== undefined && "isDevice" in obj) obj.isDevice = true;
    return obj;
  }

  /** A cap to `obj` with reduced rights, a badge or a CNode guard. */
  cap(
    obj: KObject,
    opts: { rights?: number; badge?: bigint | number; guard?: bigint | number; guardSize?: number } = {},
  ): Cap {
    const rights = opts.rights ?? 0xf;
    const badge = toWord(opts.badge ?? 0, "badge");
    switch (obj.kind) {
      case "Endpoint":
        return { type: "Endpoint", obj, badge, rights: rights & 0xf };
      case "Notification":
        return { type: "Notification", obj, badge, rights: rights & 0x3 };
      case "CNode": {
        const guardSize = opts.guardSize ?? 0;
        if (guardSize + obj.radix > 64)
          throw new RangeError(`CNode '${obj.name}': guard size ${guardSize} + radix ${obj.radix} exceeds 64`);
        return { type: "CNode", obj, guard: toWord(opts.guard ?? 0, "guard"), guardSize };
      }
      case "TCB":
        return { type: "Thread", obj };
      case "Untyped":
        return { type: "Untyped", obj };
      case "Reply":
        return { type: "ReplyObject", obj, canGrant: (rights & 4) !== 0 };
      case "SchedContext":
        return { type: "SchedContext", obj };
      case "SchedControl":
      case "IRQControl":
      case "Domain":
      case "ASIDPool":
      case "ASIDControl":
      case "IOPortControl":
        return { type: obj.kind, obj } as Cap;
      case "Frame4K":
      case "LargePage":
      case "HugePage":
        return { type: "Frame", obj, rights: rights & 0x3, mapping: null };
      case "PML4":
      case "PDPT":
      case "PageDirectory":
      case "PageTable":
        return { type: obj.kind, obj } as Cap;
      case "IRQ":
        return { type: "IRQHandler", obj };
    }
  }

  insertCap(cnode: CNodeObj, slot: number, cap: Cap): void {
    if (!Number.isInteger(slot) || slot < 0 || slot >= cnode.slots.length) {
      throw new RangeError(`slot ${slot} is outside CNode '${cnode.name}' (slots 0..${cnode.slots.length - 1})`);
    }
    const cte = cnode.slots[slot]!;
    if (cte.cap.type !== "Null") {
      throw new Error(
        `slot ${slot} of CNode '${cnode.name}' already holds a ${cte.cap.type} cap` +
          ` (to '${capObject(cte.cap)?.name ?? "?"}'); cannot put a ${cap.type} cap there`,
      );
    }
    insertOriginal(cap, cte);
  }

  /**
   * The thread's fault handler, as the loader sets it. master: a CPtr, looked up in the thread's own
   * CSpace each time it faults. MCS: an endpoint cap (or the null cap) copied into TCB slot 3; like
   * seL4_TCB_SetSpace it must be able to send and grant (or grant replies).
   */
  setFaultHandler(tcb: TCB, faultEP: bigint | Cap): void {
    if (!this.ks.mcs) {
      if (typeof faultEP !== "bigint")
        throw new TypeError(`TCB '${tcb.name}': master fault endpoints are CPtrs in the thread's CSpace`);
      tcb.faultHandlerCPtr = toWord(faultEP, "fault endpoint CPtr");
      return;
    }
    if (typeof faultEP === "bigint") throw new TypeError(`TCB '${tcb.name}': MCS fault endpoints are caps, not CPtrs`);
    this.installHandler(tcb, TCB_FAULT_HANDLER, faultEP, "fault");
  }

  /**
   * The thread's IPC buffer (what seL4_TCB_SetIPCBuffer does at run time): a frame and the address
   * it is mapped at, or null for none, in which case only the 4 register MRs travel.
   */
  setIPCBuffer(tcb: TCB, buffer: { frame: FrameObj; vaddr: bigint } | null): void {
    const slot = tcb.slots[this.ks.mcs ? TCB_BUFFER_MCS : TCB_BUFFER_MASTER]!;
    cteDelete(this.ks, slot);
    tcb.ipcBufferVAddr = 0n;
    if (buffer === null) return;
    if ((buffer.vaddr & 0x3ffn) !== 0n) {
      throw new RangeError(`TCB '${tcb.name}': IPC buffer address 0x${buffer.vaddr.toString(16)} is not 1 KiB aligned`);
    }
    insertOriginal(this.cap(buffer.frame), slot);
    tcb.ipcBufferVAddr = buffer.vaddr;
  }

  /** MCS: the timeout-fault endpoint (seL4_TCB_SetTimeoutEndpoint), copied into TCB slot 4. */
  setTimeoutHandler(tcb: TCB, cap: Cap): void {
    if (!this.ks.mcs) throw new Error(`TCB '${tcb.name}': timeout endpoints exist only on MCS`);
    this.installHandler(tcb, TCB_TIMEOUT_HANDLER, cap, "timeout");
  }

  private installHandler(tcb: TCB, index: number, cap: Cap, what: string): void {
    const valid =
      cap.type === "Null" ||
      (cap.type === "Endpoint" &&
        (cap.rights & RIGHT_WRITE) !== 0 &&
        (cap.rights & (RIGHT_GRANT | RIGHT_GRANT_REPLY)) !== 0);
    if (!valid) {
      throw new Error(
        `TCB '${tcb.name}': a ${what} endpoint must be an endpoint cap with Write and Grant or GrantReply`,
      );
    }
    const slot = tcb.slots[index]!;
    cteDelete(this.ks, slot);
    if (cap.type !== "Null") insertOriginal(cap, slot);
  }

  configureThread(tcb: TCB, c: ThreadConfig): void {
    const ks = this.ks;
    const put = (index: number, cap: Cap) => {
      const slot = tcb.slots[index]!;
      if (slot.cap.type !== "Null") throw new Error(`TCB '${tcb.name}' slot ${index} is already configured`);
      insertOriginal(cap, slot);
    };
    if (c.cspace) put(TCB_CTABLE, c.cspace);
    if (c.vspace) put(TCB_VTABLE, c.vspace);
    if (c.ipcBuffer) {
      if (tcb.slots[ks.mcs ? TCB_BUFFER_MCS : TCB_BUFFER_MASTER]!.cap.type !== "Null") {
        throw new Error(`TCB '${tcb.name}' slot ${ks.mcs ? TCB_BUFFER_MCS : TCB_BUFFER_MASTER} is already configured`);
      }
      this.setIPCBuffer(tcb, c.ipcBuffer);
    }
    tcb.priority = c.priority ?? 0;
    tcb.mcp = c.mcp ?? 0;
    if (c.faultEP !== undefined) this.setFaultHandler(tcb, c.faultEP);
    if (c.sc) {
      if (!ks.mcs) throw new Error("scheduling contexts exist only on MCS");
      schedContextBindTCB(ks, c.sc, tcb);
    }
    if (c.stackPointer !== undefined) tcb.regs[RSP] = c.stackPointer;
    if (c.entryPoint !== undefined) tcb.regs[FaultIP] = tcb.regs[NextIP] = c.entryPoint;
  }

  configureSchedContext(
    sc: SchedContextObj,
    c: { budgetUs: number; periodUs: number; badge?: bigint | number; extraRefills?: number },
  ): void {
    if (!this.ks.mcs) throw new Error("scheduling contexts exist only on MCS");
    const period = c.budgetUs === c.periodUs ? 0 : c.periodUs * 1000;
    refillNew(this.ks, sc, 2 + (c.extraRefills ?? 0), c.budgetUs * 1000, period);
    sc.badge = toWord(c.badge ?? 0, "badge");
  }

  /**
   * Map a frame, creating any missing paging structure on the way (the loader's job). `holder` is
   * the slot of an unmapped cap to the frame that becomes the mapping's cap, as the capDL loader
   * moves the copy it mapped with into the slot the spec names; without one, the loader keeps it.
   */
  mapFrame(
    vspace: PagingObj,
    frame: FrameObj,
    vaddr: bigint,
    rights: number,
    holder?: { cnode: CNodeObj; slot: number },
  ): void {
    const cte = holder === undefined ? null : holder.cnode.slots[holder.slot];
    if (cte !== null) {
      const cap = cte?.cap;
      if (cap?.type !== "Frame" || cap.obj !== frame || cap.mapping !== null) {
        throw new Error(
          `slot ${holder!.slot} of CNode '${holder!.cnode.name}' holds no unmapped cap to frame '${frame.name}'`,
        );
      }
    }
    const bits = BigInt(frameSizeBits(frame));
    if ((vaddr & ((1n << bits) - 1n)) !== 0n) {
      throw new RangeError(
        `frame '${frame.name}' (2^${bits} bytes) cannot be mapped at 0x${vaddr.toString(16)}: not aligned`,
      );
    }
    if (vaddr < 0n || vaddr + (1n << bits) > USER_TOP) {
      throw new RangeError(
        `frame '${frame.name}' cannot be mapped at 0x${vaddr.toString(16)}: outside the user address space`,
      );
    }
    const levels: ["PDPT" | "PageDirectory" | "PageTable", bigint][] = [
      ["PDPT", 39n],
      ["PageDirectory", 30n],
      ["PageTable", 21n],
    ];
    const leafShift = frame.kind === "Frame4K" ? 12n : frame.kind === "LargePage" ? 21n : 30n;
    let table: PagingObj = vspace;
    for (const [kind, shift] of levels) {
      if (shift <= leafShift) break;
      const i = Number((vaddr >> shift) & 511n);
      let e = table.entries[i];
      if (!e) {
        const child = this.createObject(kind, {
          name: `${kind.toLowerCase()}_${vspace.name}_${vaddr.toString(16)}`,
        }) as PagingObj;
        child.mappedIn = { vspace, vaddr: vaddr & ~((1n << shift) - 1n) };
        child.capCount++; // held by the loader, as capDL keeps a cap to every paging object
        e = { kind: "table", table: child };
        table.entries[i] = e;
      }
      if (e.kind !== "table") throw new Error(`vaddr 0x${vaddr.toString(16)} is already covered by a larger frame`);
      table = e.table;
    }
    const i = Number((vaddr >> leafShift) & 511n);
    if (table.entries[i]) throw new Error(`vaddr 0x${vaddr.toString(16)} is already mapped`);
    table.entries[i] = { kind: "frame", frame, rights: rights & 0x3, cte };
    if (cte !== null) cte.cap = { ...(cte.cap as Extract<Cap, { type: "Frame" }>), mapping: { vspace, vaddr } };
  }

  /** The capDL loader resumes each thread: it starts in Restart at the head of its ready queue. */
  resume(tcb: TCB): void {
    const ks = this.ks;
    setupReplyMaster(ks, tcb);
    tcb.state = ThreadState.Restart;
    tcb.regs[NextIP] = tcb.regs[FaultIP]!;
    if (isSchedulable(ks, tcb)) tcbSchedEnqueue(ks, tcb);
    ks.schedulerAction = { kind: "ChooseNewThread" };
  }

  /** Pick the first thread to run, as the loader's final self-suspend does. */
  start(): void {
    schedule(this.ks);
    const cur = this.ks.curThread;
    if (this.ks.mcs) this.ks.curSC = cur?.sc ?? null;
    if (cur !== null && cur.state === ThreadState.Restart) cur.state = ThreadState.Running;
  }
}

/** Spec errors the loader must report before anything is created (seL4 would refuse these retypes). */
function isSingleton(type: ObjectTypeName | SingletonKind): type is SingletonKind {
  return (
    type === "SchedControl" ||
    type === "ASIDPool" ||
    type === "ASIDControl" ||
    type === "IRQControl" ||
    type === "IOPortControl" ||
    type === "Domain"
  );
}

/** A device object's address: aligned to its size, above the simulated RAM, below CONFIG_PADDR_USER_DEVICE_TOP. */
function devicePaddr(
  ks: KernelState,
  type: ObjectTypeName | SingletonKind,
  name: string,
  paddr: number,
  sizeBits: number,
): number {
  if (type !== "Untyped" && type !== "Frame4K" && type !== "LargePage" && type !== "HugePage") {
    throw new Error(`object '${name}': only Untyped and frame objects can be device memory at a physical address`);
  }
  const bytes = 2 ** sizeBits;
  if (!Number.isSafeInteger(paddr) || paddr % bytes !== 0) {
    throw new RangeError(
      `object '${name}': physical address ${paddr} is not aligned to its size (2^${sizeBits} bytes)`,
    );
  }
  if (paddr < ks.memory.byteLength || paddr + bytes > PADDR_USER_DEVICE_TOP) {
    throw new RangeError(
      `object '${name}': device memory at 0x${paddr.toString(16)} must lie between the end of the simulated RAM ` +
        `(0x${ks.memory.byteLength.toString(16)}) and 2^47`,
    );
  }
  return paddr;
}

function checkBootObject(
  config: KernelConfig,
  type: ObjectTypeName | SingletonKind,
  name: string,
  userSize: number,
): void {
  if ((type === "SchedContext" || type === "Reply" || type === "SchedControl") && config !== "mcs") {
    throw new Error(`object '${name}': ${type} objects exist only on the MCS kernel`);
  }
  if (!Number.isInteger(userSize)) throw new TypeError(`object '${name}': size ${userSize} is not an integer`);
  if (type === "CNode" && (userSize < 1 || userSize > seL4_WordBits - seL4_SlotBits)) {
    throw new RangeError(`CNode '${name}': radix ${userSize} is outside 1..${seL4_WordBits - seL4_SlotBits}`);
  }
  if (type === "Untyped" && (userSize < seL4_MinUntypedBits || userSize > seL4_MaxUntypedBits)) {
    throw new RangeError(
      `untyped '${name}': size ${userSize} bits is outside ${seL4_MinUntypedBits}..${seL4_MaxUntypedBits}`,
    );
  }
  if (type === "SchedContext" && userSize < seL4_MinSchedContextBits) {
    throw new RangeError(
      `scheduling context '${name}': size ${userSize} bits is below seL4_MinSchedContextBits (${seL4_MinSchedContextBits})`,
    );
  }
}

export type { TCB };
