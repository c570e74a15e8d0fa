// sel4tut list: the tutorials and examples and their tasks; inside an exercise, progress per
// configuration. `--json` prints the same as one JSON document for scripts and graders.
import chalk from "chalk";
import type { Command } from "commander";
import { builtinDir, builtinTutorialNames, exampleNames } from "../../tutorial/catalogue.js";
import { NotAnExerciseError } from "../../tutorial/exercise.js";
import type { KernelConfig } from "../../abi/constants.js";
import { loadTutorial, type TutorialDef } from "../../tutorial/schema.js";
import type { Progress } from "../../tutorial/progress.js";
import { loadContext, type ExerciseContext } from "../../app/context.js";
import { note } from "../lib/note.js";

/** Status cells are this wide, so columns never run together ("✓ passed" is 8 characters). */
const CELL = 10;

function taskTable(tut: TutorialDef, progress: Progress | null): string[] {
  const width = Math.max(...tut.tasks.map((t) => t.name.length));
  const head = `    ${"task".padEnd(width)}  ${tut.configs.map((c) => c.padEnd(CELL)).join("")}`.trimEnd();
  const rows = tut.tasks.map((t) => {
    const current = progress?.currentTask === t.name;
    const cells = progress
      ? tut.configs
          .map((c) =>
            progress.passed[t.name]?.[c] ? chalk.green("✓ passed".padEnd(CELL)) : chalk.dim("· todo".padEnd(CELL)),
          )
          .join("")
      : "";
    return `  ${current ? "▶" : " "} ${t.name.padEnd(width)}  ${cells}${chalk.dim(t.title)}`;
  });
  return progress ? [head, ...rows] : rows;
}

interface ListedTutorial {
  name: string;
  kind: "tutorial" | "example";
  title: string;
  summary: string;
  configs: readonly KernelConfig[];
  tasks: { name: string; title: string }[];
}

function listed(name: string, kind: ListedTutorial["kind"]): ListedTutorial {
  const tut = loadTutorial(builtinDir(name));
  return {
    name,
    kind,
    title: tut.title,
    summary: tut.summary,
    configs: tut.configs,
    tasks: tut.tasks.map((t) => ({ name: t.name, title: t.title })),
  };
}

/** The exercise the command runs in, or null outside one. */
function exerciseHere(): ExerciseContext | null {
  try {
    return loadContext(process.cwd(), note);
  } catch (e) {
    if (e instanceof NotAnExerciseError) return null;
    throw e;
  }
}

function exerciseJson(ctx: ExerciseContext) {
  return {
    dir: ctx.exercise.dir,
    tutorial: ctx.tut.name,
    currentTask: ctx.progress.currentTask,
    tasks: ctx.tut.tasks.map((t) => ({
      name: t.name,
      title: t.title,
      passed: Object.fromEntries(ctx.tut.configs.map((c) => [c, ctx.progress.passed[t.name]?.[c] === true])),
    })),
  };
}

function printSection(heading: string, entries: ListedTutorial[]): void {
  if (entries.length === 0) return;
  console.log(chalk.bold(heading));
  for (const e of entries) {
    console.log(`  ${chalk.bold(e.name)}: ${e.title} (${e.tasks.length} tasks; ${e.configs.join(", ")})`);
    for (const line of taskTable(loadTutorial(builtinDir(e.name)), null)) console.log(line);
  }
}

export function registerList(program: Command): void {
  program
    .command("list")
    .description("list tutorials and tasks, with your progress when inside an exercise")
    .option("--json", "print one JSON document: the tutorials, the examples and, inside an exercise, its progress")
    .action((opts: { json?: boolean }) => {
      const ctx = exerciseHere();
      const here = ctx?.tut.name ?? null;
      const tutorials = builtinTutorialNames().map((n) => listed(n, "tutorial"));
      const examples = exampleNames().map((n) => listed(n, "example"));
      if (opts.json) {
        console.log(
          JSON.stringify({ exercise: ctx ? exerciseJson(ctx) : null, tutorials: [...tutorials, ...examples] }, null, 2),
        );
        return;
      }
      if (ctx) {
        console.log(chalk.bold(`${ctx.tut.name}: ${ctx.tut.title}`) + chalk.dim(`  (exercise ${ctx.exercise.dir})`));
        for (const line of taskTable(ctx.tut, ctx.progress)) console.log(line);
        console.log("");
      }
      const others = tutorials.filter((t) => t.name !== here);
      printSection(here ? "Other tutorials:" : "Tutorials:", others);
      printSection(
        "Examples (written from scratch as docs/authoring.md shows):",
        examples.filter((t) => t.name !== here),
      );
      if (!here) console.log(`\nStart one with: sel4tut init --tut ${others[0]?.name ?? "NAME"}`);
    });
}
