// "ninja: no work to do": a build is skipped when the hash of everything it reads (learner
// sources, generated modules, typings, the instrumenter, this sel4tut) matches the last
// successful build and its outputs are still there. Needs no TypeScript, so it is fast.
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { writeJsonAtomic } from "../tutorial/state-file.js";

interface BuildStamp {
  schemaVersion: 1;
  inputHash: string;
  outputs: string[];
}

export function hashInputs(parts: ReadonlyArray<readonly [string, string]>): string {
  const h = createHash("sha256");
  for (const [name, content] of [...parts].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))) {
    h.update(`${name}\0${content.length}\0`).update(content);
  }
  return h.digest("hex");
}

export function isUpToDate(stampFile: string, inputHash: string): boolean {
  if (!existsSync(stampFile)) return false;
  try {
    const stamp = JSON.parse(readFileSync(stampFile, "utf8")) as BuildStamp;
    return stamp.schemaVersion === 1 && stamp.inputHash === inputHash && stamp.outputs.every((f) => existsSync(f));
  } catch {
    return false;
  }
}

export function writeStamp(stampFile: string, inputHash: string, outputs: string[]): void {
  writeJsonAtomic(stampFile, { schemaVersion: 1, inputHash, outputs } satisfies BuildStamp);
}
