// The machine's handle on one user thread: its worker and the main-thread side of the channel.
import type { Worker } from "node:worker_threads";
import type { TCB } from "../kernel/index.js";
import {
  Control,
  W_ARG0,
  W_ARG1,
  W_BUDGET,
  W_CONSUMED,
  W_EVENT,
  W_IPCBUF,
  W_NOW,
  W_PRINT,
  contextViews,
  type ContextViews,
  type TrapKind,
  type WorkerInit,
} from "./layout.js";
import type { WorkerMessage } from "./worker.js";
import { takeWorker } from "./pool.js";
import type { ThreadEnd } from "../libsel4/channel.js";

export interface ThreadSpec {
  tcb: TCB;
  /** Compiled CommonJS file that exports main(). */
  entry: string;
  /** Its source map (default: `${entry}.map`, which is also where the worker looks). */
  sourceMapFile?: string;
  /** Root task: where its seL4_BootInfo is mapped (see WorkerInit.bootInfo). */
  bootInfo?: bigint;
}

/** Which function of the program a thread runs (see WorkerInit.startAt). */
export type StartAt = WorkerInit["startAt"];

let live = 0;

/** Workers spawned and not yet exited, in this process (a run must leave none behind). */
export function liveWorkers(): number {
  return live;
}

export class ThreadHost {
  readonly views: ContextViews;
  readonly worker: Worker;
  /** How the thread ended quietly (main returned, or abort() after a failed ZF_LOGF_IF or assert), if it has. */
  ended: ThreadEnd | null = null;
  /** The worker could not load its code or died: the run cannot go on. */
  failure: string | null = null;
  /** The worker crashed because the program used up its heap (a fact of the learner's program, not a bug). */
  outOfMemory = false;
  /** Resolves when the worker has compiled its code; never rejects (see `failure`). */
  readonly ready: Promise<void>;
  /** Wall-clock ms from taking the worker (spawning it, unless it was started before) to ready, for the benchmark. */
  startupMs = Number.NaN;
  private stopping = false;

  constructor(
    readonly spec: ThreadSpec,
    init: Omit<WorkerInit, "contextAddr" | "entry" | "sourceMapFile" | "threadName" | "threadId" | "startAt">,
    startAt: StartAt = "main",
  ) {
    const tcb = spec.tcb;
    this.views = contextViews(init.memory, tcb.contextAddr);
    Atomics.store(this.views.control, 0, Control.Trapped);
    const workerInit: WorkerInit = {
      ...init,
      contextAddr: tcb.contextAddr,
      entry: spec.entry,
      threadName: tcb.name,
      threadId: tcb.id,
      startAt,
      ...(spec.sourceMapFile ? { sourceMapFile: spec.sourceMapFile } : {}),
      ...(spec.bootInfo !== undefined ? { bootInfo: spec.bootInfo } : {}),
    };
    const started = performance.now();
    const thread = takeWorker();
    this.worker = thread.worker;
    thread.start(workerInit);
    live++;
    this.worker.once("exit", () => live--);
    this.ready = new Promise<void>((resolve) => {
      this.worker.on("message", (m: WorkerMessage) => {
        if (m.type === "ready") this.startupMs = performance.now() - started;
        else this.failure = `cannot load ${spec.entry}: ${m.message}`;
        resolve();
      });
      this.worker.on("error", (err) => {
        if ((err as NodeJS.ErrnoException).code === "ERR_WORKER_OUT_OF_MEMORY") this.outOfMemory = true;
        this.failure ??= `thread "${tcb.name}" crashed: ${err.stack ?? err.message}`;
        resolve();
      });
      this.worker.on("exit", (code) => {
        if (!this.stopping) this.failure ??= `the worker of thread "${tcb.name}" exited unexpectedly (code ${code})`;
        resolve();
      });
    });
  }

  get name(): string {
    return this.spec.tcb.name;
  }

  /** Lets the worker run from virtual time `nowNs` for at most `budgetNs`. */
  resume(nowNs: number, budgetNs: number, ipcBufferAddr: number | null): void {
    const { f64, control } = this.views;
    f64[W_NOW] = nowNs;
    f64[W_BUDGET] = budgetNs;
    f64[W_IPCBUF] = ipcBufferAddr ?? -1;
    Atomics.store(control, 0, Control.Run);
    Atomics.notify(control, 0);
  }

  trapKind(): TrapKind {
    return this.views.f64[W_EVENT] as TrapKind;
  }

  printBytes(): number {
    return this.views.f64[W_PRINT]!;
  }

  /** The machine has taken the print area's bytes (the worker clears it too when it next runs). */
  clearPrint(): void {
    this.views.f64[W_PRINT] = 0;
  }

  consumedNs(): number {
    return this.views.f64[W_CONSUMED]!;
  }

  wordArgs(): [bigint, bigint] {
    return [this.views.words[W_ARG0]!, this.views.words[W_ARG1]!];
  }

  numberArgs(): [number, number] {
    return [this.views.f64[W_ARG0]!, this.views.f64[W_ARG1]!];
  }

  /** Ends the worker; safe to call more than once. */
  async terminate(): Promise<void> {
    this.stopping = true;
    Atomics.store(this.views.control, 0, Control.Stop);
    Atomics.notify(this.views.control, 0);
    await this.worker.terminate();
  }
}
