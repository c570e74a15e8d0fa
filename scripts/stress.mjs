#!/usr/bin/env node
// npm run test:stress [-- N [FILE...]]: the whole test suite (or only the test files named) N times
// (default 5) while two CPU-bound busy processes compete for the CPUs, as on a shared machine. Prints pass/fail and the wall time of
// each run, then a summary; exits 1 if any run failed. The busy processes are started here and
// stopped here, also when the script is interrupted. See docs/testing.md.
import { Buffer } from "node:buffer";
import { spawn, spawnSync } from "node:child_process";
import { loadavg } from "node:os";
import { dirname, join } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const runs = Number.parseInt(process.argv[2] ?? process.env.STRESS_RUNS ?? "5", 10);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`usage: npm run test:stress [-- N [FILE...]]   (N: runs, a positive integer; got ${process.argv[2]})`);
  process.exit(2);
}
/** Test files (or vitest filters) to run instead of the whole suite. */
const only = process.argv.slice(3);
const BUSY = 2;

const busy = [];
function startBusy() {
  for (let i = 0; i < BUSY; i++) {
    // A tight loop: one whole CPU each, for as long as the script runs.
    busy.push(spawn(process.execPath, ["-e", "for (;;) {}"], { stdio: "ignore" }));
  }
}
function stopBusy() {
  for (const p of busy.splice(0)) p.kill("SIGKILL");
}
for (const signal of ["SIGINT", "SIGTERM", "SIGHUP"]) {
  process.on(signal, () => {
    stopBusy();
    process.exit(130);
  });
}
process.on("exit", stopBusy);

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(" ");

// Built once: the suite's spawned commands run dist/, as `npm test` builds it first.
const built = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit" });
if (built.status !== 0) process.exit(1);

startBusy();
console.log(
  `test:stress: ${runs} run(s) of ${only.length > 0 ? only.join(" ") : "the suite"} beside ${BUSY} busy processes (pids ${busy.map((p) => p.pid).join(", ")}); load average ${load()}`,
);
const results = [];
for (let i = 1; i <= runs; i++) {
  const started = performance.now();
  const log = [];
  const status = await new Promise((resolve) => {
    const child = spawn(process.execPath, [join(root, "node_modules", "vitest", "vitest.mjs"), "run", ...only], {
      cwd: root,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout.on("data", (d) => log.push(d));
    child.stderr.on("data", (d) => log.push(d));
    child.on("close", (code) => resolve(code));
  });
  const seconds = (performance.now() - started) / 1000;
  const passed = status === 0;
  const text = Buffer.concat(log).toString("utf8");
  // vitest's own summary line ("Tests  1327 passed | 3 skipped (1330)"), not a test named "Tests …".
  const summary = /^\s*Tests\s+(\d.*)$/m.exec(text)?.[1]?.trim() ?? "no summary";
  results.push({ passed, seconds });
  console.log(
    `run ${i}/${runs}: ${passed ? "PASS" : "FAIL"} in ${seconds.toFixed(1)} s (${summary}; load average ${load()})`,
  );
  if (!passed) {
    // The failing tests, so that a failure can be read without running again.
    const failures = text
      .split("\n")
      .filter((l) => /FAIL|×|AssertionError|Error:/.test(l))
      .slice(0, 40);
    console.log(failures.map((l) => `    ${l}`).join("\n"));
  }
}
stopBusy();
const passed = results.filter((r) => r.passed).length;
const times = results.map((r) => r.seconds.toFixed(1)).join(", ");
console.log(`test:stress: ${passed}/${runs} passed; wall times ${times} s`);
process.exit(passed === runs ? 0 : 1);
