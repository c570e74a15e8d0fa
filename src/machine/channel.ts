// The worker side of the syscall channel: how a user thread traps into the kernel.
//
// A trap writes the event into the thread's register file, hands the thread to the machine
// (control word := Trapped, doorbell rung) and sleeps on the control word until the machine
// hands it back (Run). The restart protocol of docs/architecture.md lives here: before a trap
// NextIP := ip + 2; when the thread is next run, NextIP === FaultIP === ip (this trap's ip) means "execute the
// trap again" (a cancelled or faulted syscall, or a repaired VM fault).
import { IPCBUF_WORDS } from "../abi/constants.js";
import { FaultIP, NextIP, RAX } from "../abi/registers.js";
import {
  Control,
  DOORBELL_INDEX,
  PRINT_AREA_BYTES,
  PRINT_AREA_OFFSET,
  THREAD_ENDS,
  Trap,
  W_ARG0,
  W_ARG1,
  W_BUDGET,
  W_CONSUMED,
  W_EVENT,
  W_IPCBUF,
  W_NOW,
  W_PRINT,
  contextViews,
  type TrapKind,
  type WorkerInit,
} from "./layout.js";
import type { Runtime } from "./runtime.js";
import { AdaptiveSpin } from "./spin.js";
import { MEMORY_ACCESS_POINTS, NS_PER_POINT, PRINT_POINTS_PER_BYTE, SYSCALL_POINTS } from "./time.js";
import type { Sel4Channel, ThreadEnd } from "../libsel4/channel.js";

// What the channel touches shared memory with is taken when this module loads, before any
// learner code runs: a thread that replaces Atomics.load, BigUint64Array or TextEncoder's
// encodeInto must not get to see (or skip) the machine's shared memory. Views are made with these
// constructors directly, never with subarray() or slice() (which ask the array's constructor).
const { load, store, notify } = Atomics;
const WordArray = BigUint64Array;
const ByteArray = Uint8Array;
const encodeInto = TextEncoder.prototype.encodeInto;
const apply = Reflect.apply;
const exitWorker = process.exit.bind(process);

export class WorkerChannel implements Sel4Channel {
  readonly config: "master" | "mcs";
  readonly regs: BigUint64Array;
  readonly bootInfo?: bigint;
  private readonly f64: Float64Array;
  private readonly control: Int32Array;
  private readonly doorbell: Int32Array;
  private readonly encoder = new TextEncoder();
  /** Bytes of console output in the print area this turn (f64[W_PRINT] says the same to the machine). */
  private printed = 0;
  private ipcAddr = Number.NaN;
  private ipcView: BigUint64Array;
  private readonly privateIpc = new BigUint64Array(IPCBUF_WORDS);
  private readonly spin = new AdaptiveSpin();
  /** Set once the thread's entry function has been called (its files' top-level code has run). */
  private entered = false;

  constructor(
    private readonly init: WorkerInit,
    private readonly rt: Runtime,
    private readonly locate: () => string | null,
  ) {
    this.config = init.config;
    if (init.bootInfo !== undefined) this.bootInfo = init.bootInfo;
    const views = contextViews(init.memory, init.contextAddr);
    this.regs = views.words;
    this.f64 = views.f64;
    this.control = views.control;
    this.doorbell = new Int32Array(init.machineMemory, 0, 1);
    this.ipcView = this.privateIpc;
    rt.preempt = () => this.handOverRunning(Trap.Preempt);
  }

  /** Blocks until the machine first runs this thread. */
  waitForFirstTurn(): void {
    this.waitForTurn();
  }

  syscall(): void {
    this.rt.n += SYSCALL_POINTS;
    this.trap(Trap.Syscall);
  }

  load(vaddr: bigint): bigint {
    this.rt.n += MEMORY_ACCESS_POINTS;
    this.regs[W_ARG0] = vaddr;
    this.trap(Trap.Load);
    return this.regs[RAX]!;
  }

  store(vaddr: bigint, value: bigint): void {
    this.rt.n += MEMORY_ACCESS_POINTS;
    this.regs[W_ARG0] = vaddr;
    this.regs[W_ARG1] = value;
    this.trap(Trap.Store);
  }

  exception(vector: number, code: number): void {
    this.f64[W_ARG0] = vector;
    this.f64[W_ARG1] = code;
    this.trap(Trap.Exception);
  }

  exit(how: ThreadEnd = "returned"): never {
    this.f64[W_ARG0] = THREAD_ENDS.indexOf(how);
    for (;;) this.handOver(Trap.Exit);
  }

