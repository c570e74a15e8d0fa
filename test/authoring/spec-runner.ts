// Running a system spec as an instructor's exercise would run: a tutorial directory is written
// (tutorial.json, lesson.md, system.json, templates), `init` scaffolds it, and the same build →
// boot → run pipeline as `sel4tut run` executes every thread in its own worker.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { scaffoldExercise } from "../../src/app/scaffold.js";
import { prepare, runBuilt } from "../../src/app/pipeline.js";
import type { SystemPlan } from "../../src/loader/plan.js";
import type { KernelConfig } from "../../src/abi/constants.js";
import { loadTutorial } from "../../src/tutorial/schema.js";

export interface SpecExercise {
  system: object;
  /** Thread sources (and helper modules) by file name. */
  sources: Record<string, string>;
  simTimeLimitMs?: number;
}

export interface SpecRun {
  output: string;
  outcome: string;
  report: string;
  plan: SystemPlan;
}

/** A tutorial directory holding one trivial task around the given spec and sources. */
export function writeTutorial(root: string, ex: SpecExercise, configs: KernelConfig[] = ["master", "mcs"]): string {
  const dir = join(root, "tut");
  mkdirSync(join(dir, "templates"), { recursive: true });
  writeFileSync(
    join(dir, "tutorial.json"),
    JSON.stringify(
      {
        schemaVersion: 1,
        name: "spec-test",
        title: "Spec test",
        configs,
        ...(ex.simTimeLimitMs !== undefined ? { simTimeLimitMs: ex.simTimeLimitMs } : {}),
        tasks: [{ name: "run", title: "Run", start: "never printed", finish: "never printed", hints: ["none"] }],
      },
      null,
      2,
    ),
  );
  writeFileSync(join(dir, "lesson.md"), "# Spec test\n");
  writeFileSync(join(dir, "system.json"), JSON.stringify(ex.system, null, 2));
  for (const [name, text] of Object.entries(ex.sources)) writeFileSync(join(dir, "templates", name), text);
  return dir;
}

export async function runSpec(config: KernelConfig, ex: SpecExercise): Promise<SpecRun> {
  const root = mkdtempSync(join(tmpdir(), "sel4tut-spec-"));
  // Only the configuration that runs: a spec written for one kernel is checked on that one.
  const tutDir = writeTutorial(root, ex, [config]);
  const s = scaffoldExercise({ tutorial: tutDir, cwd: root, dir: "ex", solution: true, editorConfig: config });
  const target = { exerciseDir: s.dir, buildDir: s.buildDir, tut: loadTutorial(tutDir), config };
  const prepared = await prepare(target);
  if (prepared.build.status === "failed") {
    throw new Error(`build failed:\n${prepared.build.diagnostics.map((d) => JSON.stringify(d)).join("\n")}`);
  }
  let output = "";
  const run = await runBuilt({
    plan: prepared.plan,
    outDir: prepared.build.outDir,
    config,
    simTimeLimitMs: target.tut.simTimeLimitMs,
    displayRoot: s.dir,
    onOutput: (text) => (output += text),
  });
  return { output, outcome: run.outcome, report: run.report, plan: prepared.plan };
}
