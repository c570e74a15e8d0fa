// Vitest's global setup: every temporary file and directory the suite makes (exercises, build
// directories, compiled programs, the sel4tut processes' own caches) goes under one directory
// made for this run, removed when the run ends, so repeated runs do not fill the machine's
// temporary directory. SEL4TUT_KEEP_TEST_FILES=1 keeps it (its path is printed) for a post-mortem.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

export default function setup(): () => void {
  // Each project of vitest.config.ts runs the global setup; the first one makes the directory.
  if (process.env.SEL4TUT_TEST_TMPDIR) return () => {};
  const dir = mkdtempSync(join(tmpdir(), "sel4tut-tests-"));
  // os.tmpdir() reads TMPDIR on every call, and the test workers and the processes they start inherit it.
  process.env.TMPDIR = process.env.SEL4TUT_TEST_TMPDIR = dir;
  return () => {
    if (process.env.SEL4TUT_KEEP_TEST_FILES === "1") console.log(`test files kept in ${dir}`);
    else rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  };
}
