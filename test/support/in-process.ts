// Drives kernel threads in-process, without workers: each thread is a generator that yields
// syscall requests. Used by the kernel's tests, property tests and the in-process benchmark.
// It does what the libsel4 stubs and the CPU do: load registers and the IPC buffer, trap,
// and on resumption either re-execute a restarted trap or read the results back.
import {
  IPCBUF_CAPS,
  IPCBUF_MSG,
  IPCBUF_RECEIVE_CNODE,
  IPCBUF_RECEIVE_DEPTH,
  IPCBUF_RECEIVE_INDEX,
} from "../../src/abi/constants.js";
import { Kernel, toWord, type KernelEvent, type TCB, wordFromMessageInfo } from "../../src/kernel/index.js";
import * as registers from "../../src/abi/registers.js";
import { syscallNumber, type SyscallName } from "../../src/abi/syscall.js";

const { RDI, RSI, RDX, R10, R8, R9, R15, R12, R13, RAX, NextIP, FaultIP } = registers;
const MSG_REGS = [R10, R8, R9, R15];

export interface SyscallRequest {
  kind: "syscall";
  name: SyscallName;
  cap?: number | bigint;
  label?: number | bigint;
  mrs?: (number | bigint)[];
  extraCaps?: (number | bigint)[];
  /** MCS reply cap (R12) / NBSendRecv destination (R13). */
  reply?: number | bigint;
  dest?: number | bigint;
  /** Raw info word instead of label/mrs/extraCaps (to send odd lengths). */
  infoWord?: bigint;
  /** Receive slot for cap transfer: (cnode, index, depth). */
  receiveSlot?: [number | bigint, number | bigint, number];
}
export type Request =
  | SyscallRequest
  | { kind: "raw"; number: number }
  /** User-mode computation for `ns` of virtual time: no trap, but timer interrupts may preempt it. */
  | { kind: "spin"; ns: number }
  | { kind: "exception"; number: number; code: number }
  | { kind: "load"; vaddr: bigint }
  | { kind: "store"; vaddr: bigint; value: bigint };

export interface Result {
  badge: bigint;
  info: bigint;
  label: bigint;
  length: number;
  extraCaps: number;
  capsUnwrapped: number;
  mrs: bigint[];
  /** RAX after a load. */
  value: bigint;
}

export type Program = Generator<Request, void, Result>;

/** One kernel entry as the harness made it: the thread that was running (null when idle), the
 *  event, and the program's request that caused it (null for timer interrupts and thread exit). */
export interface KernelEntry {
  thread: TCB | null;
  event: KernelEvent;
  request: Request | null;
}

interface Running {
  gen: Program;
  started: boolean;
  pending: Request | null;
  finished: boolean;
  /** Virtual ns of user computation still to run (a `spin` request in progress). */
  spinLeft: number;
  /** Address of the thread's last trap instruction (NextIP is 2 past it until the kernel restarts it). */
  trapIP: bigint;
}

/** libsel4-style helpers: yield* these inside a program. */
export const sys = {
  call: (
    cap: number | bigint,
    label: number | bigint,
    mrs: (number | bigint)[] = [],
    extraCaps: (number | bigint)[] = [],
  ): SyscallRequest => ({ kind: "syscall", name: "Call", cap, label, mrs, extraCaps }),
  send: (
    cap: number | bigint,
    label: number | bigint,
    mrs: (number | bigint)[] = [],
    extraCaps: (number | bigint)[] = [],
  ): SyscallRequest => ({ kind: "syscall", name: "Send", cap, label, mrs, extraCaps }),
  nbsend: (cap: number | bigint, label: number | bigint, mrs: (number | bigint)[] = []): SyscallRequest => ({
    kind: "syscall",
    name: "NBSend",
    cap,
    label,
    mrs,
  }),
  recv: (cap: number | bigint, reply?: number | bigint): SyscallRequest => ({
    kind: "syscall",
    name: "Recv",
    cap,
    reply,
  }),
  nbrecv: (cap: number | bigint, reply?: number | bigint): SyscallRequest => ({
    kind: "syscall",
    name: "NBRecv",
    cap,
    reply,
  }),
  wait: (cap: number | bigint): SyscallRequest => ({ kind: "syscall", name: "Wait", cap }),
  nbwait: (cap: number | bigint): SyscallRequest => ({ kind: "syscall", name: "NBWait", cap }),
  reply: (label: number | bigint, mrs: (number | bigint)[] = []): SyscallRequest => ({
    kind: "syscall",
    name: "Reply",
    label,
    mrs,
  }),
  replyRecv: (
    cap: number | bigint,
    label: number | bigint,
    mrs: (number | bigint)[] = [],
    reply?: number | bigint,
  ): SyscallRequest => ({ kind: "syscall", name: "ReplyRecv", cap, label, mrs, reply }),
  yield: (): SyscallRequest => ({ kind: "syscall", name: "Yield" }),
  signal: (cap: number | bigint): SyscallRequest => ({ kind: "syscall", name: "Send", cap, label: 0, mrs: [] }),
  spin: (ns: number): Request => ({ kind: "spin", ns }),
};

