// sel4tut new tutorial DIR: a skeleton tutorial to make one's own (docs/authoring.md).
import type { Command } from "commander";
import { relative } from "node:path";
import { createTutorial } from "../../app/new-tutorial.js";

export function registerNew(program: Command): void {
  const create = program.command("new").description("create a skeleton to author: `new tutorial DIR`");
  create
    .command("tutorial")
    .description("create a skeleton tutorial (two threads, one task) that `sel4tut verify` passes")
    .argument("<dir>", "directory to create (absent or empty)")
    .action((dir: string) => {
      const cwd = process.cwd();
      const made = createTutorial(cwd, dir);
      const shown = relative(cwd, made.dir) || ".";
      const ref = shown.startsWith(".") || shown.includes("/") ? shown : `./${shown}`;
      console.log(`Tutorial "${made.name}" created in "${shown}":`);
      for (const f of made.files) console.log(`  ${f}`);
      console.log(`Next: sel4tut verify --tut ${ref}   (every task's start state and solution, on both kernels)`);
      console.log(`      sel4tut init --tut ${ref}     (an exercise, as a learner gets it)`);
      console.log("docs/authoring.md in sel4tut describes every file and field.");
    });
}
