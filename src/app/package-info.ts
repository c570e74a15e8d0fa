// What sel4tut's own package.json says: its version, the Node versions it runs on, where bugs go.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { PACKAGE_ROOT } from "../tutorial/catalogue.js";

export interface PackageJson {
  version?: string;
  engines?: { node?: string };
  bugs?: string | { url?: string };
}

export function packageJson(): PackageJson {
  try {
    return JSON.parse(readFileSync(join(PACKAGE_ROOT, "package.json"), "utf8")) as PackageJson;
  } catch {
    return {};
  }
}

export function sel4tutVersion(): string {
  return packageJson().version ?? "unknown";
}

/** The Node versions the package declares it runs on (package.json engines.node). */
export function nodeRequirement(): string | null {
  return packageJson().engines?.node ?? null;
}
