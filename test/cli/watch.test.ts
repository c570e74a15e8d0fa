// sel4tut watch through the real command line: a first check at once, a re-run after each save
// (a syntax error, then the solution), keys on standard input (h, q), Ctrl-C, and afterwards a
// clean exit 0, no process left and no learner file written by watch. --poll makes noticing a
// save independent of the file system's events.
import { copyFileSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { changedSources, pollingNeeded } from "../../src/app/watch-files.js";
import {
  atStartOfMain,
  freshExercise,
  hashLearnerFiles,
  importFromSel4,
  leftovers,
  startSel4tut,
  type Exercise,
} from "../reliability/helpers.js";

function count(text: string, part: string): number {
  return text.split(part).length - 1;
}

/** Waits until `part` has been printed `times` times. */
async function waitFor(printed: () => string, part: string, times = 1): Promise<void> {
  const deadline = Date.now() + 150_000;
  while (count(printed(), part) < times) {
    if (Date.now() > deadline) throw new Error(`"${part}" not printed ${times} time(s) in:\n${printed()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** Stops watch with `q` or Ctrl-C: it exits 0 and leaves no process behind. */
async function stopsCleanly(w: ReturnType<typeof startSel4tut>, ex: Exercise, how: "q" | "Ctrl-C"): Promise<void> {
  if (how === "q") w.child.stdin!.write("q");
  else w.child.kill("SIGINT");
  const r = await w.done;
  expect(r.status, w.printed()).toBe(0);
  expect(leftovers(w.child.pid!, ex.root)).toEqual([]);
}

const HEADER = "━━━ sel4tut watch: run ";
const WATCHING = "[watch] Watching ";
const NOT_YET = "[watch] Not passing yet";

describe("sel4tut watch", () => {
  it("checks at once, re-checks after each save (build error, then the solution), shows hints and quits on q", async () => {
    const ex = freshExercise(false);
    const solved = freshExercise(true);
    const w = startSel4tut(["watch", "--poll"], ex.dir);
    try {
      // First run: the start code fails fault-badge.
      await waitFor(w.printed, WATCHING);
      expect(w.printed()).toContain(`${HEADER}1, check fault-badge on master (start`);
      expect(w.printed()).toContain("Failure!");
      // A hint is a key press away here, not a command.
      expect(w.printed()).toContain("Stuck? Press h for a hint.");
      expect(w.printed()).not.toContain("Stuck? sel4tut hint");
      expect(w.printed()).toContain(
        `${NOT_YET}: save a .ts file to check fault-badge (Badge the fault endpoint) again.`,
      );

      // A syntax error: the build fails, watch says so and goes on.
      writeFileSync(
        join(ex.dir, "handler.ts"),
        `${readFileSync(join(ex.dir, "handler.ts"), "utf8")}\nlet broken = ;\n`,
      );
      await waitFor(w.printed, WATCHING, 2);
      const second = w.printed().slice(w.printed().indexOf(`${HEADER}2`));
      expect(second).toContain("2, check fault-badge on master (handler.ts changed");
      expect(second).toContain("Build failed for the master configuration (1 error):");
      expect(second).toContain("error TS1109: Expression expected.");
      expect(second).toContain(NOT_YET);

      // h: the hint command's next hint, counted in the progress file as `sel4tut hint` does.
      w.child.stdin!.write("h");
      await waitFor(w.printed, "1/3. The handler owns an unbadged cap");
      await waitFor(w.printed, "Press h again for the next one.");
      expect(w.printed()).not.toContain("Run sel4tut hint again");
      expect(JSON.parse(readFileSync(join(ex.dir, ".sel4tut", "progress.json"), "utf8")).hintsShown).toEqual({
        "fault-badge": 1,
      });

      // The solution: the check passes, records it and names the next task; watching goes on.
      for (const f of ["handler.ts", "faulter.ts"]) copyFileSync(join(solved.dir, f), join(ex.dir, f));
      const written = hashLearnerFiles(ex.dir);
      await waitFor(w.printed, WATCHING, 3);
      const third = w.printed().slice(w.printed().indexOf(`${HEADER}3`));
      expect(third).toMatch(/3, check fault-badge on master \((faulter\.ts, )?handler\.ts/);
      expect(third).toContain("Success! fault-badge passes on master.");
      expect(third).toContain("Also try the other kernel: sel4tut check --mcs");
      expect(third).toContain("[watch] Passed. Save a .ts file to check fault-badge (Badge the fault endpoint) again.");
      const progress = JSON.parse(readFileSync(join(ex.dir, ".sel4tut", "progress.json"), "utf8"));
      expect(progress.currentTask).toBe("fault-badge");
      expect(progress.passed["fault-badge"]).toEqual({ master: true });

      w.child.stdin!.write("q");
      const r = await w.done;
      expect(r.status, w.printed()).toBe(0);
      expect(r.stdout).toContain("[watch] Stopped watching.");
      // Exactly three runs, each finished (its footer printed) before the next began.
      expect(count(r.stdout, HEADER)).toBe(3);
      const order = [...r.stdout.matchAll(/━━━ sel4tut watch: run|\[watch\] Watching /g)].map((m) =>
        m[0].startsWith("━") ? "run" : "watching",
      );
      expect(order).toEqual(["run", "watching", "run", "watching", "run", "watching"]);
      expect(r.stderr).not.toContain("internal error");
      expect(hashLearnerFiles(ex.dir)).toEqual(written);
      expect(leftovers(w.child.pid!, ex.root)).toEqual([]);
    } finally {
      w.child.kill("SIGKILL");
    }
  }, 180_000);

  it("without --poll, file events trigger the run", async () => {
    const ex = freshExercise(false);
    const w = startSel4tut(["watch"], ex.dir);
    try {
      await waitFor(w.printed, WATCHING);
      expect(w.printed()).not.toContain("polling");
      const file = join(ex.dir, "handler.ts");
      const broken = `${readFileSync(file, "utf8")}\nlet broken = ;\n`;
      writeFileSync(file, broken);
      await waitFor(w.printed, WATCHING, 2);
      expect(w.printed()).toContain("error TS1109: Expression expected.");
      await stopsCleanly(w, ex, "q");
      // Which saves make a run (bursts, unchanged content) is the watch loop's: test/app/watch.test.ts.
      expect(count(w.printed(), HEADER), w.printed()).toBe(2);
    } finally {
      w.child.kill("SIGKILL");
    }
  }, 180_000);

  it("a save during a long run queues one run after it (never overlapping); Ctrl-C in a run exits 0 and leaves nothing behind", async () => {
    const ex: Exercise = freshExercise(true);
    importFromSel4(ex, "faulter.ts", "seL4_Yield");
    // Each turn scans a string (real time, little simulated time): the run lasts about two seconds.
    atStartOfMain(
      ex,
      "faulter.ts",
      '  for (let i = 0; ; i++) { seL4_Yield(); if ("ab".repeat(1000).indexOf("c") >= 0) break; if (i % 1000 === 0) printf("waited %d\\n", i); }',
    );
    const w = startSel4tut(["watch", "--poll"], ex.dir);
    try {
      await waitFor(w.printed, "waited 1000\n");
      const handler = join(ex.dir, "handler.ts");
      writeFileSync(handler, `${readFileSync(handler, "utf8")}\n// saved during run 1\n`);
      const before = hashLearnerFiles(ex.dir);
      expect(count(w.printed(), WATCHING), "the save must land while run 1 is going on").toBe(0);
      // Run 1 (it lasts until the simulated-time budget ends it) finishes and is judged first.
      await waitFor(w.printed, "waited 1000\n", 2);
      const out = w.printed();
      expect(count(out, HEADER)).toBe(2);
      expect(out.indexOf(`${HEADER}2, check fault-resume on master (handler.ts changed`)).toBeGreaterThan(
        out.indexOf(NOT_YET),
      );
      expect(out.indexOf(NOT_YET)).toBeGreaterThan(out.indexOf("Checking fault-resume on master"));
      w.child.kill("SIGINT");
      const r = await w.done;
      expect(r.status, w.printed()).toBe(0);
      expect(r.stdout).toContain("[watch] Stopped watching (the run in progress was stopped; it was not judged).");
      expect(count(r.stdout, "Checking fault-resume")).toBe(1);
      expect(w.printed()).not.toContain("internal error");
      expect(JSON.parse(readFileSync(join(ex.dir, ".sel4tut", "progress.json"), "utf8")).passed).toEqual({});
      expect(hashLearnerFiles(ex.dir)).toEqual(before);
      expect(leftovers(w.child.pid!, ex.root)).toEqual([]);
    } finally {
      w.child.kill("SIGKILL");
    }
  }, 180_000);
});