  /**
   * The thread continues at `vaddr`, where its program has no code (a call through a NULL
   * function pointer): the kernel decides what the fetch does, and a restart fetches again.
   */
  jump(vaddr: bigint): never {
    this.regs[W_ARG0] = vaddr;
    for (;;) {
      this.regs[NextIP] = vaddr;
      this.handOver(Trap.Jump);
    }
  }

  /**
   * Console output goes into the shared print area at once, so the machine has every byte printed
   * before a thread that it has to stop (out of memory, or stuck in one built-in call); when the
   * area is full the thread hands it over (a Print trap) and goes on. Then the printf takes its
   * time (PRINT_POINTS_PER_BYTE a byte), during which a timer interrupt may come, as in a loop.
   */
  print(text: string): void {
    let rest = text;
    let bytes = 0;
    for (;;) {
      const room = new ByteArray(
        this.init.machineMemory,
        PRINT_AREA_OFFSET + this.printed,
        PRINT_AREA_BYTES - this.printed,
      );
      const { read, written } = apply(encodeInto, this.encoder, [rest, room]) as { read: number; written: number };
      this.printed += written;
      bytes += written;
      this.f64[W_PRINT] = this.printed;
      if (read >= rest.length) break;
      rest = rest.slice(read);
      this.handOverRunning(Trap.Print);
    }
    this.spend(bytes * PRINT_POINTS_PER_BYTE);
  }

  /**
   * User-mode time the thread spends in one go (points); when it reaches the budget the machine
   * gave this turn, the thread hands over there, so the timer interrupt comes in the middle.
   */
  private spend(points: number): void {
    let left = points;
    while (this.rt.n + left > this.rt.lim) {
      const room = Math.max(0, this.rt.lim - this.rt.n);
      this.rt.n += room;
      left -= room;
      this.handOverRunning(Trap.Preempt);
    }
    this.rt.n += left;
  }

  ipcBuffer(): BigUint64Array {
    const addr = this.f64[W_IPCBUF]!;
    if (addr !== this.ipcAddr) {
      this.ipcAddr = addr;
      this.ipcView = addr >= 0 ? new WordArray(this.init.memory, addr, IPCBUF_WORDS) : this.privateIpc;
    }
    return this.ipcView;
  }

  location(): string | null {
    return this.locate();
  }

  /** Virtual time in ns: the kernel's clock when this thread was resumed plus what it used since. */
  virtualNow(): number {
    return this.f64[W_NOW]! + this.rt.n * NS_PER_POINT;
  }

  started(): boolean {
    return this.entered;
  }

  /** The program's files are loaded; its entry function runs next. */
  enterProgram(): void {
    this.entered = true;
  }

  functionAddress(f: unknown): number | undefined {
    return this.rt.addressOf(f);
  }

  functionAt(address: number): ((...args: number[]) => unknown) | undefined {
    return this.rt.functions.get(address);
  }

  /** A trap that the kernel may ask to execute again (Restart). */
  private trap(kind: TrapKind): void {
    const ip = BigInt(this.rt.ip);
    for (;;) {
      this.regs[NextIP] = ip + 2n;
      this.handOver(kind);
      const next = this.regs[NextIP]!;
      if (next !== ip || this.regs[FaultIP]! !== ip) return;
    }
  }

  /**
   * A hand-over that is no trap (preemption point, output flush): a timer interrupt may be taken
   * meanwhile, so NextIP holds the instruction the thread is at, as the CPU's saved rip would.
   */
  private handOverRunning(kind: TrapKind): void {
    this.regs[NextIP] = BigInt(this.rt.ip);
    this.handOver(kind);
  }

  /** Gives the thread to the machine and sleeps until it is this thread's turn again. */
  private handOver(kind: TrapKind): void {
    this.post(kind);
    this.waitForTurn();
  }

  private post(kind: TrapKind): void {
    this.f64[W_EVENT] = kind;
    // The count lives in an object learner code is refused by the build; never trust it further
    // than a finite, non-negative number of points either.
    const used = this.rt.n;
    this.f64[W_CONSUMED] = (Number.isFinite(used) && used > 0 ? used : 0) * NS_PER_POINT;
    store(this.control, 0, Control.Trapped);
    store(this.doorbell, DOORBELL_INDEX, 1);
    notify(this.doorbell, DOORBELL_INDEX);
  }

  private waitForTurn(): void {
    this.spin.waitWhile(this.control, 0, Control.Trapped);
    if (load(this.control, 0) === Control.Stop) exitWorker(0);
    // The machine has taken the output of the last turn.
    this.printed = 0;
    this.f64[W_PRINT] = 0;
    this.rt.n = 0;
    this.rt.lim = Math.floor(this.f64[W_BUDGET]! / NS_PER_POINT);
  }
}
