// Options that several commands share, declared once so that they read the same everywhere.
import { Option } from "commander";
import type { KernelConfig } from "../../abi/constants.js";
import { UsageError } from "../../app/errors.js";
import type { TutorialDef } from "../../tutorial/schema.js";

/** --mcs: the MCS kernel configuration instead of master (non-MCS). */
export const MCS_OPTION = (what = "use the MCS kernel configuration"): Option => new Option("--mcs", what);

/** --yes: go ahead without asking (reset, restore). */
export const YES_OPTION = (): Option =>
  new Option("--yes", "do not ask for confirmation (required when not on a terminal)");

/**
 * The configuration a command works on: MCS with --mcs; without it, master, or the one kernel a
 * tutorial is written for (the official mcs tutorial's build directory is configured for MCS, so
 * its plain `ninja` and `./simulate` run MCS).
 */
export function configOf(opts: { mcs?: boolean }, tut: Pick<TutorialDef, "configs">): KernelConfig {
  if (opts.mcs) return "mcs";
  return tut.configs.length === 1 ? tut.configs[0]! : "master";
}

/** --trace[=text|json]: every kernel event as it happens (docs/trace.md). */
export const TRACE_OPTION = (): Option =>
  new Option(
    "--trace [format]",
    "show every kernel event as it happens: text (the default; colour on a terminal), or json (kernel events in --json's stream)",
  );

export type TraceFormat = "text" | "json";

/** The trace format asked for, or null for none. */
export function traceFormatOf(opts: { trace?: boolean | string }): TraceFormat | null {
  if (opts.trace === undefined || opts.trace === false) return null;
  if (opts.trace === true || opts.trace === "text") return "text";
  if (opts.trace === "json") return "json";
  throw new UsageError(`unknown trace format "${opts.trace}" (formats: text, json)`);
}
