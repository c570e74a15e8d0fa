// Where the learner-facing sel4 module's typings for each configuration live.
import { existsSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../tutorial/catalogue.js";
import type { KernelConfig } from "../abi/constants.js";

export function sel4TypingsFile(config: KernelConfig): string {
  const name = `sel4.${config}.d.ts`;
  const candidates = [
    join(PACKAGE_ROOT, "src", "libsel4", "typings", name),
    join(PACKAGE_ROOT, "dist", "libsel4", "typings", name),
  ];
  const found = candidates.find((f) => existsSync(f));
  if (!found)
    throw new Error(
      `the sel4 typings for the ${config} configuration are missing (looked for ${candidates.join(", ")})`,
    );
  return found;
}
