// sel4tut verify [--tut NAME|PATH] [--jobs N] [--json | --reporter table|json|junit]: the official
// test.py matrix of one tutorial, or of every built-in one (docs/authoring.md, Testing a tutorial).
import { availableParallelism } from "node:os";
import type { Command } from "commander";
import { CommandFailed, UsageError } from "../../app/errors.js";
import { verifyTutorials } from "../../app/verify.js";
import { BUILTIN_TUTORIALS_DIR, builtinTutorialNames, locateTutorial } from "../../tutorial/catalogue.js";
import { join } from "node:path";
import { stoppableByCtrlC } from "../lib/ctrl-c.js";
import { formatJson, formatJunit, formatTable, REPORTERS, type Reporter } from "../lib/verify-report.js";

interface VerifyFlags {
  tut?: string;
  jobs?: string;
  json?: boolean;
  reporter?: string;
}

export function registerVerify(program: Command): void {
  program
    .command("verify")
    .description(
      "check a tutorial as the official test.py does: every task's start state and solution, on every configuration",
    )
    .option("--tut <name|path>", "the tutorial to verify (default: every built-in tutorial)")
    .option("--jobs <n>", "how many states to check at once (default: the number of CPU cores)")
    .option("--json", "print the results as JSON (the same as --reporter json)")
    .option("--reporter <kind>", `how to print the results: ${REPORTERS.join(", ")}`)
    .action(async (flags: VerifyFlags) => {
      const reporter = reporterOf(flags);
      const jobs = jobsOf(flags.jobs);
      const dirs =
        flags.tut !== undefined
          ? [locateTutorial(flags.tut, process.cwd()).dir]
          : builtinTutorialNames().map((n) => join(BUILTIN_TUTORIALS_DIR, n));
      let done = 0;
      const progress = reporter === "table" && process.stderr.isTTY;
      const report = await stoppableByCtrlC((signal) =>
        verifyTutorials(dirs, {
          jobs,
          signal,
          onUnit: () => {
            if (progress) process.stderr.write(`\rverified ${++done} states`);
          },
        }),
      );
      if (progress) process.stderr.write("\r\x1b[K");
      const text =
        reporter === "json" ? formatJson(report) : reporter === "junit" ? formatJunit(report) : formatTable(report);
      console.log(text);
      if (!report.ok) throw new CommandFailed("verify: some checks do not hold", true);
    });
}

function reporterOf(flags: VerifyFlags): Reporter {
  if (flags.json && flags.reporter !== undefined && flags.reporter !== "json")
    throw new UsageError(`--json and --reporter ${flags.reporter} ask for two formats; give one`);
  const kind = flags.json ? "json" : (flags.reporter ?? "table");
  if (!(REPORTERS as readonly string[]).includes(kind))
    throw new UsageError(`unknown reporter "${kind}" (${REPORTERS.join(", ")})`);
  return kind as Reporter;
}

function jobsOf(value: string | undefined): number {
  if (value === undefined) return availableParallelism();
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--jobs takes a whole number of at least 1, not "${value}"`);
  return n;
}
