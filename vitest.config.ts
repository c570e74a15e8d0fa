import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

// Each kind of test has a timeout that fits it: far above what it takes on a loaded 2-core machine
// (a safety net, never what a test asserts), and low enough that a unit test that hangs is not
// waited for like a whole command line. A test that needs more says so itself.
const kind = (name: string, include: string[], timeoutMs: number, exclude: string[] = []) => ({
  extends: true as const,
  test: { name, include, exclude, testTimeout: timeoutMs, hookTimeout: timeoutMs },
});

const UNIT = [
  "test/kernel/**/*.test.ts",
  "test/libsel4/**/*.test.ts",
  "test/check/**/*.test.ts",
  "test/loader/**/*.test.ts",
  "test/app/**/*.test.ts",
  "test/text/**/*.test.ts",
];
const CLI = ["test/cli/**/*.test.ts", "test/reliability/**/*.test.ts"];

export default defineConfig({
  test: {
    pool: "forks",
    globalSetup: ["test/support/temporary-files.ts"],
    // Ending a test worker can take longer than vitest's 10 s on a loaded machine (seen at a load of
    // 19); it only logs then, but a log line that reads like an error should mean one.
    teardownTimeout: 60_000,
    // One test file per CPU, not vitest's default of one fewer: many files spend much of their time
    // waiting for the sel4tut processes and worker threads they start, so two files at once on two
    // cores took the suite from 246 s to 173 s (docs/testing.md); a third gained nothing.
    maxWorkers: availableParallelism(),
    projects: [
      // The kernel model, libsel4's marshalling, the expect engine, the loader, the use cases with fakes: milliseconds each.
      kind("unit", UNIT, 30_000),
      // Learner code built and run on workers in this process (machine, compile, tutorials, authoring).
      kind("runs", ["test/**/*.test.ts"], 120_000, [...UNIT, ...CLI]),
      // The real command line, spawned: each test runs several whole processes.
      kind("cli", CLI, 240_000),
    ],
  },
});
