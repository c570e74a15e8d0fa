// build -> boot -> run: what `run`, `check` and `demo` share. The spec is resolved for the
// configuration, the learner code is built (if out of date), a fresh kernel is booted from
// the spec and the machine runs every thread until the system settles.
import { buildExercise, emittedFile, type BuildResult } from "../compile/index.js";
import { sel4TypingsFile } from "../compile/typings.js";
import { bootSystem } from "../loader/boot.js";
import { generateCSpaceModules } from "../loader/cspace-module.js";
import type { SystemPlan } from "../loader/plan.js";
import { physicalMemoryFor } from "../loader/root-task.js";
import { loadSystemSpec } from "../loader/spec.js";
import type { KernelConfig } from "../abi/constants.js";
import type { TutorialDef } from "../tutorial/schema.js";
import { describeSourceProblem, sourceProblem } from "../tutorial/exercise.js";
import { CommandFailed, InternalError, Interrupted } from "./errors.js";
import type { FaultType } from "../abi/constants.js";
import type { RunSummary } from "../check/explain.js";
import type { TraceRecord } from "../machine/trace-lines.js";
import { slotNamer } from "./trace-names.js";

export type { TraceRecord };

/** A fault the kernel sent to a thread's handler and that was still unanswered when the run ended. */
interface PendingFault {
  thread: string;
  fault: FaultType;
}

/** A run's summary with what the kernel's state said at the end (pendingFaults: see runBuilt). */
export interface RunEnd extends RunSummary {
  pendingFaults?: readonly PendingFault[];
}

export interface Target {
  exerciseDir: string;
  buildDir: string;
  tut: TutorialDef;
  config: KernelConfig;
  /** The learner's current task (named in advice about missing files). */
  task?: string;
}

export interface Prepared {
  plan: SystemPlan;
  build: BuildResult;
}

/** Notes for build errors about caps that only the other configuration's spec has. */
function capNotes(tut: TutorialDef, plan: SystemPlan): Map<string, string> {
  const notes = new Map<string, string>();
  const other: KernelConfig = plan.config === "mcs" ? "master" : "mcs";
  if (!tut.configs.includes(other)) return notes;
  const mine = new Set(plan.threads.flatMap((t) => t.caps.map((c) => c.symbol)));
  for (const t of loadSystemSpec(tut.systemFile, other).threads) {
    for (const c of t.caps) {
      if (c.symbol && !mine.has(c.symbol)) {
        notes.set(
          c.symbol,
          `${c.symbol} is a cap that thread ${t.name} has only on the ${other} configuration; use it inside if (CONFIG_KERNEL_MCS) { ... } else { ... } so that the ${plan.config} build never sees it.`,
        );
      }
    }
  }
  return notes;
}

/** Thread sources the system runs must be there: a stale build of a deleted file must not run. */
function requireSources(target: Target, plan: SystemPlan): void {
  for (const t of plan.threads) {
    const problem = sourceProblem(target.exerciseDir, t.source);
    if (problem && problem !== "missing") {
      throw new CommandFailed(`${describeSourceProblem(t.source, problem, t.name)} Nothing was built or run.`);
    }
  }
  const missing = plan.threads.filter((t) => sourceProblem(target.exerciseDir, t.source) === "missing");
  if (missing.length === 0) return;
  const files = missing.map((t) => `${t.source} (thread ${t.name})`).join(", ");
  throw new CommandFailed(
    `${missing.length === 1 ? "a file this tutorial runs is" : "files this tutorial runs are"} missing from ${target.exerciseDir}: ${files}.\n` +
      `If you deleted or renamed it by mistake, bring it back (your editor's undo, or git). To get the task's start code again:\n` +
      `  sel4tut reset ${missing.map((t) => t.source).join(" ")}   (it keeps a copy of any file it replaces)\n` +
      `or, to compare side by side, in a new directory:\n` +
      `  sel4tut init --tut ${target.tut.name} --task ${target.task ?? target.tut.tasks[0]!.name} DIR`,
  );
}

