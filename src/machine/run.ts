// The machine: runs a booted kernel's user threads, one worker per thread, one at a time.
//
// Loop: the kernel names the current thread; the machine lets that thread's worker run until it
// traps (syscall, memory access, exception, exit, or its virtual-time budget ran out), charges
// the virtual time it used, and hands the event to kernel.callKernel. When no thread can run,
// virtual time jumps to the next timer event; when there is none, the run is over. Only one
// worker ever runs, and time only advances by counted work, so output is deterministic.
import { ThreadState, type Kernel, type TCB } from "../kernel/index.js";
import { ThreadHost, type ThreadSpec } from "./host.js";
import {
  DOORBELL_INDEX,
  MACHINE_MEMORY_BYTES,
  PRINT_AREA_BYTES,
  PRINT_AREA_OFFSET,
  THREAD_ENDS,
  Trap,
} from "./layout.js";
import { describeThreads, formatVirtualTime, loadIpMaps } from "./report.js";
import { AdaptiveSpin } from "./spin.js";

/** How the machine ended a run (the runner adds its own endings: check/explain.ts RunOutcome). */
export type MachineOutcome =
  | "finished"
  | "idle"
  | "deadlock"
  | "sim-time-limit"
  | "wall-time-limit"
  | "halted"
  | "interrupted"
  | "internal-error"
  | "resource-limit";

export interface RunOptions {
  kernel: Kernel;
  threads: ThreadSpec[];
  /** The run ends when virtual time reaches this. */
  simTimeLimitNs: number;
  /** Safety net against a machine that hangs; the run ends after this much real time. */
  wallTimeLimitMs: number;
  /** Reads the real time (ms) the wall-clock limit is measured in; tests substitute their own. */
  wallClock?: () => number;
  /** Machine notices (the end-of-run report). User output reaches the kernel's onOutput. */
  onOutput?: (text: string) => void;
  signal?: AbortSignal;
  /** Source paths in exception reports are relative to this (default: the working directory). */
  displayRoot?: string;
  /** Most threads (workers) the run may have; a program that creates more is stopped (default: no limit). */
  maxThreads?: number;
  /** Most memory (resident set, off-heap ArrayBuffers included) the process may use; above it the run is stopped. */
  maxRssBytes?: number;
  /** Real time one thread turn may take before the watchdog stops it (default TURN_WATCHDOG_MS). */
  turnWatchdogMs?: number;
}

export interface RunResult {
  outcome: MachineOutcome;
  report: string;
  virtualTimeNs: number;
  /** Wall-clock ms each worker took from spawn to ready (for the benchmark; not deterministic). */
  workerStartupMs: number[];
  /** The thread whose worker used up its heap, when that is how the run ended (outcome "internal-error"). */
  outOfMemory: string | null;
}

/** Longest synchronous sleep on the doorbell; after that the event loop gets a turn. */
const SYNC_WAIT_MS = 5;
/** How often (real time) the event loop gets a turn, for Ctrl-C / AbortSignal and worker errors. */
const EVENT_LOOP_EVERY_MS = 20;
/** TCB slot of the VSpace root (tcbVTable in include/object/structures.h: CTable 0, VTable 1 on master and MCS). */
const TCB_VTABLE_SLOT = 1;
/** Timer interrupts in a row with no thread running and no time passing: the kernel's timer is stuck. */
const MAX_TIMER_STORM = 10_000;
/**
 * Real time one turn of a thread may take. A turn is at most a timeslice of simulated time,
 * milliseconds of real time; a thread that takes this long reaches no preemption point at all:
 * it is inside one built-in call (a regular expression that backtracks, say). A safety net far
 * above any real turn, so it never decides an ordinary run.
 */
const TURN_WATCHDOG_MS = 15_000;

type Ending = { outcome: MachineOutcome; report: string };

export async function runSystem(opts: RunOptions): Promise<RunResult> {
  const machine = new Machine(opts);
  try {
    const end = await machine.run();
    opts.onOutput?.(`${end.report}\n`);
    return {
      ...end,
      virtualTimeNs: opts.kernel.now,
      workerStartupMs: machine.startupTimes(),
      outOfMemory: machine.outOfMemory(),
    };
  } finally {
    await machine.shutdown();
  }
}

