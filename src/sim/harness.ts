// Drives kernel threads in-process, without workers: each thread is a generator that yields
// syscall requests. Used by the kernel's tests, property tests and the in-process benchmark.
// It does what the libsel4 stubs and the CPU do: load registers and the IPC buffer, trap,
// and on resumption either re-execute a restarted trap or read the results back.
import {
  IPCBUF_CAPS, IPCBUF_MSG, IPCBUF_RECEIVE_CNODE, IPCBUF_RECEIVE_DEPTH, IPCBUF_RECEIVE_INDEX, Kernel, registers,
  syscallNumber, toWord, type KernelEvent, type SyscallName, type TCB, wordFromMessageInfo,
} from "../kernel/index.js";

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

interface Running {
  gen: Program;
  started: boolean;
  pending: Request | null;
  finished: boolean;
}

/** libsel4-style helpers: yield* these inside a program. */
export const sys = {
  call: (cap: number | bigint, label: number | bigint, mrs: (number | bigint)[] = [], extraCaps: (number | bigint)[] = []): SyscallRequest =>
    ({ kind: "syscall", name: "Call", cap, label, mrs, extraCaps }),
  send: (cap: number | bigint, label: number | bigint, mrs: (number | bigint)[] = [], extraCaps: (number | bigint)[] = []): SyscallRequest =>
    ({ kind: "syscall", name: "Send", cap, label, mrs, extraCaps }),
  nbsend: (cap: number | bigint, label: number | bigint, mrs: (number | bigint)[] = []): SyscallRequest =>
    ({ kind: "syscall", name: "NBSend", cap, label, mrs }),
  recv: (cap: number | bigint, reply?: number | bigint): SyscallRequest => ({ kind: "syscall", name: "Recv", cap, reply }),
  nbrecv: (cap: number | bigint, reply?: number | bigint): SyscallRequest => ({ kind: "syscall", name: "NBRecv", cap, reply }),
  wait: (cap: number | bigint): SyscallRequest => ({ kind: "syscall", name: "Wait", cap }),
  nbwait: (cap: number | bigint): SyscallRequest => ({ kind: "syscall", name: "NBWait", cap }),
  reply: (label: number | bigint, mrs: (number | bigint)[] = []): SyscallRequest => ({ kind: "syscall", name: "Reply", label, mrs }),
  replyRecv: (cap: number | bigint, label: number | bigint, mrs: (number | bigint)[] = [], reply?: number | bigint): SyscallRequest =>
    ({ kind: "syscall", name: "ReplyRecv", cap, label, mrs, reply }),
  yield: (): SyscallRequest => ({ kind: "syscall", name: "Yield" }),
  signal: (cap: number | bigint): SyscallRequest => ({ kind: "syscall", name: "Send", cap, label: 0, mrs: [] }),
};

export class InProcessSystem {
  private readonly programs = new Map<TCB, Running>();
  private ip = 0x401000n;
  steps = 0;

  /** `output` is the array the kernel's onOutput appends to. */
  constructor(readonly kernel: Kernel, readonly output: string[] = []) {}

  get text(): string {
    return this.output.join("");
  }

  attach(tcb: TCB, program: () => Program): void {
    this.programs.set(tcb, { gen: program(), started: false, pending: null, finished: false });
  }

  /** Run until idle (no runnable thread) or `maxSteps` kernel entries. Returns the entries made. */
  run(maxSteps = 100_000): number {
    const k = this.kernel;
    let n = 0;
    while (n < maxSteps && !k.halted) {
      const cur = k.currentThread();
      if (cur === null) {
        const t = k.nextTimerEvent();
        if (t === null) break;
        k.advanceTime(Math.max(0, t - k.now));
        k.callKernel({ type: "Timer" });
        n++;
        continue;
      }
      const r = this.programs.get(cur);
      if (!r || r.finished) throw new Error(`thread '${cur.name}' is running but has no program`);
      const req = this.nextRequest(cur, r);
      k.advanceTime(100);
      if (req === null) {
        r.finished = true;
        this.trap(cur, { type: "ThreadExit" });
      } else {
        this.trap(cur, this.load(cur, req));
      }
      n++;
    }
    this.steps += n;
    return n;
  }