export async function prepare(target: Target): Promise<Prepared> {
  const plan = loadSystemSpec(target.tut.systemFile, target.config);
  requireSources(target, plan);
  // The run's workers start now, on the other cores, while this thread builds (a build that
  // type-checks takes a few hundred milliseconds) and loads and boots the kernel. After a build
  // error they end with the process (or, in watch, serve the next run).
  await startWorkersFor(plan);
  const build = await buildExercise({
    exerciseDir: target.exerciseDir,
    buildDir: target.buildDir,
    config: target.config,
    generated: generateCSpaceModules(plan),
    typingsFile: sel4TypingsFile(target.config),
    extraNotes: capNotes(target.tut, plan),
  });
  return { plan, build };
}

async function startWorkersFor(plan: SystemPlan): Promise<void> {
  const { prestartWorkers } = await import("../machine/pool.js");
  prestartWorkers(plan.threads.length);
}

/**
 * Gets everything the next check of `target` needs ready before it is asked for (`watch`, between
 * saves): the kernel and the machine loaded, the compiler loaded, and the run's workers started.
 */
export async function warmUp(target: Target): Promise<void> {
  const plan = loadSystemSpec(target.tut.systemFile, target.config);
  await Promise.all([import("../kernel/index.js"), import("../machine/run.js"), startWorkersFor(plan)]);
  const { loadTypeScript } = await import("../compile/load-typescript.js");
  loadTypeScript();
}

/** Ends the workers warmUp started (watch, when it stops). */
export async function coolDown(): Promise<void> {
  const { endSpareWorkers } = await import("../machine/pool.js");
  await endSpareWorkers();
}

export interface RunRequest {
  plan: SystemPlan;
  outDir: string;
  config: KernelConfig;
  simTimeLimitMs: number;
  /** Source paths in reports are shown relative to this (the exercise directory). */
  displayRoot: string;
  onOutput: (text: string) => void;
  /** Stops the run (Ctrl-C, or watch quitting): runBuilt then throws Interrupted. */
  signal?: AbortSignal;
  /** Receives every kernel event, with source lines, as it happens (`--trace`); without it only the run-end facts are kept. */
  trace?: (e: TraceRecord) => void;
}

/**
 * The wall-clock safety net of a run with a simulated-time budget of `simTimeLimitMs`: a minute,
 * plus a second of real time for each simulated millisecond. The simulated budget must end every
 * runaway run, the same way on every run; the net is only for a machine that has stopped. The
 * costliest simulated time is a loop of traps (system calls, or memory accesses the MMU model
 * checks): 20-80 µs of real time per simulated µs measured under load, so 1 ms per simulated ms
 * leaves a margin of more than 10. The budget's cap (MAX_SIM_TIME_LIMIT_MS) bounds the net.
 */
export function wallClockNetMs(simTimeLimitMs: number): number {
  return WALL_NET_FLOOR_MS + simTimeLimitMs * REAL_MS_PER_SIMULATED_MS;
}
const WALL_NET_FLOOR_MS = 60_000;
const REAL_MS_PER_SIMULATED_MS = 1_000;

/**
 * Ceilings that protect the computer (a grading machine, say) from a program that allocates or
 * creates threads in a loop: far above what a tutorial's solution uses (two or three threads,
 * under 100 MiB). SEL4TUT_MAX_RSS_MB lowers or raises the memory one for a machine that needs it;
 * SEL4TUT_TURN_WATCHDOG_S the real time a thread may spend without reaching a preemption point
 * (a grader that wants a stuck submission ended sooner).
 */
const MAX_THREADS = 64;
const DEFAULT_MAX_RSS_MB = 1536;

