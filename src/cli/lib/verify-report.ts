// How `sel4tut verify` shows its matrix: a table for people, JSON for scripts, JUnit XML for CI.
// No timings: the same tutorial gives the same report on any machine.
import chalk from "chalk";
import type { CheckOutcome, VerifyReport } from "../../app/verify.js";

export type Reporter = "table" | "json" | "junit";
export const REPORTERS: readonly Reporter[] = ["table", "json", "junit"];

/** The command a check stands for, as an author would type it in the exercise. */
function command(o: CheckOutcome): string {
  return `check${o.config === "mcs" ? " --mcs" : ""}${o.text === "start" ? " --start" : ""}`;
}

/** One sentence saying what did not hold, naming the task. */
export function describeFailure(o: CheckOutcome): string {
  const where = `task ${o.task} on ${o.config}`;
  if (o.got === "build failed") return `${where}: the ${o.state} state does not build: ${o.reason}`;
  if (o.state === "solution") return `${where}: the solution fails \`check\`: ${o.reason}`;
  if (o.text === "start")
    return `${where}: the start state fails \`check --start\` (its unsolved code must print the START text): ${o.reason}`;
  if (o.expect === "pass")
    return `${where}: the start state of a task with nothing to do (one text, the same code unsolved and solved) fails \`check\`: ${o.reason}`;
  return (
    `${where}: the start state already passes \`check\`: its unsolved code prints the FINISH text, so the task asks nothing ` +
    `(render it with sel4tut init --task ${o.task}; tighten the check with the task's failureTexts.finish, or fix its //@before block)`
  );
}

export function formatTable(report: VerifyReport): string {
  const out: string[] = [];
  const width = Math.max(4, ...report.outcomes.map((o) => o.task.length));
  for (const tut of report.tutorials) {
    const rows = report.outcomes.filter((o) => o.tutorial === tut.name);
    out.push(
      chalk.bold(`${tut.name}: ${tut.title}`) +
        chalk.dim(` (${tut.tasks.length} task${tut.tasks.length === 1 ? "" : "s"}; ${tut.configs.join(", ")})`),
    );
    out.push(chalk.dim(`  ${"task".padEnd(width)}  config  state     check                expect  got`));
    for (const o of rows) {
      const mark = o.ok ? chalk.green("✓") : chalk.red("✗");
      out.push(
        `  ${o.task.padEnd(width)}  ${o.config.padEnd(6)}  ${o.state.padEnd(8)}  ${command(o).padEnd(19)}  ${o.expect.padEnd(6)}  ${o.got.padEnd(12)}  ${mark}`,
      );
    }
    out.push("");
  }
  const failed = report.outcomes.filter((o) => !o.ok);
  const total = report.outcomes.length;
  if (failed.length === 0) {
    out.push(
      chalk.green(
        `All ${total} checks hold: every start state passes check --start and fails check, and every solution passes check.`,
      ),
    );
    return out.join("\n");
  }
  out.push(chalk.red(`${failed.length} of ${total} checks do not hold:`));
  for (const o of failed) out.push(`  ${chalk.red("✗")} ${o.tutorial}: ${describeFailure(o)}`);
  if (report.keptDir)
    out.push(
      `The exercises of those checks are kept in ${report.keptDir}: cd into one and run the check shown to see its output.`,
    );
  return out.join("\n");
}

export function formatJson(report: VerifyReport): string {
  return JSON.stringify(
    {
      ok: report.ok,
      tutorials: report.tutorials.map((t) => ({
        name: t.name,
        dir: t.dir,
        configs: t.configs,
        tasks: t.tasks.map((x) => x.name),
      })),
      checks: report.outcomes.map((o) => ({
        tutorial: o.tutorial,
        task: o.task,
        config: o.config,
        state: o.state,
        command: command(o),
        expect: o.expect,
        got: o.got,
        ok: o.ok,
        ...(o.ok ? {} : { problem: describeFailure(o), exercise: o.exercise }),
      })),
      keptDir: report.keptDir,
    },
    null,
    2,
  );
}

const xml = (s: string) =>
  s
    .replace(/[<>&"']/g, (c) => `&${{ "<": "lt", ">": "gt", "&": "amp", '"': "quot", "'": "apos" }[c]!};`)
    // XML 1.0 allows no other control characters, even escaped: they are what this removes.
    // eslint-disable-next-line no-control-regex
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g, "");

export function formatJunit(report: VerifyReport): string {
  const failures = report.outcomes.filter((o) => !o.ok).length;
  const out = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="sel4tut verify" tests="${report.outcomes.length}" failures="${failures}">`,
  ];
  for (const tut of report.tutorials) {
    const rows = report.outcomes.filter((o) => o.tutorial === tut.name);
    out.push(
      `  <testsuite name="${xml(tut.name)}" tests="${rows.length}" failures="${rows.filter((o) => !o.ok).length}">`,
    );
    for (const o of rows) {
      const name = `${o.config}: ${o.state} state, sel4tut ${command(o)} ${o.expect === "pass" ? "passes" : "fails"}`;
      const head = `    <testcase classname="${xml(`${tut.name}.${o.task}`)}" name="${xml(name)}"`;
      if (o.ok) out.push(`${head}/>`);
      else
        out.push(
          `${head}>`,
          `      <failure message="${xml(describeFailure(o))}">${xml(`got: ${o.got}\n${o.reason}\nexercise: ${o.exercise}`)}</failure>`,
          "    </testcase>",
        );
    }
    out.push("  </testsuite>");
  }
  out.push("</testsuites>");
  return out.join("\n");
}
