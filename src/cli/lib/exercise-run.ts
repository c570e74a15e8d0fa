// Building, as the commands that build show it: on type errors the diagnostics are printed and the
// command fails.
import { CommandFailed } from "../../app/errors.js";
import { prepare, type Prepared, type Target } from "../../app/pipeline.js";
import { formatDiagnostics } from "./report.js";

/** Builds (if out of date); on type errors prints them and fails the command. */
export async function buildOrFail(target: Target, log: (s: string) => void): Promise<Prepared> {
  const prepared = await prepare(target);
  if (prepared.build.status === "failed") {
    log(formatDiagnostics(target.config, prepared.build.diagnostics));
    throw new CommandFailed("build failed", true);
  }
  return prepared;
}
