// The sel4tut command line: one file per command under commands/; this file wires them up
// and turns errors into exit codes and messages without stack traces (lib/report-error.ts;
// app/errors.ts has the codes; docs/errors.md shows what each bad input prints).
import { Command } from "commander";
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
import { registerTrace } from "./commands/trace.js";
import { registerWatch } from "./commands/watch.js";
import { reportError } from "./lib/report-error.js";
import { applyColourPreference } from "./lib/colour.js";
import { sel4tutVersion } from "./lib/internal.js";

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
    registerTrace,
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
export { reportError } from "./lib/report-error.js";
