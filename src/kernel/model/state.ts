// The global kernel state (seL4's ksCurThread, ksReadyQueues, ksSchedulerAction, ...) plus the
// object store and the physical memory that user-visible objects live in.
import type { KernelConfig } from "../../abi/constants.js";
import { emit, type TraceSink } from "../api/trace.js";
import type { KObject, SchedContextObj, SchedulerAction, TCB, ThreadQueue } from "../object/structures.js";
import type { InterruptState } from "../object/interrupt.js";
import { Board } from "../hardware/board.js";

export const NUM_PRIORITIES = 256;
/** Kernel virtual address of physical address 0 (x86_64 PPTR_BASE), for printed pointers. */
export const PPTR_BASE = 0xffffff8000000000n;

export interface KernelOptions {
  config: KernelConfig;
  /** Bytes of simulated physical memory (a SharedArrayBuffer). */
  memoryBytes?: number;
  /** Receives every character the kernel and user printf write, in order. */
  onOutput?: (text: string) => void;
  /** CONFIG_FASTPATH (on by default, as in seL4 builds): Call and ReplyRecv try the IPC fastpath first. */
  fastpath?: boolean;
  /** Receives the kernel's trace events (api/trace.ts); none by default. */
  trace?: TraceSink;
}

export class KernelState {
  readonly config: KernelConfig;
  readonly mcs: boolean;
  readonly memory: SharedArrayBuffer;
  readonly mem64: BigUint64Array;
  /** The same memory as 32-bit words, to read small register values without making a bigint. */
  readonly mem32: Int32Array;
  private physTop = 0x10000; // page 0..15 left unused so no object sits at paddr 0
  readonly objects: KObject[] = [];
  readonly tcbs: TCB[] = [];
  readonly readyQueues: ThreadQueue[] = [];
  /** The highest ASID assigned so far (ASIDs are never taken back). */
  lastASID = 0;
  /** Bitmap of non-empty ready queues: bit p of word p>>5. */
  readonly readyBitmap = new Uint32Array(NUM_PRIORITIES / 32);
  curThread: TCB | null = null;
  schedulerAction: SchedulerAction = { kind: "ChooseNewThread" };
  /** Virtual time in ns. */
  now = 0;
  /** master: time of the next timer tick. */
  nextTick: number;
  /** MCS: the SC charged for the current thread, time already accounted, release queue. */
  curSC: SchedContextObj | null = null;
  lastTimestamp = 0;
  releaseQueue: TCB[] = [];
  /** MCS: ns the current thread has run since the last kernel entry, not yet charged. */
  mcsConsumed = 0;
  /** MCS: set when the current SC's budget must be re-checked/reprogrammed. */
  reprogram = false;
  halted = false;
  /** The simulated PC's interrupt controllers and devices (not seL4 state: the hardware it runs on). */
  readonly board = new Board();
  /** intStateIRQTable, intStateIRQNode and x86KSIRQState; set up by init_irqs at boot. */
  interrupts!: InterruptState;
  readonly fastpath: boolean;
  /** Kernel entries completed on the fastpath (seL4's benchmark entry tracking counts them too). */
  fastpathEntries = 0;
  /**
   * Not seL4 state: where the kernel's trace events go (api/trace.ts), or null. A run's ending is
   * judged from them (the faults, and why one reached no handler), not from the printed text.
   */
  trace: TraceSink | null;
  output: (text: string) => void;

  constructor(opts: KernelOptions) {
    this.config = opts.config;
    this.mcs = opts.config === "mcs";
    this.fastpath = opts.fastpath ?? true;
    const bytes = opts.memoryBytes ?? 64 * 1024 * 1024;
    this.memory = new SharedArrayBuffer(bytes);
    this.mem64 = new BigUint64Array(this.memory);
    this.mem32 = new Int32Array(this.memory);
    for (let p = 0; p < NUM_PRIORITIES; p++) this.readyQueues.push({ head: null, tail: null });
    this.nextTick = 0;
    this.output = opts.onOutput ?? (() => {});
    this.trace = opts.trace ?? null;
  }

  /** Bump allocation of naturally aligned physical memory for boot-time objects. */
  allocPhys(sizeBits: number): number {
    const size = 2 ** sizeBits;
    const base = Math.ceil(this.physTop / size) * size;
    if (base + size > this.memory.byteLength) {
      throw new RangeError(`out of simulated physical memory allocating 2^${sizeBits} bytes`);
    }
    this.physTop = base + size;
    return base;
  }

  /**
   * A word of physical memory. Beyond the simulated RAM (device memory high in the address
   * space) a device's register answers, or nothing does: the read gives all ones, as an empty
   * bus does; writes there are lost.
   */
  physRead(wordIndex: number): bigint {
    return this.mem64[wordIndex] ?? this.board.read(wordIndex * 8, this.now);
  }

  physWrite(wordIndex: number, value: bigint): void {
    if (wordIndex < this.mem64.length) this.mem64[wordIndex] = value;
    else this.board.write(wordIndex * 8, value, this.now);
  }

  /** Whether [paddr, paddr + bytes) is backed by the simulated RAM. */
  isBacked(paddr: number, bytes: number): boolean {
    return paddr + bytes <= this.memory.byteLength;
  }

  get physFree(): number {
    return this.memory.byteLength - this.physTop;
  }

  nextObjectId(): number {
    return this.objects.length;
  }

  print(text: string): void {
    if (this.trace !== null && this.trace.detail) emit(this, { kind: "output", text });
    this.output(text);
  }
}
