// build -> boot -> run: what `run`, `check` and `demo` share. The spec is resolved for the
// configuration, the learner code is built (if out of date), a fresh kernel is booted from
// the spec and the machine runs every thread until the system settles.
import { buildExercise, emittedFile, type BuildResult } from "../../build/index.js";
import { sel4TypingsFile } from "../../build/typings.js";
import type { RunSummary } from "../../check/explain.js";
import { bootSystem } from "../../loader/boot.js";
import { generateCSpaceModules } from "../../loader/cspace-module.js";
import type { SystemPlan } from "../../loader/plan.js";
import { loadSystemSpec } from "../../loader/spec.js";
import type { KernelConfig, TutorialDef } from "../../tutorial/format.js";

export interface Target {
  exerciseDir: string;
  buildDir: string;
  tut: TutorialDef;
  config: KernelConfig;
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
        notes.set(c.symbol, `${c.symbol} is a cap that thread ${t.name} has only on the ${other} configuration; use it inside if (CONFIG_KERNEL_MCS) { ... } else { ... } so that the ${plan.config} build never sees it.`);
      }
    }
  }
  return notes;
}

export async function prepare(target: Target): Promise<Prepared> {
  const plan = loadSystemSpec(target.tut.systemFile, target.config);
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

export interface RunRequest {
  plan: SystemPlan;
  outDir: string;
  config: KernelConfig;
  simTimeLimitMs: number;
  /** Source paths in reports are shown relative to this (the exercise directory). */
  displayRoot: string;
  onOutput: (text: string) => void;
}

/** Wall-clock safety net; the simulated-time budget is what normally ends a run. */
const WALL_TIME_LIMIT_MS = 60_000;

export async function runBuilt(req: RunRequest): Promise<RunSummary> {
  // Loaded here, not at the top: init, list and hint never need the kernel or the machine.
  const [{ Kernel }, { runSystem }] = await Promise.all([import("../../kernel/index.js"), import("../../machine/run.js")]);
  const kernel = new Kernel({ config: req.config, onOutput: req.onOutput });
  const booted = bootSystem(kernel.boot, req.plan);
  const threads = booted.map((b) => {
    const entry = emittedFile(req.outDir, b.plan.source);
    return { tcb: b.tcb, entry, sourceMapFile: `${entry}.map` };
  });
  // Ctrl-C ends the run cleanly (the machine stops its workers) instead of killing the process.
  const interrupt = new AbortController();
  const onSigint = () => interrupt.abort();
  process.once("SIGINT", onSigint);
  const result = await runSystem({
    kernel,
    threads,
    simTimeLimitNs: req.simTimeLimitMs * 1e6,
    wallTimeLimitMs: WALL_TIME_LIMIT_MS,
    displayRoot: req.displayRoot,
    signal: interrupt.signal,
  }).finally(() => process.off("SIGINT", onSigint));
  return { outcome: result.outcome, report: result.report, virtualTimeNs: result.virtualTimeNs };
}
