// Options that several commands share, declared once so that they read the same everywhere.
import { Option } from "commander";
import type { KernelConfig } from "../../abi/constants.js";

/** --mcs: the MCS kernel configuration instead of master (non-MCS). */
export const MCS_OPTION = (what = "use the MCS kernel configuration"): Option => new Option("--mcs", what);

/** --yes: go ahead without asking (reset, restore). */
export const YES_OPTION = (): Option =>
  new Option("--yes", "do not ask for confirmation (required when not on a terminal)");

export function configOf(opts: { mcs?: boolean }): KernelConfig {
  return opts.mcs ? "mcs" : "master";
}
