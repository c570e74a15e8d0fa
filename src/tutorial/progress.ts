// Learner progress in DIR/.sel4tut/progress.json: which tasks passed on which configuration,
// which task is current and how many hints were revealed.
import { join } from "node:path";
import type { KernelConfig } from "../abi/constants.js";
import { STATE_DIR } from "./exercise.js";
import { readVersionedJson, writeJsonAtomic, type ReadResult } from "./state-file.js";

export const PROGRESS_FILE = join(STATE_DIR, "progress.json");
export const PROGRESS_SCHEMA = 1;

export interface Progress {
  schemaVersion: typeof PROGRESS_SCHEMA;
  tutorial: string;
  currentTask: string;
  passed: Record<string, Partial<Record<KernelConfig, true>>>;
  hintsShown: Record<string, number>;
}

export function isProgress(v: unknown): v is Progress {
  const p = v as Progress;
  return (
    typeof p === "object" &&
    p !== null &&
    typeof p.currentTask === "string" &&
    typeof p.passed === "object" &&
    typeof p.hintsShown === "object"
  );
}

export function freshProgress(tutorial: string, currentTask: string): Progress {
  return { schemaVersion: PROGRESS_SCHEMA, tutorial, currentTask, passed: {}, hintsShown: {} };
}

/** A progress file in a newer format than this sel4tut writes: it is not touched. */
export class NewerProgressError extends Error {}

export function readProgress(
  dir: string,
  tutorial: string,
  firstTask: string,
): {
  progress: Progress;
  notice: string | null;
} {
  const file = join(dir, PROGRESS_FILE);
  const r: ReadResult<Progress> = readVersionedJson(file, PROGRESS_SCHEMA, isProgress);
  if (r.kind === "ok") return { progress: r.value, notice: null };
  if (r.kind === "newer") {
    throw new NewerProgressError(
      `${file} was written by a newer sel4tut (progress format ${r.schemaVersion}; this one reads ${PROGRESS_SCHEMA})`,
    );
  }
  const progress = freshProgress(tutorial, firstTask);
  if (r.kind === "missing") return { progress, notice: null };
  return {
    progress,
    notice: `progress file was unreadable (${r.reason}); kept it as ${r.movedTo} and started a fresh one`,
  };
}

export function writeProgress(dir: string, progress: Progress): void {
  writeJsonAtomic(join(dir, PROGRESS_FILE), progress);
}

export function markPassed(p: Progress, task: string, config: KernelConfig): void {
  p.passed[task] = { ...p.passed[task], [config]: true };
}
