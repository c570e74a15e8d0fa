// Snapshots of learner files in DIR/.sel4tut/history/N/, taken before reset or restore writes
// anything, so that every change they make can be undone. N counts up from 1: names and output
// never depend on the clock. A snapshot is built in a staging directory and renamed into place,
// so a numbered directory is always complete.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, normalize } from "node:path";
import { STATE_DIR } from "../tutorial/exercise.js";
import type { FileSet } from "./file-set.js";
import { plainPath } from "./plain-path.js";

export const HISTORY_DIR = join(STATE_DIR, "history");
const MANIFEST = "snapshot.json";
const FILES = "files";
const SCHEMA = 1;
const COMMANDS = ["reset", "restore", "advance", "next"] as const;
/** Who wrote the files: reset, restore, the merge after a passed check ("advance"), or sel4tut next. */
export type SnapshotCommand = (typeof COMMANDS)[number];

/** Why a snapshot was taken: the command about to write, and what it was going to write. */
export interface SnapshotReason {
  command: SnapshotCommand;
  /** reset: the task whose start code it wrote; advance and next: the task whose start code they merged in. */
  task?: string;
  /** restore: the snapshot it put back. */
  restoring?: number;
}

export interface Snapshot extends SnapshotReason {
  sequence: number;
  dir: string;
  /** Each file as it was; `existed: false` means the command was about to create it. */
  files: { path: string; existed: boolean }[];
}

interface Manifest extends SnapshotReason {
  schemaVersion: number;
  files: { path: string; existed: boolean }[];
}

/** A path from a manifest must stay inside the exercise (the manifest is just a file on disk). */
function safePath(p: unknown): p is string {
  return typeof p === "string" && p !== "" && !isAbsolute(p) && !normalize(p).startsWith("..");
}

function readManifest(dir: string): Manifest | null {
  try {
    const m = JSON.parse(readFileSync(join(dir, MANIFEST), "utf8")) as Manifest;
    const ok =
      m.schemaVersion === SCHEMA &&
      COMMANDS.includes(m.command) &&
      Array.isArray(m.files) &&
      m.files.every((f) => safePath(f.path) && typeof f.existed === "boolean");
    return ok ? m : null;
  } catch {
    return null;
  }
}

/** Every readable snapshot, oldest first. Directories that are not snapshots are ignored. */
export function listSnapshots(exerciseDir: string): Snapshot[] {
  const root = join(exerciseDir, HISTORY_DIR);
  if (!existsSync(root)) return [];
  return readdirSync(root)
    .filter((n) => /^[1-9]\d*$/.test(n))
    .map((n) => ({ sequence: Number(n), dir: join(root, n), manifest: readManifest(join(root, n)) }))
    .flatMap(({ sequence, dir, manifest }) => {
      if (!manifest) return [];
      const { schemaVersion: _, ...reason } = manifest;
      return [{ ...reason, sequence, dir }];
    })
    .sort((a, b) => a.sequence - b.sequence);
}

/** The highest number in use, readable or not, so that a damaged snapshot's number is never reused. */
function lastSequence(root: string): number {
  if (!existsSync(root)) return 0;
  return Math.max(
    0,
    ...readdirSync(root)
      .filter((n) => /^[1-9]\d*$/.test(n))
      .map(Number),
  );
}

export function takeSnapshot(exerciseDir: string, files: FileSet, reason: SnapshotReason): Snapshot {
  const root = join(exerciseDir, HISTORY_DIR);
  const staging = join(root, `.staging-${process.pid}`);
  const entries = [...files].map(([path, content]) => ({ path, existed: content !== null }));
  rmSync(staging, { recursive: true, force: true });
  try {
    for (const [path, content] of files) {
      if (content === null) continue;
      const f = join(staging, FILES, path);
      mkdirSync(dirname(f), { recursive: true });
      writeFileSync(f, content);
    }
    mkdirSync(staging, { recursive: true });
    const manifest: Manifest = { schemaVersion: SCHEMA, ...reason, files: entries };
    writeFileSync(join(staging, MANIFEST), JSON.stringify(manifest, null, 2) + "\n");
    // Another sel4tut may take the same number at the same moment: the rename of the loser fails.
    for (let attempt = 0; ; attempt++) {
      const sequence = lastSequence(root) + 1;
      const dir = join(root, String(sequence));
      try {
        renameSync(staging, dir);
        return { ...reason, sequence, dir, files: entries };
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (attempt >= 10 || (code !== "EEXIST" && code !== "ENOTEMPTY")) throw e;
      }
    }
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/** The files of a snapshot as they were (null for those that did not exist). */
export function snapshotFiles(s: Snapshot): Map<string, Buffer | null> {
  return new Map(s.files.map((f) => [f.path, f.existed ? readFileSync(plainPath(join(s.dir, FILES), f.path)) : null]));
}

/** Why a snapshot was taken, e.g. "before reset to the start of fault-badge". */
export function snapshotReason(s: Snapshot): string {
  switch (s.command) {
    case "reset":
      return `before reset${s.task ? ` to the start of ${s.task}` : ""}`;
    case "restore":
      return `before restore${s.restoring !== undefined ? ` of snapshot ${s.restoring}` : ""}`;
    case "advance":
      return `before merging in ${s.task ? `${s.task}'s` : "the next task's"} start code after a passed check`;
    case "next":
      return `before sel4tut next merged in ${s.task ? `${s.task}'s` : "a task's"} start code`;
  }
}

/** One line about a snapshot, for lists: why it was taken and what it holds. */
export function describeSnapshot(s: Snapshot): string {
  return `${snapshotReason(s)}: ${s.files.map((f) => f.path + (f.existed ? "" : " (did not exist)")).join(", ")}`;
}
