// Workers started before a thread needs one. Starting a worker (a V8 isolate, Node's bootstrap,
// the worker's bundled code) costs tens of milliseconds of CPU, and its thread cannot run before
// it is done; `watch` starts the next run's workers while the learner edits, and a `check` while
// it builds and boots. A worker serves one thread of one run and is never handed out again: it
// gets its thread's state when it is handed out (worker.ts) and ends with the run, so a run after
// one that crashed, looped or polluted its globals starts from fresh workers, as the first did.
import { Worker } from "node:worker_threads";
import type { WorkerInit } from "./layout.js";
import { workerEntryUrl } from "./worker-url.js";

/**
 * A thread's JavaScript heap. A program that allocates in a loop runs out here (the run ends with
 * ERR_WORKER_OUT_OF_MEMORY in its report) instead of growing until the whole machine swaps.
 */
const WORKER_HEAP_MB = 256;

/** What a worker starts with: where it sleeps until its thread's state is posted (1) or it is ended (-1). */
export interface PoolWorkerData {
  mailbox: Int32Array;
}

/** A started worker that waits for its thread. */
export class ThreadWorker {
  readonly worker: Worker;
  private readonly mailbox = new Int32Array(new SharedArrayBuffer(4));

  constructor() {
    this.worker = new Worker(workerEntryUrl(), {
      workerData: { mailbox: this.mailbox } satisfies PoolWorkerData,
      stdout: false,
      stderr: false,
      resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
    });
  }

  /** Hands the worker its thread. */
  start(init: WorkerInit): void {
    this.worker.postMessage(init);
    this.wake(1);
  }

  /** Ends a worker that was never handed out. */
  async end(): Promise<void> {
    this.wake(-1);
    await this.worker.terminate();
  }

  private wake(value: number): void {
    Atomics.store(this.mailbox, 0, value);
    Atomics.notify(this.mailbox, 0);
  }
}

/** Started, not yet handed out; unreferenced, so they never keep the process alive. */
const spares: ThreadWorker[] = [];

/** Starts workers until `count` are waiting to be handed out (none when count <= the spares already there). */
export function prestartWorkers(count: number): void {
  while (spares.length < count) {
    const spare = new ThreadWorker();
    spare.worker.unref();
    // A spare that dies before it is handed out is simply dropped.
    const drop = () => {
      const at = spares.indexOf(spare);
      if (at >= 0) spares.splice(at, 1);
    };
    spare.worker.once("error", drop);
    spare.worker.once("exit", drop);
    spares.push(spare);
  }
}

/** A worker for one thread: a spare if one is waiting (oldest first), else a new one. */
export function takeWorker(): ThreadWorker {
  const spare = spares.shift();
  if (!spare) return new ThreadWorker();
  spare.worker.removeAllListeners("error");
  spare.worker.removeAllListeners("exit");
  spare.worker.ref();
  return spare;
}

/** Workers waiting to be handed out. */
export function spareWorkers(): number {
  return spares.length;
}

/** Ends the waiting workers (watch, when it stops; tests). */
export async function endSpareWorkers(): Promise<void> {
  await Promise.all(spares.splice(0).map((w) => w.end()));
}
