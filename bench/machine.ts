// Benchmark hooks: the user-thread syscall round trip (worker -> machine -> kernel -> worker),
// worker start-up, and how the round trip holds up with many threads, measured on real workers.
// The timed code is plain CommonJS written to a temporary directory, so no build is involved.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kernel } from "../src/kernel/index.js";
import type { KernelConfig, ObjectTypeName } from "../src/abi/constants.js";
import { runSystem } from "../src/machine/run.js";
import { bootTestbed, type CapSpec, type ThreadSpec } from "../test/support/system.js";

interface RoundTripStats {
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

export interface ThreadsBench {
  threads: number;
  /** Calls made in all (threads / 2 clients, each `iterations`). */
  calls: number;
  /** Wall-clock ns per Call/ReplyRecv round trip over the whole exchange (first call to last reply). */
  nsPerRoundTrip: number;
  /** The clients' own round-trip times: the median client's median, and the worst client's p99. */
  call: RoundTripStats;
  workerStartupMs: number[];
}

/** Each thread times its own calls and prints "median p99 first last" in ns (first/last: monotonic clock). */
const TIMED_CALLS = (iterations: number, call: string) => `"use strict";
const sel4 = require("sel4");
exports.main = function () {
  const samples = new Float64Array(${iterations});
  const first = process.hrtime.bigint();
  for (let i = 0; i < samples.length; i++) {
    const t0 = process.hrtime.bigint();
    ${call};
    samples[i] = Number(process.hrtime.bigint() - t0);
  }
  const last = process.hrtime.bigint();
  samples.sort();
  sel4.printf("%d %d %s %s\\n", samples[samples.length >> 1], samples[Math.floor(samples.length * 0.99)], String(first), String(last));
  return 0;
};`;

/** The reply object (slot 2) is an MCS argument; master's calls take one argument less. */
const SERVER = `"use strict";
const sel4 = require("sel4");
exports.main = function () {
  sel4.seL4_Recv(1, 2);
  for (;;) sel4.seL4_ReplyRecv(1, sel4.seL4_MessageInfo_new(0, 0, 0, 0), 2);
};`;

interface Timing {
  stats: RoundTripStats;
  first: bigint;
  last: bigint;
}

/** The thread files of a benchmark, in a temporary directory that `use` may read. */
async function withThreadFiles<T>(
  config: KernelConfig,
  iterations: number,
  use: (files: Record<"yielder" | "caller" | "server", string>) => Promise<T>,
): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "sel4tut-bench-"));
  try {
    const write = (name: string, text: string) => {
      const file = join(dir, name);
      writeFileSync(file, text);
      return file;
    };
    return await use({
      yielder: write("yielder.js", TIMED_CALLS(iterations, "sel4.seL4_Yield()")),
      caller: write("caller.js", TIMED_CALLS(iterations, "sel4.seL4_Call(1, sel4.seL4_MessageInfo_new(0, 0, 0, 0))")),
      server: write("server.js", config === "mcs" ? SERVER : SERVER.replace(/, 2\)/g, ")")),
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function benchMachine(opts: { iterations?: number; config?: KernelConfig } = {}): Promise<MachineBench> {
  const iterations = opts.iterations ?? 20_000;
  const config = opts.config ?? "master";
  return withThreadFiles(config, iterations, async (files) => {
    const solo = await timedRun(config, iterations, [{ name: "yielder", entry: files.yielder }], 1);
    const pair = await timedRun(
      config,
      iterations,
      [
        { name: "server", entry: files.server },
        { name: "caller", entry: files.caller },
      ],
      1,
    );
    return {
      yield: solo.timings[0]!.stats,
      call: pair.timings[0]!.stats,
      workerStartupMs: [...solo.startup, ...pair.startup],
    };
  });
}

/**
 * `threads` user threads as client/server pairs, each pair on its own endpoint, all at one
 * priority; every client makes `iterations` Calls (default: 20,000 calls in all).
 */
export async function benchThreads(
  threads: number,
  opts: { iterations?: number; config?: KernelConfig } = {},
): Promise<ThreadsBench> {
  const pairs = Math.max(1, threads >> 1);
  const iterations = opts.iterations ?? Math.max(200, Math.ceil(20_000 / pairs));
  const config = opts.config ?? "master";
  return withThreadFiles(config, iterations, async (files) => {
    const specs = Array.from({ length: pairs }, (_, i) => [
      { name: `server${i}`, entry: files.server, pair: i },
      { name: `client${i}`, entry: files.caller, pair: i },
    ]).flat();
    const run = await timedRun(config, iterations, specs, pairs);
    const byMedian = [...run.timings].sort((a, b) => a.stats.medianNs - b.stats.medianNs);
    const first = run.timings.reduce((m, t) => (t.first < m ? t.first : m), run.timings[0]!.first);
    const last = run.timings.reduce((m, t) => (t.last > m ? t.last : m), run.timings[0]!.last);
    return {
      threads: pairs * 2,
      calls: pairs * iterations,
      nsPerRoundTrip: Number(last - first) / (pairs * iterations),
      call: {
        medianNs: byMedian[byMedian.length >> 1]!.stats.medianNs,
        p99Ns: Math.max(...run.timings.map((t) => t.stats.p99Ns)),
        samples: pairs * iterations,
      },
      workerStartupMs: run.startup,
    };
  });
}

/** Runs the threads (pair k shares endpoint k and, on MCS, reply object k) and reads `timed` lines of timings. */
async function timedRun(
  config: KernelConfig,
  iterations: number,
  threads: { name: string; entry: string; pair?: number }[],
  timed: number,
): Promise<{ timings: Timing[]; startup: number[] }> {
  let output = "";
  const mcs = config === "mcs";
  const pairs = Math.max(1, ...threads.map((t) => (t.pair ?? 0) + 1));
  const kernel = new Kernel({
    config,
    memoryBytes: (16 << 20) + threads.length * (96 << 10),
    onOutput: (s) => (output += s),
  });
  const objects: Record<string, ObjectTypeName> = {};
  for (let k = 0; k < pairs; k++) {
    objects[`ep${k}`] = "Endpoint";
    if (mcs) objects[`reply${k}`] = "Reply";
  }
  const testbed: ThreadSpec[] = threads.map((t) => {
    const k = t.pair ?? 0;
    const caps: CapSpec[] = [{ slot: 1, object: `ep${k}` }, ...(mcs ? [{ slot: 2, object: `reply${k}` }] : [])];
    return { name: t.name, caps };
  });
  const tcbs = bootTestbed(kernel, objects, testbed);
  const result = await runSystem({
    kernel,
    threads: threads.map((t) => ({ tcb: tcbs.get(t.name)!, entry: t.entry })),
    simTimeLimitNs: 1e15,
    wallTimeLimitMs: 300_000,
  });
  const timings = [...output.matchAll(/^(\d+) (\d+) (\d+) (\d+)$/gm)].map((m) => ({
    stats: { medianNs: Number(m[1]), p99Ns: Number(m[2]), samples: iterations },
    first: BigInt(m[3]!),
    last: BigInt(m[4]!),
  }));
  if (timings.length !== timed) {
    throw new Error(
      `benchmark run ended with ${timings.length} of ${timed} timings (${result.outcome}): ${result.report}\n${output.slice(0, 2000)}`,
    );
  }
  return { timings, startup: result.workerStartupMs };
}
