// The sel4tut command line: one file per command under commands/; this file wires them up
// and turns errors into exit codes and messages without stack traces (lib/errors.ts has the
// codes; docs/errors.md shows what each bad input prints).
import { Command, CommanderError } from "commander";
import { UnknownTutorialError } from "../tutorial/catalogue.js";
import { NotAnExerciseError } from "../tutorial/exercise.js";
import { SourceError, SourceErrors } from "../tutorial/json-source.js";
import { TemplatePathError, UnknownTaskError } from "../tutorial/render.js";
import { TemplateError } from "../tutorial/template.js";
import { registerBuild } from "./commands/build.js";
import { registerCheck } from "./commands/check.js";
import { registerDemo } from "./commands/demo.js";
import { registerDoctor } from "./commands/doctor.js";
import { registerExplain } from "./commands/explain.js";
import { registerHint } from "./commands/hint.js";
import { registerInit } from "./commands/init.js";
import { registerList } from "./commands/list.js";
import { registerNext } from "./commands/next.js";
import { registerNew } from "./commands/new.js";
import { registerVerify } from "./commands/verify.js";
import { registerReset } from "./commands/reset.js";
import { registerRestore } from "./commands/restore.js";
import { registerRun } from "./commands/run.js";
import { registerWatch } from "./commands/watch.js";
import {
  CommandFailed,
  describeSystemError,
  EXIT_FAILURE,
  EXIT_INTERNAL,
  EXIT_USAGE,
  InternalError,
  Interrupted,
  isSystemError,
  UsageError,
} from "../app/errors.js";
import { applyColourPreference } from "./lib/colour.js";
import { internalErrorText, sel4tutVersion } from "./lib/internal.js";

export function createProgram(): Command {
  const program = new Command("sel4tut")
    .description("Learn the seL4 microkernel in TypeScript, on a simulated kernel")
    .version(sel4tutVersion())
    .exitOverride()
    .showHelpAfterError();
  for (const register of [
    registerInit,
    registerBuild,
    registerRun,
    registerCheck,
    registerNext,
    registerWatch,
    registerList,
    registerHint,
    registerReset,
    registerRestore,
    registerDoctor,
    registerExplain,
    registerDemo,
    registerNew,
    registerVerify,
  ]) {
    register(program);
  }
  for (const c of program.commands) c.exitOverride();
  return program;
}

const USAGE_ERRORS = [UsageError, UnknownTutorialError, UnknownTaskError, NotAnExerciseError];
const AUTHORING_ERRORS = [SourceError, SourceErrors, TemplateError, TemplatePathError];

/** The message and exit code for an error that reached the top of a command. */
export function reportError(e: unknown): { message: string | null; exitCode: number } {
  if (e instanceof CommanderError) {
    // commander has printed its message; help and version exit 0, any other refusal is a usage error.
    return { message: null, exitCode: e.exitCode === 0 ? 0 : EXIT_USAGE };
  }
  if (USAGE_ERRORS.some((k) => e instanceof k))
    return { message: `sel4tut: ${(e as Error).message}`, exitCode: EXIT_USAGE };
  if (e instanceof CommandFailed)
    return { message: e.reported ? null : `sel4tut: ${e.message}`, exitCode: EXIT_FAILURE };
  if (e instanceof Interrupted) return { message: `sel4tut: ${e.message}`, exitCode: e.exitCode };
  if (AUTHORING_ERRORS.some((k) => e instanceof k)) {
    return { message: `sel4tut: the tutorial has errors:\n${(e as Error).message}`, exitCode: EXIT_FAILURE };
  }
  if (isSystemError(e)) return { message: `sel4tut: ${describeSystemError(e)}`, exitCode: EXIT_FAILURE };
  if (e instanceof InternalError) return { message: internalErrorText(e.message), exitCode: EXIT_INTERNAL };
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return { message: internalErrorText(detail), exitCode: EXIT_INTERNAL };
}

/** `sel4tut run | head`: when the reader goes away, stop quietly as other command-line tools do. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on("error", (e: NodeJS.ErrnoException) => {
    if (e.code !== "EPIPE") throw e;
    process.exit(process.exitCode ?? 0);
  });
}

export async function main(argv: string[]): Promise<void> {
  // The simulated machine has no time zone: a learner's Date prints the same in every host's zone.
  // Set before any worker starts (a worker takes the zone of the process when it is created).
  process.env.TZ = "UTC";
  applyColourPreference();
  quietOnClosedPipe(process.stdout);
  try {
    await createProgram().parseAsync(argv);
  } catch (e) {
    const { message, exitCode } = reportError(e);
    if (message !== null) console.error(message);
    process.exitCode = exitCode;
  }
}
export { internalErrorText } from "./lib/internal.js";
