// A warm build (nothing changed) must not load TypeScript: `check` has to start fast.
// Runs the compiled build in a fresh process and looks at what it loaded.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { probeBuild } from "./build-probe.js";

function build(dir: string): { status: string; typescript: boolean } {
  const { status, typescript } = probeBuild(dir);
  return { status, typescript };
}

describe("lazy TypeScript", () => {
  it("loads typescript only when something must be rebuilt", () => {
    const dir = mkdtempSync(join(tmpdir(), "sel4tut-lazy-"));
    writeFileSync(
      join(dir, "t.ts"),
      'import { ep } from "./cspace_t";\nexport function main(): number { return ep; }\n',
    );
    expect(build(dir)).toEqual({ status: "built", typescript: true });
    expect(build(dir)).toEqual({ status: "up-to-date", typescript: false });
  });
});
