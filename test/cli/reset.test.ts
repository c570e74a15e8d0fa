// reset and restore: nothing a learner wrote is lost, and nothing is written without consent.
import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { BIN, sel4tut, snapshot, tempDir } from "./helpers.js";

function exercise(): { cwd: string; dir: string; pristine: Record<string, string> } {
  const cwd = tempDir();
  expect(sel4tut(["init", "--tut", "fault-handlers"], cwd).status).toBe(0);
  const dir = join(cwd, "fault-handlers");
  const pristine = {
    "handler.ts": readFileSync(join(dir, "handler.ts"), "utf8"),
    "faulter.ts": readFileSync(join(dir, "faulter.ts"), "utf8"),
  };
  return { cwd, dir, pristine };
}

/** Bytes that are not valid UTF-8 and a CRLF: a restore must give back exactly these. */
const EDIT = Buffer.concat([Buffer.from("// my work\r\nconst x = 1;\r\n"), Buffer.from([0xff, 0xfe, 0x00, 0x0a])]);

describe("sel4tut reset", () => {
  it("without --yes and without a terminal: exit 2, says how, changes nothing", () => {
    const { cwd, dir } = exercise();
    writeFileSync(join(dir, "handler.ts"), EDIT);
    const before = snapshot(cwd);
    const r = sel4tut(["reset"], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      "sel4tut: reset would replace handler.ts (keeping a copy in .sel4tut/history first); without a terminal to ask on, " +
        "it needs --yes to go ahead: sel4tut reset --yes. Nothing was changed.\n",
    );
    expect(snapshot(cwd)).toEqual(before);
    expect(existsSync(join(dir, ".sel4tut/history"))).toBe(false);
  });

  it("snapshots the edited files, then writes the current task's start code", () => {
    const { dir, pristine } = exercise();
    writeFileSync(join(dir, "handler.ts"), EDIT);
    rmSync(join(dir, "faulter.ts"));
    const r = sel4tut(["reset", "--yes"], dir);
    expect(r.status).toBe(0);
    const snap = join(dir, ".sel4tut/history/1");
    expect(r.stdout).toBe(
      `Kept your previous faulter.ts and handler.ts in ${snap} (snapshot 1).\n` +
        "Reset faulter.ts and handler.ts to the start of task fault-badge (Badge the fault endpoint).\nUndo with: sel4tut restore\n",
    );
    expect(readFileSync(join(dir, "handler.ts"), "utf8")).toBe(pristine["handler.ts"]);
    expect(readFileSync(join(dir, "faulter.ts"), "utf8")).toBe(pristine["faulter.ts"]);
    expect(readFileSync(join(snap, "files/handler.ts")).equals(EDIT)).toBe(true);
    expect(JSON.parse(readFileSync(join(snap, "snapshot.json"), "utf8"))).toEqual({
      schemaVersion: 1,
      command: "reset",
      task: "fault-badge",
      files: [
        { path: "faulter.ts", existed: false },
        { path: "handler.ts", existed: true },
      ],
    });
    // Already the start code: nothing to do, no snapshot.
    const again = sel4tut(["reset"], dir);
    expect(again.status).toBe(0);
    expect(again.stdout).toContain("Nothing to reset");
    expect(existsSync(join(dir, ".sel4tut/history/2"))).toBe(false);
  });

  it("renders the current task, not the one the exercise was made at", () => {
    const { dir } = exercise();
    const progressFile = join(dir, ".sel4tut/progress.json");
    const progress = JSON.parse(readFileSync(progressFile, "utf8"));
    writeFileSync(progressFile, JSON.stringify({ ...progress, currentTask: "fault-resume" }));
    expect(sel4tut(["reset", "--yes", "handler.ts"], dir).stdout).toContain(
      "Reset handler.ts to the start of task fault-resume",
    );
    const other = tempDir();
    expect(sel4tut(["init", "--tut", "fault-handlers", "--task", "fault-resume"], other).status).toBe(0);
    expect(readFileSync(join(dir, "handler.ts"), "utf8")).toBe(
      readFileSync(join(other, "fault-handlers/handler.ts"), "utf8"),
    );
  });

  it("takes file names from the exercise or its build directory; refuses others (exit 2)", () => {
    const { dir, pristine } = exercise();
    writeFileSync(join(dir, "faulter.ts"), EDIT);
    expect(sel4tut(["reset", "--yes", "faulter.ts"], `${dir}_build`).status).toBe(0);
    expect(readFileSync(join(dir, "faulter.ts"), "utf8")).toBe(pristine["faulter.ts"]);
    const r = sel4tut(["reset", "--yes", "notes.ts"], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe(
      'sel4tut: "notes.ts" is not a file this tutorial gives you; reset can restore faulter.ts, handler.ts\n',
    );
  });
});

describe("sel4tut restore", () => {
  it("brings the edits back byte for byte, and is itself undone by another restore", () => {
    const { dir, pristine } = exercise();
    writeFileSync(join(dir, "handler.ts"), EDIT);
    rmSync(join(dir, "faulter.ts"));
    expect(sel4tut(["reset", "--yes"], dir).status).toBe(0);

    const r = sel4tut(["restore", "--yes"], dir);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain(
      `Kept your previous faulter.ts and handler.ts in ${join(dir, ".sel4tut/history/2")} (snapshot 2).`,
    );
    expect(r.stdout).toContain("Restored faulter.ts and handler.ts from snapshot 1.");
    expect(readFileSync(join(dir, "handler.ts")).equals(EDIT)).toBe(true);
    expect(existsSync(join(dir, "faulter.ts"))).toBe(false);

    expect(sel4tut(["restore", "--yes"], dir).stdout).toContain("from snapshot 2.");
    expect(readFileSync(join(dir, "handler.ts"), "utf8")).toBe(pristine["handler.ts"]);
    expect(readFileSync(join(dir, "faulter.ts"), "utf8")).toBe(pristine["faulter.ts"]);

    const list = sel4tut(["restore", "--list"], dir);
    expect(list.status).toBe(0);
    expect(list.stdout).toBe(
      [
        `Snapshots in ${join(dir, ".sel4tut/history")}, oldest first:`,
        "    1  before reset to the start of fault-badge: faulter.ts (did not exist), handler.ts",
        "    2  before restore of snapshot 1: faulter.ts, handler.ts",
        "    3  before restore of snapshot 2: faulter.ts (did not exist), handler.ts",
        "sel4tut restore puts back snapshot 3; sel4tut restore N puts back snapshot N.",
        "",
      ].join("\n"),
    );
  });

  it("without --yes and without a terminal: exit 2 and nothing changes", () => {
    const { cwd, dir } = exercise();
    writeFileSync(join(dir, "handler.ts"), EDIT);
    expect(sel4tut(["reset", "--yes"], dir).status).toBe(0);
    const before = snapshot(cwd);
    const r = sel4tut(["restore"], dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      "without a terminal to ask on, it needs --yes to go ahead: sel4tut restore --yes. Nothing was changed.",
    );
    expect(snapshot(cwd)).toEqual(before);
  });

  it("with no snapshot, or an unknown one: a usage error", () => {
    const { dir } = exercise();
    expect(sel4tut(["restore", "--list"], dir).stdout).toContain("No snapshots yet.");
    const none = sel4tut(["restore", "--yes"], dir);
    expect(none.status).toBe(2);
    expect(none.stderr).toContain("there is nothing to restore");
    writeFileSync(join(dir, "handler.ts"), EDIT);
    sel4tut(["reset", "--yes"], dir);
    const unknown = sel4tut(["restore", "7", "--yes"], dir);
    expect(unknown.status).toBe(2);
    expect(unknown.stderr).toBe('sel4tut: there is no snapshot "7" (snapshots: 1; see sel4tut restore --list)\n');
  });
});

// A real terminal through script(1), where it exists: the question is asked and the answer obeyed.
const hasScript = spawnSync("script", ["--version"]).status === 0;
describe.skipIf(!hasScript)("confirmation on a terminal", () => {
  function onTerminal(args: string, cwd: string, answer: string): { status: number | null; out: string } {
    const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
    delete env.CI;
    const r = spawnSync(
      "script",
      ["-qec", `${JSON.stringify(process.execPath)} ${JSON.stringify(BIN)} ${args}`, "/dev/null"],
      { cwd, env, input: answer, encoding: "utf8", timeout: 60_000 },
    );
    return { status: r.status, out: r.stdout };
  }

  it("asks; no keeps everything (exit 1), yes resets", () => {
    const { dir, pristine } = exercise();
    writeFileSync(join(dir, "handler.ts"), EDIT);
    const no = onTerminal("reset", dir, "n\n");
    expect(no.out).toContain(
      "Reset handler.ts to the start of task fault-badge (Badge the fault endpoint)? Your current version is kept in .sel4tut/history first. [y/N]",
    );
    expect(no.out).toContain("reset cancelled: nothing was changed");
    expect(no.status).toBe(1);
    expect(readFileSync(join(dir, "handler.ts")).equals(EDIT)).toBe(true);
    const yes = onTerminal("reset", dir, "y\n");
    expect(yes.status).toBe(0);
    expect(readFileSync(join(dir, "handler.ts"), "utf8")).toBe(pristine["handler.ts"]);
  });
});
