// Workers started before a thread needs one. Starting a worker (a V8 isolate, Node's bootstrap,
// the worker's bundled code) costs tens of milliseconds of CPU, and its thread cannot run before
// it is done; `watch` starts the next run's workers while the learner edits, and a `check` while
// it builds and boots. A worker serves one thread of one run and is never handed out again: it
// gets its thread's state as its first message (worker.ts) and ends with the run, so a run after
// one that crashed, looped or polluted its globals starts from fresh workers, as the first did.
import { Worker } from "node:worker_threads";
import { workerEntryUrl } from "./worker-url.js";

/**
 * A thread's JavaScript heap. A program that allocates in a loop runs out here (the run ends with
 * ERR_WORKER_OUT_OF_MEMORY in its report) instead of growing until the whole machine swaps.
 */
const WORKER_HEAP_MB = 256;

/** Started, not yet handed out; unreferenced, so they never keep the process alive. */
const spares: Worker[] = [];

function spawn(): Worker {
  return new Worker(workerEntryUrl(), {
    stdout: false,
    stderr: false,
    resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB },
  });
}

/** Starts workers until `count` are waiting to be handed out (none when count <= the spares already there). */
export function prestartWorkers(count: number): void {
  while (spares.length < count) {
    const worker = spawn();
    worker.unref();
    // A spare that dies before it is handed out is simply dropped.
    const drop = () => {
      const at = spares.indexOf(worker);
      if (at >= 0) spares.splice(at, 1);
    };
    worker.once("error", drop);
    worker.once("exit", drop);
    spares.push(worker);
  }
}

/** A worker for one thread: a spare if one is waiting (oldest first), else a new one. It waits for its WorkerInit. */
export function takeWorker(): Worker {
  const worker = spares.shift();
  if (!worker) return spawn();
  worker.removeAllListeners("error");
  worker.removeAllListeners("exit");
  worker.ref();
  return worker;
}

/** Workers waiting to be handed out. */
export function spareWorkers(): number {
  return spares.length;
}

/** Ends the waiting workers (watch, when it stops; tests). */
export async function endSpareWorkers(): Promise<void> {
  await Promise.all(spares.splice(0).map((w) => w.terminate()));
}
