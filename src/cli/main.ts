// The sel4tut command line: one file per command under commands/; this file wires them up
// and turns errors into exit codes (2 = usage, 1 = failure).
import { Command, CommanderError } from "commander";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { UnknownTutorialError, PACKAGE_ROOT } from "../tutorial/catalogue.js";
import { NotAnExerciseError } from "../tutorial/exercise.js";
import { SourceError, SourceErrors } from "../tutorial/json-source.js";
import { UnknownTaskError } from "../tutorial/render.js";
import { TemplateError } from "../tutorial/template.js";
import { registerBuild } from "./commands/build.js";
import { registerCheck } from "./commands/check.js";
import { registerDemo } from "./commands/demo.js";
import { registerHint } from "./commands/hint.js";
import { registerInit } from "./commands/init.js";
import { registerList } from "./commands/list.js";
import { registerRun } from "./commands/run.js";
import { CommandFailed, UsageError } from "./lib/errors.js";

function version(): string {
  return (JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as { version: string }).version;
}

export function createProgram(): Command {
  const program = new Command("sel4tut")
    .description("Learn the seL4 microkernel in TypeScript, on a simulated kernel")
    .version(version())
    .exitOverride()
    .showHelpAfterError();
  for (const register of [registerInit, registerBuild, registerRun, registerCheck, registerList, registerHint, registerDemo]) {
    register(program);
  }
  for (const c of program.commands) c.exitOverride();
  return program;
}

const USAGE_ERRORS = [UsageError, UnknownTutorialError, UnknownTaskError, NotAnExerciseError];
const AUTHORING_ERRORS = [SourceError, SourceErrors, TemplateError];

export async function main(argv: string[]): Promise<void> {
  try {
    await createProgram().parseAsync(argv);
  } catch (e) {
    if (e instanceof CommanderError) {
      // Help and version exit 0; everything else commander rejects is a usage error.
      process.exitCode = e.exitCode === 0 ? 0 : 2;
    } else if (USAGE_ERRORS.some((k) => e instanceof k)) {
      console.error(`sel4tut: ${(e as Error).message}`);
      process.exitCode = 2;
    } else if (e instanceof CommandFailed) {
      if (!e.reported) console.error(`sel4tut: ${e.message}`);
      process.exitCode = 1;
    } else if (AUTHORING_ERRORS.some((k) => e instanceof k)) {
      console.error(`sel4tut: the tutorial has errors:\n${(e as Error).message}`);
      process.exitCode = 1;
    } else {
      throw e;
    }
  }
}
