#!/usr/bin/env node
// npm run bench: sel4tut against the physical floor. Prints a table (Markdown, as in
// docs/performance.md) and writes bench/results.json. `npm run bench` builds the product (dist/,
// which the spawned commands run) and this benchmark with the code it measures in process
// (bench/tsconfig.json, into dist-bench/), then runs it:
//
//   node dist-bench/bench/run.js [--runs N] [--quick] [--realtime]
//
// --realtime runs every measured process at the lowest real-time priority (chrt -r 1, Linux, as
// root): on a machine shared with other busy processes it measures what sel4tut takes when it
// gets the CPUs it asks for, as on an idle machine.
//
// Spawned commands are timed by wall clock, median of N runs (default 10), interleaved
// (floor, init, cold checks, warm checks, then again) so that a change in the machine's load
// touches every figure alike. In-process figures run in a child process each (a fresh JIT).
// The load average and each command's CPU time are recorded too: on a busy machine wall time
// stretches, CPU time much less.
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { KERNEL_CONFIGS, type KernelConfig } from "../src/abi/constants.js";
import type { IPCBenchOptions } from "./kernel.js";
import type { ScalingPoint } from "./scaling.js";
import { benchWatch } from "./watch.js";

/** The repository: the nearest directory above this file with a package.json (run from bench/ or dist-bench/bench/). */
function repositoryRoot(from: string): string {
  for (let dir = dirname(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
const ROOT = repositoryRoot(fileURLToPath(import.meta.url));
const BIN = join(ROOT, "bin", "sel4tut.js");
const DIST = join(ROOT, "dist");
const RESULTS = join(ROOT, "bench", "results.json");
const TUTORIAL = "fault-handlers";

const TARGETS = {
  warmCheckFloorRatio: 2.5,
  /** A check after an edit type-checks and emits: the cold check. */
  coldCheckFloorRatio: 6,
  kernelRoundTripsPerSecond: 1_000_000,
  syscallMedianUs: 5,
  peakRssMB: 150,
  watchMedianMs: 120,
  watchP90Ms: 200,
  /** All N threads started, ms. */
  threadsStartedMs: { 32: 500, 128: 2000 } as Record<number, number>,
};

// --- small statistics -------------------------------------------------------------------------

function quantile(values: readonly number[], q: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s.length === 0 ? NaN : s[Math.min(s.length - 1, Math.floor(q * s.length))]!;
}
const median = (values: readonly number[]): number => quantile(values, 0.5);
const round = (x: number, digits = 1): number => Math.round(x * 10 ** digits) / 10 ** digits;

// --- spawned commands -------------------------------------------------------------------------

/** CPU seconds (user + system) of this process's waited-for children, from /proc (Linux); null elsewhere. */
const clockTicks = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();
function childrenCpuSeconds(): number | null {
  try {
    const stat = readFileSync("/proc/self/stat", "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[13]) + Number(fields[14])) / clockTicks; // cutime, cstime
  } catch {
    return null;
  }
}

const CHILD_ENV = { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" };

/** Prepended to every measured command (--realtime). */
let PREFIX: string[] = [];

function realtimePrefix(): string[] {
  const [chrt, ...args] = ["chrt", "-r", "1"] as const;
  const r = spawnSync(chrt, [...args, "true"], { stdio: "ignore" });
  if (r.status === 0) return [chrt, ...args];
  console.warn("--realtime: chrt -r 1 is not available or not permitted here; measuring at normal priority");
  return [];
}

interface TimedOptions {
  /** Run `args` with this Node (default) or as a command line of their own. */
  node?: boolean;
  allowFail?: boolean;
  env?: NodeJS.ProcessEnv;
}

interface Timed {
  ms: number;
  cpuMs: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to completion; its wall ms, its CPU ms (null where unknown) and its output. */
function timed(
  args: string[],
  cwd: string,
  { node = true, allowFail = false, env = CHILD_ENV }: TimedOptions = {},
): Timed {
  const [cmd, ...rest] = [...PREFIX, ...(node ? [process.execPath, ...args] : args)] as [string, ...string[]];
  const cpu0 = childrenCpuSeconds();
  const t0 = process.hrtime.bigint();
  const r = spawnSync(cmd, rest, {
    cwd,
    env,
    encoding: "utf8",
    stdio: ["ignore", "pipe", "pipe"],
    maxBuffer: 64 << 20,
  });
  const ms = Number(process.hrtime.bigint() - t0) / 1e6;
  const cpu1 = childrenCpuSeconds();
  if (r.error) throw r.error;
  if (r.status !== 0 && !allowFail) {
    throw new Error(`${[cmd, ...rest].join(" ")} (in ${cwd}) exited ${r.status}:\n${r.stdout}\n${r.stderr}`);
  }
  return {
    ms,
    cpuMs: cpu0 === null || cpu1 === null ? null : (cpu1 - cpu0) * 1000,
    stdout: r.stdout,
    stderr: r.stderr,
  };
}

const sel4tut = (args: string[], cwd: string, opts?: TimedOptions): Timed => timed([BIN, ...args], cwd, opts);

interface Summary {
  runs: number;
  medianMs: number;
  minMs: number;
  maxMs: number;
  meanCpuMs: number | null;
  /** The median over the Node floor's (`node -e 0`). */
  floorRatio?: number;
}

class Series {
  readonly ms: number[] = [];
  readonly cpuMs: number[] = [];
  add(r: Timed): Timed {
    this.ms.push(r.ms);
    if (r.cpuMs !== null) this.cpuMs.push(r.cpuMs);
    return r;
  }
  summary(): Summary {
    const cpu = this.cpuMs.length > 0 ? this.cpuMs.reduce((a, b) => a + b, 0) / this.cpuMs.length : null;
    return {
      runs: this.ms.length,
      medianMs: round(median(this.ms)),
      minMs: round(Math.min(...this.ms)),
      maxMs: round(Math.max(...this.ms)),
      meanCpuMs: cpu === null ? null : round(cpu),
    };
  }
}

/** A solved fault-handlers exercise in `dir` (the build directory is DIR_build beside it). */
function initSolution(cwd: string, name: string): Timed {
  return sel4tut(["init", "--tut", TUTORIAL, "--solution", name], cwd);
}

/** A cold build without the typescript code cache (as the very first build on a machine). */
const NO_CODE_CACHE: TimedOptions = { env: { ...CHILD_ENV, SEL4TUT_CACHE_DIR: "" } };

const COMMANDS = ["floor", "init", "coldMaster", "coldMcs", "warmMaster", "warmMcs", "coldNoCodeCache"] as const;
type Commands = Record<(typeof COMMANDS)[number], Summary>;

function spawnedCommands(runs: number, work: string): Commands {
  const s = {
    floor: new Series(),
    init: new Series(),
    coldMaster: new Series(),
    coldMcs: new Series(),
    warmMaster: new Series(),
    warmMcs: new Series(),
    coldNoCodeCache: new Series(),
  };
  initSolution(work, "warm");
  const warm = join(work, "warm");
  sel4tut(["check"], warm); // builds master
  sel4tut(["check", "--mcs"], warm); // builds mcs
  for (let i = 0; i < runs; i++) {
    process.stdout.write(`  round ${i + 1}/${runs}\r`);
    s.floor.add(timed(["-e", "0"], work));
    s.init.add(initSolution(work, `cold${i}`));
    const cold = join(work, `cold${i}`);
    s.coldMaster.add(sel4tut(["check"], cold));
    s.coldMcs.add(sel4tut(["check", "--mcs"], cold));
    s.warmMaster.add(sel4tut(["check"], warm));
    s.warmMcs.add(sel4tut(["check", "--mcs"], warm));
    rmSync(`${cold}_build/master`, { recursive: true, force: true });
    s.coldNoCodeCache.add(sel4tut(["check"], cold, NO_CODE_CACHE));
    rmSync(cold, { recursive: true, force: true });
    rmSync(`${cold}_build`, { recursive: true, force: true });
  }
  const out = Object.fromEntries(COMMANDS.map((k) => [k, s[k].summary()])) as Commands;
  const floor = out.floor.medianMs;
  for (const k of ["coldMaster", "coldMcs", "warmMaster", "warmMcs", "coldNoCodeCache"] as const)
    out[k].floorRatio = round(out[k].medianMs / floor, 2);
  return out;
}

// --- what a check loads, and how much memory it takes ---------------------------------------

/**
 * The modules a command loads: ES modules through a module.register hook, and (at exit) every
 * file in require's cache, which is where CommonJS modules such as `typescript` end up.
 */
function loadedModules(args: string[], cwd: string, work: string): string[] {
  const log = join(work, `modules-${Math.random().toString(36).slice(2)}.log`);
  const hooks = join(work, "log-hooks.mjs");
  writeFileSync(
    hooks,
    `import { appendFileSync } from "node:fs";
export async function load(url, context, next) {
  appendFileSync(${JSON.stringify(log)}, url + "\\n");
  return next(url, context);
}
`,
  );
  const register = join(work, "log-register.mjs");
  writeFileSync(
    register,
    `import { register } from "node:module";
import { appendFileSync } from "node:fs";
import { createRequire } from "node:module";
register(${JSON.stringify(pathToFileURL(hooks).href)});
process.on("exit", () => {
  const cache = createRequire(import.meta.url)("node:module")._cache;
  appendFileSync(${JSON.stringify(log)}, Object.keys(cache).map((f) => "file://" + f + "\\n").join(""));
});
`,
  );
  timed(["--import", pathToFileURL(register).href, BIN, ...args], cwd);
  const urls = existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
  rmSync(log, { force: true });
  return [...new Set(urls)];
}

function typescriptLoads(work: string) {
  const isTs = (u: string): boolean => /\/node_modules\/typescript\//.test(u);
  initSolution(work, "ts-probe");
  const dir = join(work, "ts-probe");
  const cold = loadedModules(["check"], dir, work);
  const warm = loadedModules(["check"], dir, work);
  rmSync(dir, { recursive: true, force: true });
  rmSync(`${dir}_build`, { recursive: true, force: true });
  // A cold build must be seen loading it, or the probe would prove nothing about the warm one.
  if (!cold.some(isTs)) throw new Error("the module probe did not see a cold check load typescript");
  return {
    coldLoadsTypescript: true,
    warmLoadsTypescript: warm.some(isTs),
    warmModules: warm.filter((u) => u.startsWith("file:")).length,
  };
}

/** Peak resident set of a command: GNU time's maximum RSS, or the process's own maxRSS. */
function peakRssMB(args: string[], cwd: string): { mb: number; how: string } {
  if (existsSync("/usr/bin/time")) {
    const r = timed(["/usr/bin/time", "-v", process.execPath, BIN, ...args], cwd, { node: false });
    const m = /Maximum resident set size \(kbytes\): (\d+)/.exec(r.stderr);
    if (m) return { mb: round(Number(m[1]) / 1024), how: "/usr/bin/time -v" };
  }
  const main = pathToFileURL(join(DIST, "cli", "main.js")).href;
  const code = `process.on("exit", () => process.stderr.write("MAXRSS " + process.resourceUsage().maxRSS + "\\n"));
const m = await import(${JSON.stringify(main)}); await m.main(["node", "sel4tut", ...${JSON.stringify(args)}]);`;
  const r = timed(["--input-type=module", "-e", code], cwd);
  return { mb: round(Number(/MAXRSS (\d+)/.exec(r.stderr)![1]) / 1024), how: "process.resourceUsage().maxRSS" };
}

function memory(work: string) {
  initSolution(work, "rss");
  const dir = join(work, "rss");
  const coldMaster = peakRssMB(["check"], dir);
  const warmMaster = peakRssMB(["check"], dir);
  const coldMcs = peakRssMB(["check", "--mcs"], dir);
  const warmMcs = peakRssMB(["check", "--mcs"], dir);
  return {
    coldMaster,
    warmMaster,
    coldMcs,
    warmMcs,
    peakMB: Math.max(coldMaster.mb, warmMaster.mb, coldMcs.mb, warmMcs.mb),
  };
}

// --- watch: save -> verdict -------------------------------------------------------------------

const WATCH_EDITS = 10;

async function watchSaves(work: string, quick: boolean) {
  const out: Partial<
    Record<KernelConfig, { medianMs: number; p90Ms: number; minMs: number; maxMs: number; edits: number }>
  > = {};
  for (const config of KERNEL_CONFIGS) {
    const name = `watch-${config}`;
    initSolution(work, name);
    const r = await benchWatch({
      command: [...PREFIX, process.execPath, BIN],
      exerciseDir: join(work, name),
      config,
      edits: quick ? 4 : WATCH_EDITS,
      pauseMs: 500,
      env: CHILD_ENV,
      file: "faulter.ts",
    });
    if (!r.allPassed) throw new Error(`watch (${config}): a run after an edit did not pass`);
    out[config] = {
      medianMs: round(median(r.ms)),
      p90Ms: round(quantile(r.ms, 0.9)),
      minMs: round(Math.min(...r.ms)),
      maxMs: round(Math.max(...r.ms)),
      edits: r.ms.length,
    };
  }
  return out as Record<KernelConfig, NonNullable<(typeof out)[KernelConfig]>>;
}

// --- in-process sections (each in a child: run.js --child NAME) ------------------

/**
 * Workers start together, so each one's spawn-to-ready time grows with their number; the last
 * one ready over the number of workers is what one more thread costs.
 */
function startup(ms: number[]) {
  const all = Math.max(...ms);
  return { median: round(median(ms)), allReady: round(all), perThread: round(all / ms.length) };
}

/** Warm up, then the better of two timings of 10^6 Call + ReplyRecv round trips. */
async function kernelIPC(config: KernelConfig, opts: IPCBenchOptions) {
  const { benchIPC } = await import("./kernel.js");
  benchIPC(config, { ...opts, roundTrips: 100_000 }); // warm up the JIT
  const trials = [0, 1].map(() => benchIPC(config, opts));
  const best = trials.reduce((a, b) => (b.roundTripsPerSecond > a.roundTripsPerSecond ? b : a));
  return {
    roundTrips: best.roundTrips,
    fastpathEntries: best.fastpathEntries,
    roundTripsPerSecond: Math.round(best.roundTripsPerSecond),
    roundTripsPerCpuSecond: Math.round(best.roundTripsPerCpuSecond),
  };
}

const CHILDREN = {
  // The RPC as seL4 systems are built for it: the fastpath on, and on MCS a passive server.
  kernel: (_quick: boolean, config: KernelConfig) => kernelIPC(config, { server: "passive", fastpath: true }),
  // The general path alone: CONFIG_FASTPATH off, and on MCS a server with an SC of its own.
  kernelSlowpath: (_quick: boolean, config: KernelConfig) => kernelIPC(config, { server: "active", fastpath: false }),
  async threads(_quick: boolean, config: KernelConfig) {
    const { benchMachine } = await import("./machine.js");
    const r = await benchMachine({ config, iterations: 20_000 });
    return {
      yield: { medianUs: round(r.yield.medianNs / 1000, 2), p99Us: round(r.yield.p99Ns / 1000, 2) },
      call: { medianUs: round(r.call.medianNs / 1000, 2), p99Us: round(r.call.p99Ns / 1000, 2) },
      workerStartupMs: startup(r.workerStartupMs),
    };
  },
  async threadScaling(quick: boolean) {
    const { benchThreads } = await import("./machine.js");
    const out = [];
    for (const n of quick ? [2, 8] : [2, 8, 32, 128]) {
      const r = await benchThreads(n, { config: "master" });
      out.push({
        threads: r.threads,
        calls: r.calls,
        usPerRoundTrip: round(r.nsPerRoundTrip / 1000, 2),
        callMedianUs: round(r.call.medianNs / 1000, 2),
        callP99Us: round(r.call.p99Ns / 1000, 2),
        workerStartupMs: startup(r.workerStartupMs),
      });
    }
    return out;
  },
  async kernelScaling(quick: boolean, config: KernelConfig) {
    const { benchCSpaceScaling, benchEndpointQueue } = await import("./scaling.js");
    const us = (p: ScalingPoint) => ({
      n: p.n,
      ops: p.ops,
      usPerOp: round(p.nsPerOp / 1000, 2),
      cpuUsPerOp: round(p.cpuNsPerOp / 1000, 2),
    });
    benchCSpaceScaling(config, [100]); // warm up the JIT
    benchEndpointQueue(config, 10, 20_000);
    return {
      cspace: benchCSpaceScaling(config, quick ? [1e3, 1e4] : [1e3, 1e4, 1e5]).map(us),
      endpointQueue: (quick ? [1, 100] : [1, 10, 100, 1000, 10_000]).map((n) =>
        us(benchEndpointQueue(config, n, 50_000)),
      ),
    };
  },
};

type Children = typeof CHILDREN;
type ChildName = keyof Children;
/** What a child section prints (as JSON): its function's result. */
type ChildResult<N extends ChildName> = Awaited<ReturnType<Children[N]>>;

function runChild<N extends ChildName>(name: N, quick: boolean, config?: KernelConfig): ChildResult<N> {
  const args = [
    fileURLToPath(import.meta.url),
    "--child",
    name,
    ...(quick ? ["--quick"] : []),
    ...(config ? ["--config", config] : []),
  ];
  const r = timed(args, ROOT);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as ChildResult<N>;
}

/**
 * The kernel round trips vary from process to process far more than within one (the JIT does
 * not optimise the same way every time): the median over `processes` processes, and the range.
 */
interface RoundTrips {
  processes: number;
  roundTrips: number;
  fastpathEntries: number;
  roundTripsPerSecond: number;
  roundTripsPerCpuSecond: number;
  range: [number, number];
}

function kernelRoundTrips(
  processes: number,
  child: "kernel" | "kernelSlowpath" = "kernel",
): Record<KernelConfig, RoundTrips> {
  const out: Partial<Record<KernelConfig, RoundTrips>> = {};
  for (const config of KERNEL_CONFIGS) {
    const runs = Array.from({ length: processes }, () => runChild(child, false, config));
    const rate = (k: "roundTripsPerSecond" | "roundTripsPerCpuSecond"): number[] => runs.map((r) => r[k]);
    out[config] = {
      processes,
      roundTrips: runs[0]!.roundTrips,
      fastpathEntries: runs[0]!.fastpathEntries,
      roundTripsPerSecond: median(rate("roundTripsPerSecond")),
      roundTripsPerCpuSecond: median(rate("roundTripsPerCpuSecond")),
      range: [Math.min(...rate("roundTripsPerSecond")), Math.max(...rate("roundTripsPerSecond"))],
    };
  }
  return out as Record<KernelConfig, RoundTrips>;
}

/** A section for each configuration, each in its own process (the JIT specialises code for one). */
function perConfig<N extends "threads" | "kernelScaling">(
  name: N,
  quick: boolean,
): Record<KernelConfig, ChildResult<N>> {
  return { master: runChild(name, quick, "master"), mcs: runChild(name, quick, "mcs") };
}

// --- the table -------------------------------------------------------------------------------

const mark = (ok: boolean): string => (ok ? "met" : "**missed**");
const ms = (x: number): string => `${Math.round(x)} ms`;

interface Results {
  date: string;
  machine: { node: string; cpus: number; cpuModel: string; memoryGB: number };
  commit: string | null;
  runs: number;
  realtime: boolean;
  commands: Commands;
  watch: Awaited<ReturnType<typeof watchSaves>>;
  typescript: ReturnType<typeof typescriptLoads>;
  memory: ReturnType<typeof memory>;
  kernel: Record<KernelConfig, RoundTrips>;
  kernelSlowpath: Record<KernelConfig, RoundTrips>;
  threads: Record<KernelConfig, ChildResult<"threads">>;
  threadScaling: ChildResult<"threadScaling">;
  kernelScaling: Record<KernelConfig, ChildResult<"kernelScaling">>;
  loadAverage: { before: number[]; after: number[] };
  table: string;
}

function table(r: Results): string {
  const c = r.commands;
  const rows = [["figure", "master", "MCS", "target"]];
  const cpu = (s: Summary): string => (s.meanCpuMs === null ? "" : ` (CPU ${ms(s.meanCpuMs)})`);
  rows.push(["Node floor: `node -e 0`", `${ms(c.floor.medianMs)}${cpu(c.floor)}`, "", ""]);
  const warmOk = Math.max(c.warmMaster.floorRatio!, c.warmMcs.floorRatio!) <= TARGETS.warmCheckFloorRatio;
  rows.push([
    "`check`, warm (built, no change)",
    `${ms(c.warmMaster.medianMs)} = ${c.warmMaster.floorRatio}× floor${cpu(c.warmMaster)}`,
    `${ms(c.warmMcs.medianMs)} = ${c.warmMcs.floorRatio}× floor${cpu(c.warmMcs)}`,
    `≤ ${TARGETS.warmCheckFloorRatio}× floor: ${mark(warmOk)}`,
  ]);
  const coldOk = Math.max(c.coldMaster.floorRatio!, c.coldMcs.floorRatio!) <= TARGETS.coldCheckFloorRatio;
  rows.push([
    "`check`, cold = after an edit (fresh build directory, type-checks)",
    `${ms(c.coldMaster.medianMs)} = ${c.coldMaster.floorRatio}× floor${cpu(c.coldMaster)}`,
    `${ms(c.coldMcs.medianMs)} = ${c.coldMcs.floorRatio}× floor${cpu(c.coldMcs)}`,
    `≤ ${TARGETS.coldCheckFloorRatio}× floor: ${mark(coldOk)}`,
  ]);
  rows.push([
    "`check`, cold, without the typescript code cache",
    `${ms(c.coldNoCodeCache.medianMs)} = ${c.coldNoCodeCache.floorRatio}× floor${cpu(c.coldNoCodeCache)}`,
    "",
    "",
  ]);
  rows.push(["`init --solution`", `${ms(c.init.medianMs)}${cpu(c.init)}`, "", ""]);
  const w = r.watch;
  const saves = (x: Results["watch"][KernelConfig]): string =>
    `median ${ms(x.medianMs)}, p90 ${ms(x.p90Ms)} (${x.edits} edits: ${ms(x.minMs)}–${ms(x.maxMs)})`;
  const watchOk =
    Math.max(w.master.medianMs, w.mcs.medianMs) <= TARGETS.watchMedianMs &&
    Math.max(w.master.p90Ms, w.mcs.p90Ms) <= TARGETS.watchP90Ms;
  rows.push([
    "`watch`: one-line edit saved → verdict printed",
    saves(w.master),
    saves(w.mcs),
    `median ≤ ${TARGETS.watchMedianMs} ms, p90 ≤ ${TARGETS.watchP90Ms} ms: ${mark(watchOk)}`,
  ]);
  rows.push([
    "warm `check` loads `typescript`",
    r.typescript.warmLoadsTypescript ? "**yes**" : "no",
    "",
    `no: ${mark(!r.typescript.warmLoadsTypescript)}`,
  ]);
  const m = r.memory;
  rows.push([
    "peak RSS of `check` (cold / warm)",
    `${m.coldMaster.mb} / ${m.warmMaster.mb} MB`,
    `${m.coldMcs.mb} / ${m.warmMcs.mb} MB`,
    `≤ ${TARGETS.peakRssMB} MB: ${mark(m.peakMB <= TARGETS.peakRssMB)}`,
  ]);
  const k = r.kernel;
  const k1 = (n: number): string => `${Math.round(n / 1000)}k`;
  const rt = (x: RoundTrips): string =>
    `${k1(x.roundTripsPerSecond)}/s (${k1(x.roundTripsPerCpuSecond)} per CPU-s; ${x.processes} processes: ${k1(x.range[0])}–${k1(x.range[1])})`;
  const kOk = Math.min(k.master.roundTripsPerSecond, k.mcs.roundTripsPerSecond) >= TARGETS.kernelRoundTripsPerSecond;
  rows.push([
    "kernel in-process: Call + ReplyRecv round trips (fastpath; MCS: passive server)",
    rt(k.master),
    rt(k.mcs),
    `≥ 1,000k/s: ${mark(kOk)}`,
  ]);
  const ksl = r.kernelSlowpath;
  rows.push([
    "kernel in-process, slowpath only (no fastpath; MCS: server with its own SC)",
    rt(ksl.master),
    rt(ksl.mcs),
    "",
  ]);
  const t = r.threads;
  const us = (x: { medianUs: number; p99Us: number }): string => `${x.medianUs} µs (p99 ${x.p99Us} µs)`;
  rows.push([
    "user thread: seL4_Yield round trip, median",
    us(t.master.yield),
    us(t.mcs.yield),
    `≤ ${TARGETS.syscallMedianUs} µs: ${mark(Math.max(t.master.yield.medianUs, t.mcs.yield.medianUs) <= TARGETS.syscallMedianUs)}`,
  ]);
  rows.push(["user threads: seL4_Call/ReplyRecv between two workers", us(t.master.call), us(t.mcs.call), ""]);
  rows.push([
    "worker start-up per thread (1 or 2 starting at once), median",
    ms(t.master.workerStartupMs.median),
    ms(t.mcs.workerStartupMs.median),
    "",
  ]);
  for (const s of r.threadScaling) {
    const target = TARGETS.threadsStartedMs[s.threads];
    rows.push([
      `${s.threads} user threads (${s.threads / 2} client/server pair${s.threads === 2 ? "" : "s"}): per round trip`,
      `${s.usPerRoundTrip} µs (median call ${s.callMedianUs} µs); all started in ${ms(s.workerStartupMs.allReady)} = ${ms(s.workerStartupMs.perThread)}/thread`,
      "",
      target === undefined ? "" : `started in ≤ ${ms(target)}: ${mark(s.workerStartupMs.allReady <= target)}`,
    ]);
  }
  const ks = r.kernelScaling;
  const per = (p: { usPerOp: number; cpuUsPerOp: number }): string => `${p.usPerOp} µs (CPU ${p.cpuUsPerOp})`;
  ks.master.cspace.forEach((p, i) =>
    rows.push([
      `kernel: ${p.n.toLocaleString("en")} caps in a CSpace, per Copy/Delete/NBSend`,
      per(p),
      per(ks.mcs.cspace[i]!),
      "",
    ]),
  );
  ks.master.endpointQueue.forEach((p, i) =>
    rows.push([
      `kernel: ${p.n.toLocaleString("en")} thread${p.n === 1 ? "" : "s"} queued on one endpoint, per kernel entry`,
      per(p),
      per(ks.mcs.endpointQueue[i]!),
      "",
    ]),
  );
  const widths = rows[0]!.map((_, j) => Math.max(...rows.map((row) => row[j]!.length)));
  const line = (row: string[]): string => `| ${row.map((cell, j) => cell.padEnd(widths[j]!)).join(" | ")} |`;
  return [line(rows[0]!), `|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`, ...rows.slice(1).map(line)].join("\n");
}

// --- main --------------------------------------------------------------------------------------

async function main(argv: string[]): Promise<void> {
  const at = argv.indexOf("--child");
  const quick = argv.includes("--quick");
  if (argv.includes("--realtime")) PREFIX = at >= 0 ? [] : realtimePrefix(); // a child inherits its priority
  if (at >= 0) {
    const configAt = argv.indexOf("--config");
    const name = argv[at + 1] as ChildName;
    const config = (configAt >= 0 ? argv[configAt + 1] : "master") as KernelConfig;
    const out = await CHILDREN[name](quick, config);
    process.stdout.write(`${JSON.stringify(out)}\n`);
    return;
  }
  const runsAt = argv.indexOf("--runs");
  const runs = runsAt >= 0 ? Number(argv[runsAt + 1]) : quick ? 3 : 10;
  if (!existsSync(join(DIST, "cli", "main.js")))
    throw new Error("dist/ is missing: run npm run bench (it builds first)");
  const work = mkdtempSync(join(tmpdir(), "sel4tut-bench-"));
  mkdirSync(work, { recursive: true });
  const started = new Date();
  const loadBefore = loadavg();
  const partial: Partial<Results> = {
    date: started.toISOString(),
    machine: {
      node: process.version,
      cpus: availableParallelism(),
      cpuModel: cpus()[0]?.model ?? "",
      memoryGB: round(totalmem() / 2 ** 30),
    },
    commit: (() => {
      try {
        return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
      } catch {
        return null;
      }
    })(),
    runs,
    realtime: PREFIX.length > 0,
  };
  const results = partial as Results;
  try {
    const step = (what: string): void => console.log(`${what}...`);
    step(`floor, init and check (${runs} rounds)`);
    results.commands = spawnedCommands(runs, work);
    step("watch: save to verdict");
    results.watch = await watchSaves(work, quick);
    step("what a warm check loads");
    results.typescript = typescriptLoads(work);
    step("peak memory");
    results.memory = memory(work);
    step("kernel in-process round trips");
    results.kernel = kernelRoundTrips(quick ? 2 : 5);
    results.kernelSlowpath = kernelRoundTrips(quick ? 2 : 3, "kernelSlowpath");
    step("user threads");
    results.threads = perConfig("threads", quick);
    step("scaling: user threads");
    results.threadScaling = runChild("threadScaling", quick);
    step("scaling: caps and queued threads");
    results.kernelScaling = perConfig("kernelScaling", quick);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  results.loadAverage = { before: loadBefore.map((x) => round(x, 2)), after: loadavg().map((x) => round(x, 2)) };
  results.table = table(results);
  writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\n${results.table}\n`);
  console.log(
    `${results.machine.cpus} CPUs (${results.machine.cpuModel}), Node ${results.machine.node}${results.realtime ? ", real-time priority" : ""}; load average before ${results.loadAverage.before.join(" ")}, after ${results.loadAverage.after.join(" ")}`,
  );
  console.log(`Written to ${RESULTS}`);
}

main(process.argv.slice(2)).catch((err: unknown) => {
  console.error(err instanceof Error && err.stack ? err.stack : String(err));
  process.exit(1);
});
