// Output for programs: check --json and run --json print NDJSON events a grader can read line by
// line; check --reporter junit writes JUnit XML (one testcase per expected line) that CI systems
// accept; list --json is one document.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { describe, expect, it } from "vitest";
import { sel4tutAsync, tempDir } from "./helpers.js";

async function exercise(solution: boolean): Promise<string> {
  const cwd = tempDir();
  const init = await sel4tutAsync(
    ["init", "--tut", "fault-handlers", "--task", "fault-ep-setup", ...(solution ? ["--solution"] : [])],
    cwd,
  );
  expect(init.status).toBe(0);
  return join(cwd, "fault-handlers");
}

/** Every stdout line is one JSON event. */
function events(stdout: string): { event: string; [k: string]: unknown }[] {
  const lines = stdout.split("\n");
  expect(lines.pop()).toBe("");
  return lines.map((l) => JSON.parse(l));
}

describe("machine-readable output", () => {
  it(
    "check --json: start, build, the program's lines, each expected line, notes and the end, one JSON event per line",
    { timeout: 300_000 },
    async () => {
      const dir = await exercise(true);
      const r = await sel4tutAsync(["check", "--mcs", "--json"], dir);
      expect(r.status).toBe(0);
      const e = events(r.stdout);
      expect(e[0]).toEqual({
        event: "start",
        command: "check",
        tutorial: "fault-handlers",
        task: "fault-ep-setup",
        config: "mcs",
        expect: "FINISH",
      });
      expect(e[1]).toMatchObject({ event: "build", config: "mcs", status: "built", diagnostics: [] });
      expect(e.filter((x) => x.event === "output").map((x) => x.line)).toContain(
        "Faulter: About to touch fault vaddr.",
      );
      expect(e.filter((x) => x.event === "expect")).toEqual([
        {
          event: "expect",
          pattern: "About to touch fault vaddr.",
          endOfLine: false,
          status: "matched",
          line: expect.any(Number),
          lineText: "Faulter: About to touch fault vaddr.",
        },
        {
          event: "expect",
          pattern: "\\n",
          endOfLine: true,
          status: "matched",
          line: expect.any(Number),
          lineText: "Faulter: About to touch fault vaddr.",
        },
      ]);
      expect(e.filter((x) => x.event === "note").map((x) => x.text)).toContain(
        "Also try the other kernel: sel4tut check (fault-ep-setup stays your current task until it passes on master too)",
      );
      const end = e.at(-1)!;
      expect(end).toMatchObject({
        event: "end",
        ok: true,
        reason: null,
        timings: { buildMs: expect.any(Number), runMs: expect.any(Number), totalMs: expect.any(Number) },
      });
      expect(typeof end.virtualTimeNs).toBe("number");
    },
  );

  it(
    "check --json on unsolved code: the expected line comes, then the kernel's fault report fails it, exit 1",
    { timeout: 300_000 },
    async () => {
      const dir = await exercise(false);
      const r = await sel4tutAsync(["check", "--json"], dir);
      expect(r.status).toBe(1);
      const e = events(r.stdout);
      expect(e.find((x) => x.event === "expect")).toMatchObject({
        pattern: "About to touch fault vaddr.",
        status: "matched",
      });
      expect(e.find((x) => x.event === "failureText")).toMatchObject({
        pattern: "while trying to handle:",
        lineText: "while trying to handle:",
      });
      expect(e.filter((x) => x.event === "note").map((x) => x.text)).toContain(
        "what the kernel's fault report means: sel4tut explain double-fault",
      );
      expect(e.at(-1)).toMatchObject({ event: "end", ok: false });
      expect(e.at(-1)!.reason).toEqual(
        expect.stringContaining('the output contains the failure text "while trying to handle:"'),
      );
    },
  );

  it(
    "check --json on code that does not build: the diagnostics with line and column, and the end",
    { timeout: 300_000 },
    async () => {
      const dir = await exercise(false);
      const file = join(dir, "handler.ts");
      const text = readFileSync(file, "utf8");
      await import("node:fs").then((fs) =>
        fs.writeFileSync(file, text.replace("  let error = 0;\n", "  let error = 0;\n  console.log(error);\n")),
      );
      const r = await sel4tutAsync(["check", "--json"], dir);
      expect(r.status).toBe(1);
      const e = events(r.stdout);
      const build = e.find((x) => x.event === "build")!;
      expect(build.status).toBe("failed");
      expect(build.diagnostics).toEqual([
        expect.objectContaining({
          file: "handler.ts",
          column: 3,
          code: 2584,
          message: expect.stringContaining("print with printf"),
        }),
      ]);
      expect(e.at(-1)).toMatchObject({ event: "end", ok: false, outcome: "build-failed" });
    },
  );

  it("run --json: the program's lines and its ending", { timeout: 300_000 }, async () => {
    const dir = await exercise(true);
    const r = await sel4tutAsync(["run", "--json"], dir);
    expect(r.status).toBe(0);
    const e = events(r.stdout);
    expect(e[0]).toMatchObject({ event: "start", command: "run", config: "master" });
    expect(e.filter((x) => x.event === "output").length).toBeGreaterThan(5);
    expect(e.at(-1)).toMatchObject({ event: "end", ok: true });
  });

  it(
    "check --reporter junit: valid XML, one testcase per expected line, failures carrying the reason",
    { timeout: 300_000 },
    async () => {
      const dir = await exercise(false);
      const file = join(dir, "..", "result.xml");
      const r = await sel4tutAsync(["check", "--reporter", "junit", "--output", file], dir);
      expect(r.status).toBe(1);
      expect(r.stdout).toBe("");
      const xml = readFileSync(file, "utf8");
      expect(XMLValidator.validate(xml)).toBe(true);
      const doc = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: "" }).parse(xml);
      const suite = doc.testsuites.testsuite;
      expect(suite.name).toBe("fault-handlers.fault-ep-setup.master");
      const cases = [suite.testcase].flat();
      // "About to touch fault vaddr." and the end of that line: two expected lines, two testcases.
      expect(cases).toHaveLength(2);
      expect(suite.tests).toBe("2");
      // The expected line came; the kernel's fault report after it fails the task, on its last line.
      expect(cases[0].failure).toBeUndefined();
      expect(cases[1].failure.type).toBe("failure-text");
      expect(cases[1].failure.message).toContain('the output contains the failure text "while trying to handle:"');
      expect(suite.failures).toBe("1");
      expect(suite["system-out"]).toContain("Caught cap fault in send phase at address 0");

      const solved = await exercise(true);
      const passing = await sel4tutAsync(["check", "--reporter", "junit"], solved);
      expect(passing.status).toBe(0);
      expect(XMLValidator.validate(passing.stdout)).toBe(true);
      expect(passing.stdout).toContain('tests="2" failures="0"');
      expect(passing.stdout).not.toContain("<failure");
    },
  );
});
