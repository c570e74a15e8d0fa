// sel4tut init --tut NAME|PATH [--task T] [--solution] [--mcs] [DIR]
import type { Command } from "commander";
import { MCS_OPTION } from "../lib/options.js";
import { basename, relative } from "node:path";
import { writeAdvanceState } from "../../app/advance.js";
import { scaffoldExercise } from "../../app/scaffold.js";

export function registerInit(program: Command): void {
  program
    .command("init")
    .description("create an exercise directory (and DIR_build) for a tutorial")
    .requiredOption("--tut <name|path>", "tutorial name, or the path of a tutorial directory")
    .option("--task <task>", "start at this task (earlier tasks come solved)")
    .option("--solution", "render the solved state of the task (or of the whole tutorial)")
    .addOption(MCS_OPTION("make the editor's generated cap modules follow the MCS configuration"))
    .option(
      "--keep-files",
      "never merge the next task's code into your files when a task passes (the official tutorials' way; sel4tut next still does)",
    )
    .argument("[dir]", "directory to create (default: ./NAME)")
    .action(
      (
        dir: string | undefined,
        opts: { tut: string; task?: string; solution?: boolean; mcs?: boolean; keepFiles?: boolean },
      ) => {
        const cwd = process.cwd();
        const s = scaffoldExercise({
          tutorial: opts.tut,
          cwd,
          ...(dir !== undefined ? { dir } : {}),
          ...(opts.task !== undefined ? { task: opts.task } : {}),
          solution: opts.solution ?? false,
          editorConfig: opts.mcs ? "mcs" : "master",
        });
        if (opts.keepFiles) writeAdvanceState(s.dir, { schemaVersion: 1, merge: false, pending: null });
        for (const w of s.warnings) console.error(`warning: ${w}`);
        const task = s.tut.tasks[s.stage.task]!;
        console.log(`Tutorial created in subdirectory "${relative(cwd, s.dir) || "."}".`);
        console.log(`Build directory initialised in "${relative(cwd, s.buildDir)}".`);
        console.log(`Current task: ${task.name} (${task.title})${s.stage.solution ? ", rendered solved" : ""}.`);
        console.log(
          `Next: cd ${relative(cwd, s.dir) || basename(s.dir)}, read README.md, then sel4tut run and sel4tut check.`,
        );
      },
    );
}
