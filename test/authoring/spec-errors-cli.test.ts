// Spec mistakes as an instructor meets them: through the real command line, with the message
// (file, line, column, entry) and the exit code, and nothing written or run.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sel4tut, snapshot, tempDir } from "../cli/helpers.js";
import { writeTutorial } from "./spec-runner.js";

const MAIN = `import { printf } from "sel4";\nexport function main(): number { printf("main: hello\\n"); return 0; }\n`;

function tutorialWith(system: object): { cwd: string; tut: string } {
  const cwd = tempDir("sel4tut-spec-errors-");
  const tut = writeTutorial(cwd, { system, sources: { "main.ts": MAIN } });
  return { cwd, tut };
}

/** The line of `text` in `file` (1-based), to check reported positions. */
const lineOf = (file: string, text: string) =>
  readFileSync(file, "utf8")
    .split("\n")
    .findIndex((l) => l.includes(text)) + 1;

describe("spec errors through the command line", () => {
  it("init reports every mistake with file:line:column and entry, exits 1 and writes nothing", () => {
    const { cwd, tut } = tutorialWith({
      schemaVersion: 1,
      objects: { ep: { type: "Endpoint" }, cn: { type: "CNode", sizeBits: 2 } },
      threads: {
        main: {
          source: "main.ts",
          caps: [
            { symbol: "ep_cap", object: "endpoint" },
            { symbol: "badged", object: "ep", rights: "RWX", badge: -1 },
            { symbol: "cn_cap", object: "cn", guard: 8, guardSize: 3 },
            { symbol: "again", object: "ep", slot: 2 },
          ],
        },
      },
    });
    const before = snapshot(cwd);
    const r = sel4tut(["init", "--tut", "./tut", "ex"], cwd);
    expect(r.status).toBe(1);
    const file = join(tut, "system.json");
    const errors = r.stderr.split("\n").filter((l) => l.includes("system.json:"));
    expect(r.stderr).toMatch(/^sel4tut: the tutorial has errors:\n/);
    expect(errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `system\\.json:${lineOf(file, '"endpoint"')}:\\d+: threads\\.main\\.caps\\[0\\]\\.object: unknown object "endpoint" \\(declared: ep, cn,`,
        ),
      ),
      expect.stringMatching(/threads\.main\.caps\[1\]\.rights: rights "RWX" must be letters from R, W, G/),
      expect.stringMatching(/threads\.main\.caps\[1\]\.badge: badge must be a non-negative integer below 2\^64/),
      expect.stringMatching(/threads\.main\.caps\[2\]\.guard: guard 0x8 does not fit in guardSize 3 bits/),
      expect.stringMatching(/threads\.main\.caps\[3\]\.slot: slot 2 already holds "badged": two caps in one slot/),
    ]);
    expect(snapshot(cwd)).toEqual(before);
  });

  it("a spec that only the MCS kernel refuses is refused at init, saying why", () => {
    const { cwd } = tutorialWith({
      schemaVersion: 1,
      objects: { ep: { type: "Endpoint" } },
      threads: {
        main: {
          source: "main.ts",
          caps: [{ symbol: "fault_ep", object: "ep", rights: "RW" }],
          faultEndpoint: "fault_ep",
        },
      },
    });
    const r = sel4tut(["init", "--tut", "./tut", "ex"], cwd);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /system\.json:\d+:\d+: threads\.main\.faultEndpoint: on MCS a fault endpoint must be an endpoint cap with Write and Grant or GrantReply/,
    );
  });

  it("a spec broken after init stops run and check before anything boots", () => {
    const { cwd, tut } = tutorialWith({ schemaVersion: 1, threads: { main: { source: "main.ts" } } });
    expect(sel4tut(["init", "--tut", "./tut", "ex"], cwd).status).toBe(0);
    const file = join(tut, "system.json");
    writeFileSync(
      file,
      JSON.stringify(
        {
          schemaVersion: 1,
          objects: { f: { type: "Frame4K" } },
          threads: { main: { source: "main.ts", mappings: [{ frame: "f", vaddr: "0x10000000" }] } },
        },
        null,
        2,
      ),
    );
    for (const command of ["run", "check"]) {
      const r = sel4tut([command], join(cwd, "ex"));
      expect(r.status, command).toBe(1);
      expect(r.stderr).toMatch(
        new RegExp(
          `system\\.json:${lineOf(file, "0x10000000")}:\\d+: threads\\.main\\.mappings\\[0\\]\\.vaddr: a Frame4K at 0x10000000 overlaps thread main's IPC buffer`,
        ),
      );
      expect(r.stdout).not.toContain("main: hello");
    }
  });
});
