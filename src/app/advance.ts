// Bringing the next task's start code into the learner's files (src/tutorial/advance.ts merges):
// after a check moves the progress on, and on `sel4tut next`. Files that merge cleanly are written
// after a snapshot in .sel4tut/history/; a file whose merge conflicts is never written: the conflict
// is shown, and `sel4tut next` writes the merge with conflict markers to a copy beside it
// (FILE.merge). Whether a merge is still owed is kept in .sel4tut/advance.json.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { advanceFiles, type Conflict, type FileAdvance } from "../tutorial/advance.js";
import { STATE_DIR } from "../tutorial/exercise.js";
import { readVersionedJson, writeJsonAtomic } from "../tutorial/state-file.js";
import type { ExerciseContext } from "./context.js";
import { writeFileSet } from "./file-set.js";
import { HISTORY_DIR, takeSnapshot, type Snapshot, type SnapshotCommand } from "./history.js";

const ADVANCE_FILE = join(STATE_DIR, "advance.json");
/** The suffix of the copy holding a conflicted merge with its markers. */
const MERGE_COPY_SUFFIX = ".merge";

interface AdvanceState {
  schemaVersion: 1;
  /** false: the official tutorials' way, files are never touched after a check (init --keep-files). */
  merge: boolean;
  /** A merge that conflicted and was not written: `sel4tut next` writes it (with markers in copies). */
  pending: { from: string; to: string } | null;
}

function isAdvanceState(v: unknown): v is AdvanceState {
  const s = v as AdvanceState;
  return (
    typeof s === "object" &&
    s !== null &&
    typeof s.merge === "boolean" &&
    (s.pending === null || typeof s.pending === "object")
  );
}

export function readAdvanceState(dir: string): AdvanceState {
  const r = readVersionedJson(join(dir, ADVANCE_FILE), 1, isAdvanceState);
  return r.kind === "ok" ? r.value : { schemaVersion: 1, merge: true, pending: null };
}

export function writeAdvanceState(dir: string, state: AdvanceState): void {
  writeJsonAtomic(join(dir, ADVANCE_FILE), state);
}

export interface AdvanceOutcome {
  from: string;
  to: string;
  /** Files written with the merge. */
  written: string[];
  snapshot: Snapshot | null;
  conflicts: { file: string; conflicts: Conflict[] }[];
  /** Copies written with conflict markers (only when asked to). */
  copies: string[];
}

function learnerSources(ctx: ExerciseContext): Map<string, string> {
  const out = new Map<string, string>();
  for (const name of ctx.exercise.record.sources) {
    const file = join(ctx.exercise.dir, name);
    if (existsSync(file)) out.set(name, readFileSync(file, "utf8"));
  }
  return out;
}

/**
 * Merges the learner's files from the end of task `from` to the start of task `to`. Clean merges
 * are written after one snapshot of every file about to change; conflicted files are left alone,
 * and with `copies` their merge with conflict markers goes to FILE.merge.
 */
export function advanceLearnerFiles(
  ctx: ExerciseContext,
  from: number,
  to: number,
  how: { command: SnapshotCommand; copies: boolean },
): AdvanceOutcome {
  const [fromName, toName] = [ctx.tut.tasks[from]!.name, ctx.tut.tasks[to]!.name];
  const mine = learnerSources(ctx);
  const merged = advanceFiles(ctx.tut, from, to, mine);
  const clean = merged.filter((f): f is Extract<FileAdvance, { kind: "clean" }> => f.kind === "clean");
  const conflicted = merged.filter((f): f is Extract<FileAdvance, { kind: "conflict" }> => f.kind === "conflict");
  const copies = how.copies ? conflicted.map((f) => `${f.file}${MERGE_COPY_SUFFIX}`) : [];
  let snapshot: Snapshot | null = null;
  if (clean.length > 0 || copies.length > 0) {
    const before = new Map<string, Buffer | null>();
    for (const f of clean) before.set(f.file, Buffer.from(mine.get(f.file)!));
    for (const c of copies)
      before.set(c, existsSync(join(ctx.exercise.dir, c)) ? readFileSync(join(ctx.exercise.dir, c)) : null);
    snapshot = takeSnapshot(ctx.exercise.dir, before, { command: how.command, task: toName });
    const writes = new Map<string, Buffer | null>(clean.map((f) => [f.file, Buffer.from(f.merged)]));
    if (how.copies) for (const f of conflicted) writes.set(`${f.file}${MERGE_COPY_SUFFIX}`, Buffer.from(f.marked));
    writeFileSet(ctx.exercise.dir, writes);
  }
  const state = readAdvanceState(ctx.exercise.dir);
  writeAdvanceState(ctx.exercise.dir, {
    ...state,
    pending: conflicted.length > 0 && !how.copies ? { from: fromName, to: toName } : null,
  });
  return {
    from: fromName,
    to: toName,
    written: clean.map((f) => f.file),
    snapshot,
    conflicts: conflicted.map((f) => ({ file: f.file, conflicts: f.conflicts })),
    copies,
  };
}

const SHOWN_LINES = 8;

function excerpt(lines: string[]): string[] {
  const shown = lines.slice(0, SHOWN_LINES).map((l) => `  | ${l}`);
  if (lines.length > SHOWN_LINES) shown.push(`  | … (${lines.length - SHOWN_LINES} more lines)`);
  return lines.length === 0 ? ["  | (nothing)"] : shown;
}

/** What the learner reads after an advance: what was written, what conflicted, what to do about it. */
export function describeAdvance(o: AdvanceOutcome): string[] {
  const out: string[] = [];
  if (o.written.length > 0) {
    out.push(
      `${o.written.join(", ")} now ${o.written.length === 1 ? "holds" : "hold"} ${o.to}'s start code, merged with your own edits ` +
        `(your files as they were: ${join(HISTORY_DIR, String(o.snapshot!.sequence))}; sel4tut restore ${o.snapshot!.sequence} puts them back).`,
    );
  }
  for (const c of o.conflicts) {
    out.push(`${c.file}: ${o.to}'s start code and your edits change the same lines, so ${c.file} was left as it is:`);
    for (const k of c.conflicts) {
      out.push(
        `  at line ${k.line}, yours:`,
        ...excerpt(k.mine),
        `  ${o.to}'s start code has instead:`,
        ...excerpt(k.next),
      );
    }
  }
  if (o.copies.length > 0) {
    out.push(
      `The merge with conflict markers (<<<<<<< yours, ||||||| ${o.from} solved, ======= ${o.to} start, >>>>>>>) is in ` +
        `${o.copies.join(", ")}; your ${o.conflicts.map((c) => c.file).join(", ")} ${o.conflicts.length === 1 ? "is" : "are"} unchanged. ` +
        "Resolve it there and copy it over, or carry on by hand.",
    );
  } else if (o.conflicts.length > 0) {
    out.push(
      `sel4tut next writes the merge with conflict markers to ${o.conflicts.map((c) => `${c.file}${MERGE_COPY_SUFFIX}`).join(", ")} ` +
        `(your files stay as they are); or add the code by hand: README.md shows it under ${o.to}.`,
    );
  }
  return out;
}
