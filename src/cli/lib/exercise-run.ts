// Build an exercise for one configuration and run it: shared by run, check and demo.
import type { CheckResult, Expectation } from "../../check/engine.js";
import { expectCompletion } from "../../check/engine.js";
import type { KernelConfig } from "../../abi/constants.js";
import type { TutorialDef } from "../../tutorial/schema.js";
import { CommandFailed, UsageError } from "../../app/errors.js";
import type { RunEnd } from "./explain-pointers.js";
import { prepare, runBuilt, type Prepared, type Target } from "./pipeline.js";
import { formatDiagnostics } from "./report.js";

export function configOf(opts: { mcs?: boolean }): KernelConfig {
  return opts.mcs ? "mcs" : "master";
}

export function requireConfig(tut: TutorialDef, config: KernelConfig): void {
  if (!tut.configs.includes(config)) {
    throw new UsageError(`${tut.name} is written for ${tut.configs.join(" and ")} only, not ${config}`);
  }
}

/** Builds (if out of date); on type errors prints them and fails the command. */
export async function buildOrFail(target: Target, log: (s: string) => void): Promise<Prepared> {
  const prepared = await prepare(target);
  if (prepared.build.status === "failed") {
    log(formatDiagnostics(target.config, prepared.build.diagnostics));
    throw new CommandFailed("build failed", true);
  }
  return prepared;
}

export interface Checked {
  output: string;
  run: RunEnd;
  result: CheckResult;
}

export async function runAndCheck(
  target: Target, prepared: Prepared, expectation: Expectation, echo: ((s: string) => void) | null,
): Promise<Checked> {
  let output = "";
  const run = await runBuilt({
    plan: prepared.plan, outDir: prepared.build.outDir, config: target.config,
    simTimeLimitMs: target.tut.simTimeLimitMs,
    displayRoot: target.exerciseDir,
    onOutput: (text) => {
      output += text;
      echo?.(text);
    },
  });
  if (echo && output.length > 0 && !output.endsWith("\n")) echo("\n");
  return { output, run, result: expectCompletion(output, expectation, run) };
}