export class InProcessSystem {
  private readonly mem: BigUint64Array;
  private readonly syscallWords = new Map<SyscallName, bigint>();
  /** The synthetic instruction pointer of the next trap (a number: only its BigInt goes to NextIP). */
  private ip = 0x401000;
  /** Programs by TCB id, for the run loop. */
  private readonly byId: (Running | undefined)[] = [];
  steps = 0;
  /** Called after every kernel entry the harness makes (property tests check invariants here). */
  onEntry: ((entry: KernelEntry) => void) | null = null;

  /** `output` is the array the kernel's onOutput appends to. */
  constructor(
    readonly kernel: Kernel,
    readonly output: string[] = [],
  ) {
    this.mem = new BigUint64Array(kernel.memory);
  }

  get text(): string {
    return this.output.join("");
  }

  attach(tcb: TCB, program: () => Program): void {
    const running: Running = {
      gen: program(),
      started: false,
      pending: null,
      finished: false,
      spinLeft: 0,
      trapIP: -1n,
    };
    this.byId[tcb.id] = running;
  }

  /** Run until idle (no runnable thread) or `maxSteps` kernel entries. Returns the entries made. */
  run(maxSteps = 100_000): number {
    const k = this.kernel;
    let n = 0;
    while (n < maxSteps && !k.halted) {
      const cur = k.currentThread();
      const due = k.nextTimerEvent();
      if (cur === null) {
        if (due === null) break;
        k.advanceTime(Math.max(0, due - k.now));
        k.callKernel(TIMER_EVENT);
        this.entered(null, TIMER_EVENT, null);
        n++;
        continue;
      }
      if (due !== null && k.now >= due) {
        // The timer interrupt arrives while the thread is in user mode, between two traps.
        k.callKernel(TIMER_EVENT);
        this.entered(cur, TIMER_EVENT, null);
        n++;
        continue;
      }
      const r = this.byId[cur.id];
      if (!r || r.finished) throw new Error(`thread '${cur.name}' is running but has no program`);
      if (r.spinLeft > 0) {
        const step = due === null ? r.spinLeft : Math.min(r.spinLeft, due - k.now);
        k.advanceTime(step);
        r.spinLeft -= step;
        // A finished computation is not a trap: nothing to re-execute however the registers look
        // (a restart while computing, e.g. after a timeout fault, resumes the computation).
        if (r.spinLeft === 0) r.pending = null;
        continue;
      }
      const req = this.nextRequest(cur, r);
      if (req !== null && req.kind === "spin") {
        r.spinLeft = req.ns;
        if (!(req.ns > 0)) r.pending = null; // an empty computation is done at once (never "restarted")
        continue;
      }
      k.advanceTime(100);
      const ev = req === null ? EXIT_EVENT : this.load(cur, req);
      if (req === null) r.finished = true;
      this.trap(cur, r, ev);
      this.entered(cur, ev, req);
      n++;
    }
    this.steps += n;
    return n;
  }

  /** Runs the per-entry hook, if any, after the kernel has returned to user mode. */
  private entered(thread: TCB | null, event: KernelEvent, request: Request | null): void {
    if (this.onEntry !== null) this.onEntry({ thread, event, request });
  }

  private nextRequest(cur: TCB, r: Running): Request | null {
    // Restarted: the kernel set NextIP back to the trap's own address (a timer interrupt after the
    // trap also makes NextIP equal FaultIP, but at the instruction after it).
    if (r.started && r.pending !== null && cur.regs[NextIP] === r.trapIP && cur.regs[FaultIP] === r.trapIP)
      return r.pending;
    const step = r.started ? r.gen.next(this.readResult(cur)) : r.gen.next(undefined as unknown as Result);
    r.started = true;
    r.pending = step.done ? null : step.value;
    return r.pending;
  }

  private trap(cur: TCB, r: Running, ev: KernelEvent): void {
    this.ip += 8;
    r.trapIP = BigInt(this.ip);
    cur.regs[NextIP] = r.trapIP + 2n;
    this.kernel.callKernel(ev);
  }

  /** Word index of the thread's IPC buffer in `mem`, or null. */
  private bufferWord(t: TCB): number | null {
    const bufAddr = this.kernel.ipcBufferAddress(t);
    return bufAddr === null ? null : bufAddr / 8;
  }

