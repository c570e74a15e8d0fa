// An instructor's own tutorial: `sel4tut new tutorial` makes a skeleton that `sel4tut verify`
// passes as generated, and verify refuses a tutorial whose task asks nothing, naming the task.
// (The built-in tutorials go through the same code in test/tutorial/matrix.test.ts.)
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { Interrupted } from "../../src/app/errors.js";
import { verifyTutorials } from "../../src/app/verify.js";
import { formatJson, formatJunit } from "../../src/cli/lib/verify-report.js";
import { schemaFile } from "../../src/tutorial/json-schemas.js";
import { sel4tut, sel4tutAsync, tempDir } from "../cli/helpers.js";

describe("sel4tut new tutorial", () => {
  it("makes a skeleton that sel4tut verify passes, in a fresh directory", { timeout: 240_000 }, async () => {
    const cwd = tempDir("sel4tut-new-");
    const made = sel4tut(["new", "tutorial", "t"], cwd);
    expect(made.status, made.stderr).toBe(0);
    expect(made.stdout).toContain('Tutorial "t" created in "t"');
    for (const f of ["tutorial.json", "system.json", "lesson.md", "templates/client.ts", "templates/server.ts"])
      expect(made.stdout).toContain(f);
    for (const kind of ["tutorial", "system"] as const) {
      const file = join(cwd, "t", `${kind}.json`);
      const json = JSON.parse(readFileSync(file, "utf8")) as { $schema: string; name?: string };
      expect(resolve(dirname(file), json.$schema)).toBe(schemaFile(kind));
      if (kind === "tutorial") expect(json.name).toBe("t");
    }
    const verified = await sel4tutAsync(["verify", "--tut", "t"], cwd);
    expect(verified.status, verified.stdout + verified.stderr).toBe(0);
    expect(verified.stdout).toMatch(/answer +master +start +check --start +pass +pass +✓/);
    expect(verified.stdout).toContain("All 6 checks hold");
  });

  it("never writes over a directory that holds anything", () => {
    const cwd = tempDir("sel4tut-new-");
    writeFileSync(join(cwd, "keep.txt"), "mine");
    const r = sel4tut(["new", "tutorial", "."], cwd);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/already exists and is not empty; sel4tut never overwrites it/);
    expect(readFileSync(join(cwd, "keep.txt"), "utf8")).toBe("mine");
  });
});

describe("sel4tut verify", () => {
  /** A tutorial from the skeleton whose FINISH text is a line the unsolved server already prints: the task asks nothing. */
  function brokenTutorial(): string {
    const cwd = tempDir("sel4tut-verify-");
    expect(sel4tut(["new", "tutorial", "broken"], cwd).status).toBe(0);
    const file = join(cwd, "broken", "tutorial.json");
    writeFileSync(
      file,
      readFileSync(file, "utf8").replace('"finish": "client: the server answered 42"', '"finish": "server: got 21"'),
    );
    return cwd;
  }

  it("a task whose start state already passes: exit 1, naming the task", { timeout: 240_000 }, async () => {
    const cwd = brokenTutorial();
    const table = await sel4tutAsync(["verify", "--tut", "./broken", "--jobs", "2"], cwd);
    expect(table.status).toBe(1);
    expect(table.stdout).toMatch(/answer +master +start +check +fail +pass +✗/);
    expect(table.stdout).toContain("2 of 6 checks do not hold:");
    expect(table.stdout).toContain("broken: task answer on master: the start state already passes `check`");
    expect(table.stdout).toContain("broken: task answer on mcs: the start state already passes `check`");
  });

  it("the JSON and JUnit reporters name the same failing checks", { timeout: 240_000 }, async () => {
    const cwd = brokenTutorial();
    const report = await verifyTutorials([join(cwd, "broken")], { jobs: 2 });
    expect(report.ok).toBe(false);

    const json = JSON.parse(formatJson(report)) as {
      ok: boolean;
      checks: { task: string; config: string; state: string; command: string; ok: boolean }[];
    };
    expect(json.ok).toBe(false);
    expect(json.checks.filter((c) => !c.ok).map((c) => `${c.task} ${c.state} ${c.command}`)).toEqual([
      "answer start check",
      "answer start check --mcs",
    ]);

    const junit = formatJunit(report);
    expect(junit).toMatch(
      /^<\?xml version="1.0" encoding="UTF-8"\?>\n<testsuites name="sel4tut verify" tests="6" failures="2">/,
    );
    expect(junit).toMatch(
      /<testcase classname="broken\.answer" name="master: start state, sel4tut check fails">\n {6}<failure message="task answer on master: the start state already passes `check`/,
    );
  });

  it("stopped part-way (Ctrl-C), it leaves none of the exercises it made behind", { timeout: 240_000 }, async () => {
    const cwd = tempDir("sel4tut-verify-");
    expect(sel4tut(["new", "tutorial", "t"], cwd).status).toBe(0);
    const tmp = tempDir("sel4tut-verify-tmp-");
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      const stop = new AbortController();
      let units = 0;
      const verifying = verifyTutorials([join(cwd, "t")], {
        jobs: 2,
        signal: stop.signal,
        onUnit: () => {
          units++;
          stop.abort();
        },
      });
      const error: unknown = await verifying.then(
        () => null,
        (e: unknown) => e,
      );
      expect(error, String(error)).toBeInstanceOf(Interrupted);
      expect(units).toBeGreaterThanOrEqual(1);
      // (The compiler cache, sel4tut-cache-*, may stay: it is meant to.)
      expect(readdirSync(tmp).filter((f) => f.startsWith("sel4tut-verify-"))).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });

  it("usage errors: exit 2", () => {
    const cwd = tempDir("sel4tut-verify-");
    expect(sel4tut(["verify", "--jobs", "0"], cwd).stderr).toMatch(
      /--jobs takes a whole number of at least 1, not "0"/,
    );
    expect(sel4tut(["verify", "--reporter", "xml"], cwd).status).toBe(2);
    expect(sel4tut(["verify", "--json", "--reporter", "junit"], cwd).status).toBe(2);
    expect(sel4tut(["verify", "--tut", "./nowhere"], cwd).status).toBe(2);
  });
});