/** A positive whole number from the environment, or `fallback`. */
function fromEnvironment(name: string, fallback: number): number {
  const n = Number(process.env[name]);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

const maxRssBytes = (): number => fromEnvironment("SEL4TUT_MAX_RSS_MB", DEFAULT_MAX_RSS_MB) * (1 << 20);
/** The machine's own watchdog (15 s) unless the environment sets one. */
const turnWatchdog = (): { turnWatchdogMs?: number } => {
  const seconds = fromEnvironment("SEL4TUT_TURN_WATCHDOG_S", 0);
  return seconds > 0 ? { turnWatchdogMs: seconds * 1000 } : {};
};

/**
 * Output kept from one run (characters). A program that prints in a loop is stopped here; the
 * cut is exact, so the output shown is the same on every run.
 */
const OUTPUT_LIMIT_CHARS = 1 << 20;

export async function runBuilt(req: RunRequest): Promise<RunEnd> {
  // Loaded here, not at the top: init, list and hint never need the kernel or the machine.
  const [{ Kernel }, { runSystem }, { withSourceLines }] = await Promise.all([
    import("../kernel/index.js"),
    import("../machine/run.js"),
    import("../machine/trace-lines.js"),
  ]);
  const stop = new AbortController();
  let kept = 0;
  let overflowed = false;
  const onOutput = (text: string) => {
    if (overflowed) return;
    if (kept + text.length > OUTPUT_LIMIT_CHARS) {
      req.onOutput(text.slice(0, OUTPUT_LIMIT_CHARS - kept));
      overflowed = true;
      stop.abort();
      return;
    }
    kept += text.length;
    req.onOutput(text);
  };
  const memoryBytes = physicalMemoryFor(req.plan);
  // The run's ending is judged from the kernel's events (its faults, threads that stopped
  // themselves), never from its printed text; `--trace` asks for all of them.
  const facts: TraceRecord[] = [];
  const keepFacts = (e: TraceRecord) => {
    if (e.kind === "fault" || e.kind === "exit") facts.push(e);
  };
  const trace = req.trace;
  const named = slotNamer(req.plan);
  const sink = withSourceLines(
    req.plan.threads.map((t) => emittedFile(req.outDir, t.source)),
    trace
      ? (e) => {
          keepFacts(e);
          trace(named(e));
        }
      : keepFacts,
    trace !== undefined,
  );
  const kernel = new Kernel({ config: req.config, onOutput, trace: sink, ...(memoryBytes ? { memoryBytes } : {}) });
  const booted = bootSystem(kernel.boot, req.plan);
  const threads = booted.map((b) => {
    const entry = emittedFile(req.outDir, b.plan.source);
    return {
      tcb: b.tcb,
      entry,
      sourceMapFile: `${entry}.map`,
      ...(b.bootInfo !== undefined ? { bootInfo: b.bootInfo } : {}),
    };
  });
  const result = await runSystem({
    kernel,
    threads,
    simTimeLimitNs: req.simTimeLimitMs * 1e6,
    wallTimeLimitMs: wallClockNetMs(req.simTimeLimitMs),
    displayRoot: req.displayRoot,
    signal: req.signal ? AbortSignal.any([stop.signal, req.signal]) : stop.signal,
    maxThreads: MAX_THREADS,
    maxRssBytes: maxRssBytes(),
    ...turnWatchdog(),
  });
  if (req.signal?.aborted) throw new Interrupted();
  if (overflowed) {
    // Neither the time nor the threads' states are shown: they depend on when the stop landed.
    const limit = `${OUTPUT_LIMIT_CHARS / (1 << 20)} MiB`;
    return {
      outcome: "output-limit",
      report: `output limit of ${limit} reached: the rest of the run was not kept`,
      virtualTimeNs: 0,
      events: [],
    };
  }
  if (result.outcome === "internal-error") {
    // A worker that hit its heap limit ran the learner's code out of memory: that is their program's doing.
    if (result.outOfMemory === null) throw new InternalError(result.report);
    return {
      outcome: "out-of-memory",
      report: `thread "${result.outOfMemory}" ran out of memory`,
      virtualTimeNs: result.virtualTimeNs,
      events: facts,
    };
  }
  // Faults the kernel sent to a handler that never answered (the TCB keeps the fault until the
  // reply): what `run` and `check` point the learner to, from the kernel's state, not its text.
  const pendingFaults = kernel.threads().flatMap((t) => (t.fault ? [{ thread: t.name, fault: t.fault.type }] : []));
  return {
    outcome: result.outcome,
    report: result.report,
    virtualTimeNs: result.virtualTimeNs,
    pendingFaults,
    events: facts,
  };
}

/** Worker threads still alive (after a run ended there must be none: watch checks after every run). */
export async function workersLeft(): Promise<number> {
  const { liveWorkers } = await import("../machine/host.js");
  return liveWorkers();
}
