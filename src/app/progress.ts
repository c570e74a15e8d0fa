// Changes to the learner's progress, each one a read-modify-write of DIR/.sel4tut/progress.json
// done under a lock shared by every sel4tut process. `check` and `check --mcs` run at the same
// moment (two terminals, or an editor task beside `watch`) therefore both land in the file.
//
// The rule (docs/commands.md): a check records a pass of the task it was started on, on the
// kernel it ran; the current task moves on once it has passed on every kernel the tutorial
// supports. Moving on is its own step (advanceProgress), so that whatever must happen when the
// learner reaches the next task happens exactly once, in the process that moved it.
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import lockfile from "proper-lockfile";
import type { KernelConfig } from "../abi/constants.js";
import { taskIndex, type TutorialDef } from "../tutorial/schema.js";
import { markPassed, PROGRESS_FILE, readProgress, writeProgress, type Progress } from "../tutorial/progress.js";

/** Where a progress file lives and what it is about. */
export interface ProgressScope {
  /** The exercise directory. */
  dir: string;
  tut: TutorialDef;
  /** The task a fresh progress starts on (the one the exercise was made for). */
  firstTask: string;
  /** Told when an unreadable progress file was moved aside and a fresh one started. */
  onNotice?: (text: string) => void;
  /** Told each time a change has been written, still under the lock (the README's task list follows it). */
  onWritten?: (progress: Progress) => void;
}

/**
 * The lock is held for one read and one write (milliseconds). A holder that died leaves a lock that
 * turns stale after STALE_MS and is then taken over; waiting retries for well over that.
 */
const STALE_MS = 10_000;
const LOCK_OPTIONS = {
  realpath: false,
  stale: STALE_MS,
  retries: { retries: 200, factor: 1.2, minTimeout: 10, maxTimeout: 250 },
  // Only another process deciding our lock is stale compromises it, which a hold of milliseconds
  // never gives cause for; proper-lockfile's default (throw from a timer) would kill the command.
  onCompromised: () => {},
} satisfies lockfile.LockOptions;

/** The progress as it is on disk now (a fresh one if there is none), with an unknown current task reset to the first. */
function readCurrent(scope: ProgressScope): Progress {
  const { progress, notice } = readProgress(scope.dir, scope.tut.name, scope.firstTask);
  if (notice) scope.onNotice?.(notice);
  if (taskIndex(scope.tut, progress.currentTask) < 0) progress.currentTask = scope.tut.tasks[0]!.name;
  return progress;
}

/**
 * Reads the progress, lets `change` modify it, and writes it back, with no other sel4tut process
 * changing it in between. `change` returns what the caller wants to know; returning `false`
 * leaves the file untouched.
 */
async function updateProgress<T>(
  scope: ProgressScope,
  change: (p: Progress) => T | false,
): Promise<{ progress: Progress; result: T | false }> {
  const file = join(scope.dir, PROGRESS_FILE);
  mkdirSync(dirname(file), { recursive: true });
  const release = await lockfile.lock(file, LOCK_OPTIONS);
  try {
    const progress = readCurrent(scope);
    const result = change(progress);
    if (result !== false) {
      writeProgress(scope.dir, progress);
      scope.onWritten?.(progress);
    }
    return { progress, result };
  } finally {
    await release();
  }
}

/** What recording a pass did. */
export interface PassRecorded {
  task: string;
  config: KernelConfig;
  /** The progress after the pass was recorded. */
  progress: Progress;
  /** The tutorial's kernels this task has not yet passed on (empty: it is complete). */
  missing: KernelConfig[];
  /** The task is the learner's current one and has now passed on every kernel: it may move on. */
  complete: boolean;
}

/** Records that `task` passed on `config`. Never moves the current task (advanceProgress does). */
export async function recordPass(scope: ProgressScope, task: string, config: KernelConfig): Promise<PassRecorded> {
  const { progress } = await updateProgress(scope, (p) => markPassed(p, task, config));
  const missing = scope.tut.configs.filter((c) => !progress.passed[task]?.[c]);
  return { task, config, progress, missing, complete: missing.length === 0 && progress.currentTask === task };
}

/** What advancing did: `to` is null after the last task. */
export interface Advanced {
  from: string;
  to: string | null;
  /** False when another process had already moved the progress on from `from` (or elsewhere). */
  moved: boolean;
  progress: Progress;
}

/**
 * Moves the current task from `from` to the task after it, if it is still `from` (a compare-and-set:
 * of two processes that both saw `from` complete, exactly one moves it). The last task stays current.
 */
export async function advanceProgress(scope: ProgressScope, from: string): Promise<Advanced> {
  const next = scope.tut.tasks[taskIndex(scope.tut, from) + 1]?.name ?? null;
  const { progress, result } = await updateProgress(scope, (p) => {
    if (p.currentTask !== from || next === null) return false;
    p.currentTask = next;
    return true;
  });
  return { from, to: next, moved: result === true, progress };
}

/** Counts hints revealed for `task` (never fewer than already recorded). */
export async function recordHintsShown(scope: ProgressScope, task: string, shown: number): Promise<void> {
  await updateProgress(scope, (p) => {
    if ((p.hintsShown[task] ?? 0) >= shown) return false;
    p.hintsShown[task] = shown;
    return true;
  });
}

/** `sel4tut next`: makes `task` the current one, whatever it was (the learner asked for it). */
export async function moveToTask(scope: ProgressScope, task: string): Promise<void> {
  await updateProgress(scope, (p) => {
    if (p.currentTask === task) return false;
    p.currentTask = task;
    return true;
  });
}

/** What a passing check did to the progress. */
export interface PassOutcome {
  recorded: PassRecorded;
  /** Set when the pass completed the current task (`moved` false: another process moved it first). */
  advanced: Advanced | null;
}

/**
 * The progress step after a check of `task` passed on `config`: record it, and move the current task
 * on if that completed it. Whatever should happen as the learner reaches the next task belongs
 * where `advanced.moved` is true: that is exactly one process.
 */
export async function passTask(scope: ProgressScope, task: string, config: KernelConfig): Promise<PassOutcome> {
  const recorded = await recordPass(scope, task, config);
  const advanced = recorded.complete ? await advanceProgress(scope, task) : null;
  return { recorded, advanced };
}