class Machine {
  private readonly kernel: Kernel;
  private readonly hosts = new Map<number, ThreadHost>();
  private readonly machineMemory = new SharedArrayBuffer(MACHINE_MEMORY_BYTES);
  private readonly doorbell = new Int32Array(this.machineMemory, 0, 1);
  private readonly printArea = new Uint8Array(this.machineMemory, PRINT_AREA_OFFSET, PRINT_AREA_BYTES);
  private readonly wallDeadline: number;
  private nextEventLoopTurn = 0;
  private readonly spin = new AdaptiveSpin();
  /** The thread whose worker runs now (between resume and its trap). */
  private running: ThreadHost | null = null;

  constructor(private readonly opts: RunOptions) {
    this.kernel = opts.kernel;
    this.wallDeadline = this.wallNow() + opts.wallTimeLimitMs;
  }

  private wallNow(): number {
    return this.opts.wallClock?.() ?? performance.now();
  }

  async run(): Promise<Ending> {
    try {
      const startup = await this.startWorkers();
      if (startup) return startup;
      if (this.kernel.currentThread() === null) this.kernel.boot.start();
      const end = await this.loop();
      // A thread stopped in the middle of its turn: what it printed before still goes out.
      if (this.running) this.flushOutput(this.running);
      return end;
    } catch (err) {
      return {
        outcome: "internal-error",
        report: `internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
      };
    }
  }

  outOfMemory(): string | null {
    return [...this.hosts.values()].find((h) => h.outOfMemory)?.name ?? null;
  }

  startupTimes(): number[] {
    return [...this.hosts.values()].map((h) => h.startupMs);
  }

  async shutdown(): Promise<void> {
    await Promise.all([...this.hosts.values()].map((h) => h.terminate()));
  }

  private workerInit() {
    return {
      memory: this.kernel.memory,
      machineMemory: this.machineMemory,
      config: this.kernel.config,
      displayRoot: this.opts.displayRoot ?? process.cwd(),
    };
  }

  private async startWorkers(): Promise<Ending | null> {
    for (const spec of this.opts.threads) this.hosts.set(spec.tcb.id, new ThreadHost(spec, this.workerInit()));
    return this.whenReady([...this.hosts.values()]);
  }

  private async whenReady(hosts: ThreadHost[]): Promise<Ending | null> {
    const ready = Promise.all(hosts.map((h) => h.ready));
    while (!(await Promise.race([ready.then(() => true), sleep(EVENT_LOOP_EVERY_MS).then(() => false)]))) {
      const stop = this.externalStop();
      if (stop) return stop;
    }
    const failed = hosts.find((h) => h.failure);
    return failed ? { outcome: "internal-error", report: failed.failure! } : null;
  }

  /**
   * A thread the program created at run time: it runs the program of the thread it shares its
   * VSpace with (as on hardware, where the same page tables mean the same code).
   */
  private async adopt(tcb: TCB): Promise<ThreadHost | Ending> {
    const max = this.opts.maxThreads;
    if (max !== undefined && this.hosts.size >= max) {
      return {
        outcome: "resource-limit",
        report: `thread limit reached: thread "${tcb.name}" would be thread number ${this.hosts.size + 1}, and a run may have ${max}. Threads:\n${this.threadReport()}`,
      };
    }
    const space = vspaceOf(tcb);
    const sibling = space === null ? undefined : [...this.hosts.values()].find((h) => vspaceOf(h.spec.tcb) === space);
    if (!sibling) {
      return {
        outcome: "internal-error",
        report: `thread "${tcb.name}" was scheduled but has no code: it shares no address space (VSpace) with a thread of the program`,
      };
    }
    const { sourceMapFile, bootInfo } = sibling.spec;
    const host = new ThreadHost(
      {
        tcb,
        entry: sibling.spec.entry,
        ...(sourceMapFile ? { sourceMapFile } : {}),
        ...(bootInfo !== undefined ? { bootInfo } : {}),
      },
      this.workerInit(),
      "registers",
    );
    this.hosts.set(tcb.id, host);
    return (await this.whenReady([host])) ?? host;
  }

  private async loop(): Promise<Ending> {
    const k = this.kernel;
    const limit = this.opts.simTimeLimitNs;
    let timerStorm = 0;
    for (;;) {
      if (performance.now() >= this.nextEventLoopTurn) {
        await new Promise((resolve) => setImmediate(resolve));
        this.nextEventLoopTurn = performance.now() + EVENT_LOOP_EVERY_MS;
        const stop = this.externalStop();
        if (stop) return stop;
      }
      if (k.halted)
        return {
          outcome: "halted",
          report: `halted: seL4_DebugHalt was called (virtual time ${formatVirtualTime(k.now)})`,
        };
      const due = k.nextTimerEvent();
      const cur = k.currentThread();
      if (due !== null && (due <= k.now || cur === null)) {
        // A timer interrupt is due, or nothing can run until it: jump there and deliver it.
        if (due > limit) return this.simTimeLimit(cur?.name ?? null);
        const before = k.now;
        if (due > k.now) k.advanceTime(due - k.now);
        k.callKernel({ type: "Timer" });
        timerStorm = k.now === before ? timerStorm + 1 : 0;
        if (timerStorm > MAX_TIMER_STORM)
          return { outcome: "internal-error", report: "internal error: the kernel's timer does not advance" };
        continue;
      }
      if (k.now >= limit) return this.simTimeLimit(cur?.name ?? null);
      if (cur === null) return this.settled();
      const host = this.hosts.get(cur.id) ?? (await this.adopt(cur));
      if (!(host instanceof ThreadHost)) return host;
      this.running = host;
      host.resume(k.now, Math.min(due ?? Infinity, limit) - k.now, k.ipcBufferAddress(cur));
      const stop = this.trappedSoon() ? null : await this.trappedLater(host);
      if (stop) return stop;
      this.running = null;
      Atomics.store(this.doorbell, DOORBELL_INDEX, 0);
      this.handleTrap(host);
      timerStorm = 0;
    }
  }

  /** The event the worker trapped with goes to the kernel. */
  private handleTrap(host: ThreadHost): void {
    const k = this.kernel;
    this.flushOutput(host);
    k.advanceTime(host.consumedNs());
    switch (host.trapKind()) {
      case Trap.Syscall:
        k.callKernel({ type: "Syscall" });
        return;
      case Trap.Load:
        k.callKernel({ type: "Load", vaddr: host.wordArgs()[0] });
        return;
      case Trap.Store: {
        const [vaddr, value] = host.wordArgs();
        k.callKernel({ type: "Store", vaddr, value });
        return;
      }
      case Trap.Exception: {
        const [number, code] = host.numberArgs();
        k.callKernel({ type: "UserException", number, code });
        return;
      }
      case Trap.Jump:
        k.callKernel({ type: "Jump", vaddr: host.wordArgs()[0] });
        return;
      case Trap.Exit:
        host.ended = THREAD_ENDS[host.numberArgs()[0]] ?? "returned";
        k.callKernel({ type: "ThreadExit", how: host.ended });
        return;
      default:
        return; // Preempt and Print: only time and output
    }
  }

  /** Console output the worker wrote before trapping goes out first, so it precedes the kernel's. */
  private flushOutput(host: ThreadHost): void {
    const bytes = host.printBytes();
    if (bytes > 0) this.kernel.debugPrint(Buffer.from(this.printArea.slice(0, bytes)).toString("utf8"));
    host.clearPrint();
  }

  /** The usual case, without a promise: the worker traps within a few milliseconds. */
  private trappedSoon(): boolean {
    return this.spin.waitWhile(this.doorbell, DOORBELL_INDEX, 0, SYNC_WAIT_MS);
  }

  /** A worker that runs long: wait with the event loop running; an ending when the run must stop. */
  private async trappedLater(host: ThreadHost): Promise<Ending | null> {
    const db = this.doorbell;
    const stuckAt = performance.now() - SYNC_WAIT_MS + this.turnWatchdogMs;
    while (Atomics.load(db, DOORBELL_INDEX) === 0) {
      const stop =
        this.externalStop() ?? (host.failure ? { outcome: "internal-error" as const, report: host.failure } : null);
      if (stop) return stop;
      if (performance.now() >= stuckAt) return this.stuck(host);
      const waiting = (Atomics as unknown as AtomicsWaitAsync).waitAsync(db, DOORBELL_INDEX, 0, EVENT_LOOP_EVERY_MS);
      if (waiting.async) await waiting.value;
      this.nextEventLoopTurn = performance.now() + EVENT_LOOP_EVERY_MS;
    }
    return null;
  }

  private get turnWatchdogMs(): number {
    return this.opts.turnWatchdogMs ?? TURN_WATCHDOG_MS;
  }

  /** A thread that reached no preemption point for the watchdog's real time. */
  private stuck(host: ThreadHost): Ending {
    return {
      outcome: "wall-time-limit",
      report:
        `thread "${host.name}" ran for ${this.turnWatchdogMs / 1000} s of real time without reaching a preemption point or a system call, ` +
        `so it was stopped: it is stuck inside one long built-in call (a regular expression that backtracks, or a huge sort or copy), ` +
        `after the place it was last seen at (below). Threads:\n${this.threadReport()}`,
    };
  }

  /** Ends that come from outside the simulation: Ctrl-C / AbortSignal, the memory ceiling and the wall-clock limit. */
  private externalStop(): Ending | null {
    if (this.opts.signal?.aborted) return { outcome: "interrupted", report: "interrupted" };
    const maxRss = this.opts.maxRssBytes;
    if (maxRss !== undefined) {
      const rss = process.memoryUsage.rss();
      if (rss > maxRss) {
        const who = this.running ? ` while thread "${this.running.name}" was running` : "";
        return {
          outcome: "resource-limit",
          report: `memory limit reached${who}: the run used ${mib(rss)} MiB of the computer's memory, and a run may use ${mib(maxRss)} MiB. Threads:\n${this.threadReport()}`,
        };
      }
    }
    if (this.wallNow() >= this.wallDeadline) {
      return {
        outcome: "wall-time-limit",
        report: `wall-clock limit of ${this.opts.wallTimeLimitMs} ms reached after ${formatVirtualTime(this.kernel.now)} of virtual time. Threads:\n${this.threadReport()}`,
      };
    }
    return null;
  }

  private simTimeLimit(running: string | null): Ending {
    const k = this.kernel;
    if (k.now < this.opts.simTimeLimitNs) k.advanceTime(this.opts.simTimeLimitNs - k.now);
    const who = running ? ` while thread "${running}" was running` : "";
    return {
      outcome: "sim-time-limit",
      report: `simulated time limit of ${formatVirtualTime(this.opts.simTimeLimitNs)} reached${who}. Threads:\n${this.threadReport()}`,
    };
  }

  /** Nothing can run and no timer is pending: the run is over. */
  private settled(): Ending {
    const k = this.kernel;
    const blocked = k.threads().some((t) => k.describeThread(t).blockedOn !== null);
    const allExited = [...this.hosts.values()].every((h) => h.ended !== null);
    const when = `virtual time ${formatVirtualTime(k.now)}`;
    if (!blocked && allExited) {
      const aborted = [...this.hosts.values()].filter((h) => h.ended === "aborted").map((h) => `"${h.spec.tcb.name}"`);
      const how =
        aborted.length === 0
          ? "every thread returned from main"
          : `every thread ended (${aborted.join(", ")} by abort(), after a failed ZF_LOGF_IF or assert)`;
      return { outcome: "finished", report: `finished: ${how} (${when})` };
    }
    // A server whose clients have finished waits in seL4_Recv for ever, as on seL4: that is a
    // system at rest, not threads waiting for each other (send, call, reply, a fault's delivery)
    // or for a thread that stopped by abort().
    const atRest =
      !blocked ||
      (k.threads().every((t) => t.state !== ThreadState.BlockedOnSend && t.state !== ThreadState.BlockedOnReply) &&
        [...this.hosts.values()].some((h) => h.ended === "returned"));
    const outcome = atRest ? "idle" : "deadlock";
    const why = !blocked
      ? "no thread can run"
      : atRest
        ? "every remaining thread waits to receive, as a server waiting for its next request does, and no thread is left to send"
        : "no thread can run and the blocked ones wait for each other";
    return { outcome, report: `${outcome}: ${why}; no timer is pending (${when}). Threads:\n${this.threadReport()}` };
  }

  private threadReport(): string {
    const ipmaps = loadIpMaps(this.opts.threads.map((t) => t.entry));
    const lines = this.kernel.threads().map((tcb) => ({ tcb, ended: this.hosts.get(tcb.id)?.ended ?? null }));
    return describeThreads(this.kernel, lines, ipmaps);
  }
}

/** Atomics.waitAsync (ES2024; Node 20 has it, the ES2022 lib typings do not). */
interface AtomicsWaitAsync {
  waitAsync(
    view: Int32Array,
    index: number,
    value: number,
    timeoutMs: number,
  ): { async: false; value: string } | { async: true; value: Promise<string> };
}

/** The object of a TCB's VSpace root cap (TCB slot 1 on both configurations), or null. */
function vspaceOf(tcb: TCB): unknown {
  const cap = tcb.slots[TCB_VTABLE_SLOT]?.cap;
  return cap && "obj" in cap ? cap.obj : null;
}

function mib(bytes: number): number {
  return Math.round(bytes / (1 << 20));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
