// sel4tut list: the tutorials and their tasks; inside an exercise, progress per configuration.
import chalk from "chalk";
import type { Command } from "commander";
import { BUILTIN_TUTORIALS_DIR, builtinTutorialNames } from "../../tutorial/catalogue.js";
import { NotAnExerciseError } from "../../tutorial/exercise.js";
import { loadTutorial, type TutorialDef } from "../../tutorial/schema.js";
import type { Progress } from "../../tutorial/progress.js";
import { join } from "node:path";
import { loadContext } from "../lib/context.js";

function taskTable(tut: TutorialDef, progress: Progress | null): string[] {
  const width = Math.max(...tut.tasks.map((t) => t.name.length));
  const head = `    ${"task".padEnd(width)}  ${tut.configs.map((c) => c.padEnd(8)).join("")}`;
  const rows = tut.tasks.map((t) => {
    const current = progress?.currentTask === t.name;
    const cells = progress
      ? tut.configs.map((c) => (progress.passed[t.name]?.[c] ? chalk.green("✓ passed") : chalk.dim("· todo  "))).join("") + "  "
      : "";
    return `  ${current ? "▶" : " "} ${t.name.padEnd(width)}  ${cells}${chalk.dim(t.title)}`;
  });
  return progress ? [head, ...rows] : rows;
}

export function registerList(program: Command): void {
  program
    .command("list")
    .description("list tutorials and tasks, with your progress when inside an exercise")
    .action(() => {
      let here: string | null = null;
      try {
        const ctx = loadContext(process.cwd());
        here = ctx.tut.name;
        console.log(chalk.bold(`${ctx.tut.name}: ${ctx.tut.title}`) + chalk.dim(`  (exercise ${ctx.exercise.dir})`));
        for (const line of taskTable(ctx.tut, ctx.progress)) console.log(line);
        console.log("");
      } catch (e) {
        if (!(e instanceof NotAnExerciseError)) throw e;
      }
      const others = builtinTutorialNames().filter((n) => n !== here);
      if (others.length > 0) console.log(chalk.bold(here ? "Other tutorials:" : "Tutorials:"));
      for (const name of others) {
        const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, name));
        console.log(`  ${chalk.bold(name)}: ${tut.title} (${tut.tasks.length} tasks; ${tut.configs.join(", ")})`);
        for (const line of taskTable(tut, null)) console.log(line);
      }
      if (!here) console.log(`\nStart one with: sel4tut init --tut ${others[0] ?? "NAME"}`);
    });
}