  private nextRequest(cur: TCB, r: Running): Request | null {
    if (r.started && r.pending !== null && cur.regs[NextIP] === cur.regs[FaultIP]) return r.pending; // restarted
    const result = r.started ? this.readResult(cur) : undefined;
    r.started = true;
    const step = result === undefined ? r.gen.next(undefined as unknown as Result) : r.gen.next(result);
    r.pending = step.done ? null : step.value;
    return r.pending;
  }

  private trap(cur: TCB, ev: KernelEvent): void {
    this.ip += 8n;
    cur.regs[NextIP] = this.ip + 2n;
    this.kernel.callKernel(ev);
  }

  private load(t: TCB, req: Request): KernelEvent {
    const k = this.kernel;
    switch (req.kind) {
      case "raw":
        t.regs[RDX] = toWord(req.number);
        return { type: "Syscall" };
      case "exception":
        return { type: "UserException", number: req.number, code: req.code };
      case "load":
        return { type: "Load", vaddr: req.vaddr };
      case "store":
        return { type: "Store", vaddr: req.vaddr, value: req.value };
      case "syscall":
        break;
    }
    const num = syscallNumber(k.config, req.name);
    if (num === undefined) throw new Error(`${req.name} does not exist on ${k.config}`);
    const mrs = (req.mrs ?? []).map((m) => toWord(m));
    const caps = (req.extraCaps ?? []).map((c) => toWord(c));
    const mem = new BigUint64Array(k.memory);
    const bufAddr = k.ipcBufferAddress(t);
    const buf = bufAddr === null ? null : bufAddr / 8;
    mrs.forEach((v, i) => {
      if (i < 4) t.regs[MSG_REGS[i]!] = v;
      else if (buf !== null) mem[buf + IPCBUF_MSG + i] = v;
    });
    if (buf !== null) {
      caps.forEach((c, i) => { mem[buf + IPCBUF_CAPS + i] = c; });
      if (req.receiveSlot) {
        mem[buf + IPCBUF_RECEIVE_CNODE] = toWord(req.receiveSlot[0]);
        mem[buf + IPCBUF_RECEIVE_INDEX] = toWord(req.receiveSlot[1]);
        mem[buf + IPCBUF_RECEIVE_DEPTH] = BigInt(req.receiveSlot[2]);
      }
    }
    t.regs[RDX] = toWord(num);
    t.regs[RDI] = toWord(req.cap ?? 0);
    t.regs[RSI] = req.infoWord ?? wordFromMessageInfo({ label: toWord(req.label ?? 0), capsUnwrapped: 0, extraCaps: caps.length, length: mrs.length });
    if (req.reply !== undefined) t.regs[R12] = toWord(req.reply);
    if (req.dest !== undefined) t.regs[R13] = toWord(req.dest);
    return { type: "Syscall" };
  }

  private readResult(t: TCB): Result {
    const info = t.regs[RSI]!;
    const length = Number(info & 0x7fn);
    const bufAddr = this.kernel.ipcBufferAddress(t);
    const mem = new BigUint64Array(this.kernel.memory);
    const mrs: bigint[] = [];
    for (let i = 0; i < length; i++) {
      mrs.push(i < 4 ? t.regs[MSG_REGS[i]!]! : bufAddr === null ? 0n : mem[bufAddr / 8 + IPCBUF_MSG + i]!);
    }
    return {
      badge: t.regs[RDI]!, info, label: info >> 12n, length, extraCaps: Number((info >> 7n) & 3n),
      capsUnwrapped: Number((info >> 9n) & 7n), mrs, value: t.regs[RAX]!,
    };
  }
}
