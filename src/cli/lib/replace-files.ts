// What reset and restore share: find which learner files would change, get consent, snapshot
// them, and only then write. Nothing is written unless the snapshot is complete.
import { join } from "node:path";
import { consent } from "./confirm.js";
import { CommandFailed, describeSystemCause, isSystemError } from "../../app/errors.js";
import { differingFiles, pick, readFileSet, writeFileSet, type FileSet } from "../../app/file-set.js";
import { HISTORY_DIR, takeSnapshot, type Snapshot, type SnapshotReason } from "../../app/history.js";
import { requirePlainPaths } from "../../app/plain-path.js";

export interface Replacement {
  exerciseDir: string;
  /** The content each file should get (null: the file should not exist). */
  wanted: FileSet;
  reason: SnapshotReason;
  yes: boolean;
  /** "Reset handler.ts to the start of fault-badge" (a question mark is added to ask). */
  action: (files: string) => string;
  /** The same command with --yes. */
  withYes: string;
}

export type Replaced =
  { kind: "unchanged" } | { kind: "declined"; files: string[] } | { kind: "done"; files: string[]; snapshot: Snapshot };

export function fileList(names: readonly string[]): string {
  return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} and ${names.at(-1)}`;
}

export async function replaceFiles(r: Replacement): Promise<Replaced> {
  requirePlainPaths(r.exerciseDir, [...r.wanted.keys(), HISTORY_DIR]);
  const current = readFileSet(r.exerciseDir, r.wanted.keys());
  const files = differingFiles(current, r.wanted);
  if (files.length === 0) return { kind: "unchanged" };
  const action = r.action(fileList(files));
  const agreed = await consent({
    yes: r.yes,
    question: `${action}? Your current version${files.length === 1 ? " is" : "s are"} kept in ${join(".sel4tut", "history")} first.`,
    what: `${r.reason.command} would replace ${fileList(files)} (keeping a copy in ${join(".sel4tut", "history")} first)`,
    withYes: r.withYes,
  });
  if (!agreed) return { kind: "declined", files };
  const snapshot = takeSnapshot(r.exerciseDir, pick(current, files), r.reason);
  try {
    writeFileSet(r.exerciseDir, pick(r.wanted, files));
  } catch (e) {
    if (!isSystemError(e)) throw e;
    throw new CommandFailed(
      `${describeSystemCause(e)} Some files may have been replaced; all of them, as they were before, ` +
        `are in ${snapshot.dir}, and sel4tut restore ${snapshot.sequence} puts them back.`,
    );
  }
  return { kind: "done", files, snapshot };
}
