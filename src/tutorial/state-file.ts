// JSON state files under DIR/.sel4tut: written atomically (temp file + rename) so a crash
// never leaves a half-written file, and never silently discarded when unreadable.
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";

export function writeJsonAtomic(file: string, value: unknown): void {
  writeTextAtomic(file, JSON.stringify(value, null, 2) + "\n");
}

export function writeTextAtomic(file: string, text: string): void {
  // Rewriting a file with what it holds changes nothing, and a write is the slow part on a busy disk.
  if (holds(file, text)) return;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

/** The file exists and its text is `text`. */
export function holds(file: string, text: string): boolean {
  try {
    return readFileSync(file, "utf8") === text;
  } catch {
    return false;
  }
}

export type ReadResult<T> =
  | { kind: "ok"; value: T }
  | { kind: "missing" }
  /** Written by a newer sel4tut: left as it is (moving it aside would lose it for that sel4tut). */
  | { kind: "newer"; schemaVersion: number }
  | { kind: "unreadable"; movedTo: string; reason: string };

/**
 * Reads a versioned state file. An unreadable file is moved aside (file.broken-N) rather than
 * overwritten, and the caller is told so it can say it. A file from a newer sel4tut is left alone.
 */
export function readVersionedJson<T extends { schemaVersion: number }>(
  file: string,
  schemaVersion: number,
  isValid: (v: unknown) => v is T,
): ReadResult<T> {
  if (!existsSync(file)) return { kind: "missing" };
  let reason: string;
  try {
    const value: unknown = JSON.parse(readFileSync(file, "utf8"));
    if (isValid(value) && value.schemaVersion === schemaVersion) return { kind: "ok", value };
    const found = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
    if (typeof found === "number" && found > schemaVersion) return { kind: "newer", schemaVersion: found };
    reason = `unexpected content or schemaVersion (this sel4tut reads version ${schemaVersion})`;
  } catch (e) {
    reason = (e as Error).message;
  }
  let n = 1;
  while (existsSync(`${file}.broken-${n}`)) n++;
  const movedTo = `${file}.broken-${n}`;
  renameSync(file, movedTo);
  return { kind: "unreadable", movedTo, reason };
}