describe("noticing saves", () => {
  it("polls on WSL's Windows drives only", () => {
    expect(pollingNeeded("/mnt/c/Users/me/fault-handlers", {}, "5.15.153.1-microsoft-standard-WSL2")).toMatch(
      /Windows drive seen from WSL/,
    );
    expect(pollingNeeded("/mnt/c/x", { WSL_DISTRO_NAME: "Ubuntu" }, "6.1.0")).not.toBeNull();
    expect(pollingNeeded("/home/me/fault-handlers", {}, "5.15.153.1-microsoft-standard-WSL2")).toBeNull();
    expect(pollingNeeded("/mnt/c/x", {}, "6.8.0-45-generic")).toBeNull();
  });

  it("compares sources by content", () => {
    const a = new Map([
      ["a.ts", "1"],
      ["b.ts", "2"],
    ]);
    expect(changedSources(a, new Map(a))).toEqual([]);
    expect(
      changedSources(
        a,
        new Map([
          ["a.ts", "1"],
          ["b.ts", "3"],
          ["c.ts", ""],
        ]),
      ),
    ).toEqual(["b.ts", "c.ts"]);
    expect(changedSources(a, new Map([["a.ts", "1"]]))).toEqual(["b.ts"]);
    expect(changedSources(null, a)).toEqual(["a.ts", "b.ts"]);
  });
});