  private load(t: TCB, req: Request): KernelEvent {
    switch (req.kind) {
      case "raw":
        t.regs[RDX] = toWord(req.number);
        return SYSCALL_EVENT;
      case "exception":
        return { type: "UserException", number: req.number, code: req.code };
      case "load":
        return { type: "Load", vaddr: req.vaddr };
      case "store":
        return { type: "Store", vaddr: req.vaddr, value: req.value };
      case "spin":
        throw new Error("spin requests do not trap");
      case "syscall":
        break;
    }
    const regs = t.regs;
    const mem = this.mem;
    const mrs = req.mrs;
    const caps = req.extraCaps;
    const nMRs = mrs === undefined ? 0 : mrs.length;
    const nCaps = caps === undefined ? 0 : caps.length;
    const buf = nMRs > 4 || nCaps > 0 || req.receiveSlot !== undefined ? this.bufferWord(t) : null;
    for (let i = 0; i < nMRs; i++) {
      const v = word(mrs![i]!);
      if (i < 4) regs[MSG_REGS[i]!] = v;
      else if (buf !== null) mem[buf + IPCBUF_MSG + i] = v;
    }
    if (buf !== null) {
      for (let i = 0; i < nCaps; i++) mem[buf + IPCBUF_CAPS + i] = word(caps![i]!);
      if (req.receiveSlot) {
        mem[buf + IPCBUF_RECEIVE_CNODE] = toWord(req.receiveSlot[0]);
        mem[buf + IPCBUF_RECEIVE_INDEX] = toWord(req.receiveSlot[1]);
        mem[buf + IPCBUF_RECEIVE_DEPTH] = BigInt(req.receiveSlot[2]);
      }
    }
    regs[RDX] = this.syscallWord(req.name);
    regs[RDI] = req.cap === undefined ? 0n : word(req.cap);
    regs[RSI] = req.infoWord ?? infoWord(req.label === undefined ? 0n : word(req.label), nCaps, nMRs);
    if (req.reply !== undefined) regs[R12] = word(req.reply);
    if (req.dest !== undefined) regs[R13] = word(req.dest);
    return SYSCALL_EVENT;
  }

  private syscallWord(name: SyscallName): bigint {
    let w = this.syscallWords.get(name);
    if (w === undefined) {
      const num = syscallNumber(this.kernel.config, name);
      if (num === undefined) throw new Error(`${name} does not exist on ${this.kernel.config}`);
      w = toWord(num);
      this.syscallWords.set(name, w);
    }
    return w;
  }

  private readResult(t: TCB): Result {
    const regs = t.regs;
    const info = regs[RSI]!;
    const fields = infoFields(info);
    const length = fields.length;
    const buf = length > 4 ? this.bufferWord(t) : null;
    const mrs: bigint[] = new Array(length);
    for (let i = 0; i < length; i++) {
      mrs[i] = i < 4 ? regs[MSG_REGS[i]!]! : buf === null ? 0n : this.mem[buf + IPCBUF_MSG + i]!;
    }
    return {
      badge: regs[RDI]!,
      info,
      label: fields.label,
      length,
      extraCaps: fields.extraCaps,
      capsUnwrapped: fields.capsUnwrapped,
      mrs,
      value: regs[RAX]!,
    };
  }
}

/** The fields of a returned message-info word (the raw 7-bit length); the last few decodings are kept. */
interface InfoFields {
  word: bigint;
  label: bigint;
  length: number;
  extraCaps: number;
  capsUnwrapped: number;
}
const fieldsMemo: InfoFields[] = [];
let fieldsMemoNext = 0;
function infoFields(info: bigint): InfoFields {
  for (const f of fieldsMemo) if (f.word === info) return f;
  const f = {
    word: info,
    label: info >> 12n,
    length: Number(info & 0x7fn),
    extraCaps: Number((info >> 7n) & 3n),
    capsUnwrapped: Number((info >> 9n) & 7n),
  };
  fieldsMemo[fieldsMemoNext] = f;
  fieldsMemoNext = (fieldsMemoNext + 1) % 4;
  return f;
}

const SYSCALL_EVENT: KernelEvent = Object.freeze({ type: "Syscall" });
const TIMER_EVENT: KernelEvent = Object.freeze({ type: "Timer" });
const EXIT_EVENT: KernelEvent = Object.freeze({ type: "ThreadExit" });

/** A program's number or bigint as a register word (small non-negative numbers take the short path). */
function word(x: number | bigint): bigint {
  if (typeof x === "number" && x >= 0 && x <= 0x7fffffff && (x | 0) === x) return BigInt(x);
  return toWord(x);
}

/** The message-info word for a request; the last few are remembered (programs repeat their calls). */
const infoMemo: { label: bigint; extraCaps: number; length: number; word: bigint }[] = [];
let infoMemoNext = 0;
function infoWord(label: bigint, extraCaps: number, length: number): bigint {
  if (label === 0n && extraCaps === 0 && length <= 0x7f) return BigInt(length);
  for (const m of infoMemo) if (m.label === label && m.extraCaps === extraCaps && m.length === length) return m.word;
  const w = wordFromMessageInfo({ label, capsUnwrapped: 0, extraCaps, length });
  infoMemo[infoMemoNext] = { label, extraCaps, length, word: w };
  infoMemoNext = (infoMemoNext + 1) % 4;
  return w;
}
