// Benchmark hooks: the user-thread syscall round trip (worker -> machine -> kernel -> worker)
// and worker start-up, measured on real workers. The timed code is plain CommonJS written to a
// temporary directory, so no build is involved.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kernel, type Config, type ObjectTypeName } from "../kernel/index.js";
import { runSystem } from "./run.js";
import { bootTestbed } from "./testbed.js";

export interface RoundTripStats {
  medianNs: number;
  p99Ns: number;
  samples: number;
}

export interface MachineBench {
  /** seL4_Yield with no other thread: one kernel entry, the same worker resumes. */
  yield: RoundTripStats;
  /** seL4_Call to a server on another worker that answers with seL4_ReplyRecv (two switches). */
  call: RoundTripStats;
  /** Wall-clock ms from spawning a worker to its code being loaded, per thread. */
  workerStartupMs: number[];
}

/** Each thread times its own calls and prints "median p99" in ns. */
const TIMED_CALLS = (iterations: number, call: string) => `"use strict";
const sel4 = require("sel4");
exports.main = function () {
  const samples = new Float64Array(${iterations});
  for (let i = 0; i < samples.length; i++) {
    const t0 = process.hrtime.bigint();
    ${call};
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  samples.sort();
  sel4.printf("%d %d\\n", samples[samples.length >> 1], samples[Math.floor(samples.length * 0.99)]);
  return 0;
};`;

/** The reply object (slot 2) is an MCS argument; master's calls take one argument less. */
const SERVER = `"use strict";
const sel4 = require("sel4");
exports.main = function () {
  sel4.seL4_Recv(1, 2);
  for (;;) sel4.seL4_ReplyRecv(1, sel4.seL4_MessageInfo_new(0, 0, 0, 0), 2);
};`;

export async function benchMachine(opts: { iterations?: number; config?: Config } = {}): Promise<MachineBench> {
  const iterations = opts.iterations ?? 20_000;
  const config = opts.config ?? "master";
  const dir = mkdtempSync(join(tmpdir(), "sel4tut-bench-"));
  try {
    const write = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    const yielder = write("yielder.js", TIMED_CALLS(iterations, "sel4.seL4_Yield()"));
    const caller = write("caller.js", TIMED_CALLS(iterations, "sel4.seL4_Call(1, sel4.seL4_MessageInfo_new(0, 0, 0, 0))"));
    const server = write("server.js", config === "mcs" ? SERVER : SERVER.replace(/, 2\)/g, ")"));
    const solo = await timedRun(config, iterations, [{ name: "yielder", entry: yielder }]);
    const pair = await timedRun(config, iterations, [{ name: "server", entry: server }, { name: "caller", entry: caller }]);
    return { yield: solo.stats, call: pair.stats, workerStartupMs: [...solo.startup, ...pair.startup] };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function timedRun(config: Config, iterations: number, threads: { name: string; entry: string }[]): Promise<{ stats: RoundTripStats; startup: number[] }> {
  let output = "";
  const kernel = new Kernel({ config, memoryBytes: 16 << 20, onOutput: (s) => (output += s) });
  const caps = [{ slot: 1, object: "ep" }, ...(config === "mcs" ? [{ slot: 2, object: "reply" }] : [])];
  const objects: Record<string, ObjectTypeName> = config === "mcs" ? { ep: "Endpoint", reply: "Reply" } : { ep: "Endpoint" };
  const tcbs = bootTestbed(kernel, objects, threads.map((t) => ({ name: t.name, caps })));
  const result = await runSystem({
    kernel,
    threads: threads.map((t) => ({ tcb: tcbs.get(t.name)!, entry: t.entry })),
    simTimeLimitNs: 1e12,
    wallTimeLimitMs: 120_000,
  });
  const m = /^(\d+) (\d+)$/m.exec(output);
  if (!m) throw new Error(`benchmark run ended without timings (${result.outcome}): ${result.report}\n${output}`);
  return { stats: { medianNs: Number(m[1]), p99Ns: Number(m[2]), samples: iterations }, startup: result.workerStartupMs };
}
