// The progress rule, in-process: a pass is recorded for the task and kernel it was checked on, the
// task moves on once it has passed on every kernel of the tutorial (exactly once, however many
// processes saw it complete), and a lock left behind by a crashed process is taken over.
import { mkdirSync, mkdtempSync, readFileSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import lockfile from "proper-lockfile";
import { describe, expect, it } from "vitest";
import { advanceProgress, recordPass, type ProgressScope } from "../../src/app/progress.js";
import { BUILTIN_TUTORIALS_DIR } from "../../src/tutorial/catalogue.js";
import { loadTutorial } from "../../src/tutorial/schema.js";

const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, "fault-handlers"));
const [first, second] = tut.tasks.map((t) => t.name) as [string, string];

function scope(): ProgressScope {
  return { dir: mkdtempSync(join(tmpdir(), "sel4tut-progress-")), tut, firstTask: first };
}

const onDisk = (s: ProgressScope) => JSON.parse(readFileSync(join(s.dir, ".sel4tut", "progress.json"), "utf8"));

describe("progress", () => {
  it("a pass on one kernel keeps the task current; the pass on the other completes it", async () => {
    const s = scope();
    const master = await recordPass(s, first, "master");
    expect(master.missing).toEqual(["mcs"]);
    expect(master.complete).toBe(false);
    expect(onDisk(s).currentTask).toBe(first);
    const mcs = await recordPass(s, first, "mcs");
    expect(mcs).toMatchObject({ missing: [], complete: true });
    const advanced = await advanceProgress(s, first);
    expect(advanced).toMatchObject({ from: first, to: second, moved: true });
    expect(onDisk(s)).toMatchObject({ currentTask: second, passed: { [first]: { master: true, mcs: true } } });
  });

  it("a task passed out of order is recorded but does not move the current task", async () => {
    const s = scope();
    await recordPass(s, second, "master");
    const r = await recordPass(s, second, "mcs");
    expect(r.complete).toBe(false);
    expect(onDisk(s).currentTask).toBe(first);
  });

  it("every one of many passes recorded at once lands; of two advances from one task, one moves", async () => {
    const s = scope();
    await Promise.all(tut.tasks.flatMap((t) => tut.configs.map((c) => recordPass(s, t.name, c))));
    const passed = Object.fromEntries(tut.tasks.map((t) => [t.name, { master: true, mcs: true }]));
    expect(onDisk(s).passed).toEqual(passed);
    const both = await Promise.all([advanceProgress(s, first), advanceProgress(s, first)]);
    expect(both.map((a) => a.moved).sort()).toEqual([false, true]);
    expect(onDisk(s).currentTask).toBe(second);
  });

  it("waits for a lock another process holds, then changes the progress after it", async () => {
    const s = scope();
    const file = join(s.dir, ".sel4tut", "progress.json");
    mkdirSync(join(s.dir, ".sel4tut"));
    const release = await lockfile.lock(file, { realpath: false });
    let done = false;
    const recording = recordPass(s, first, "master").then(() => (done = true));
    // However slow the machine, a correct lock keeps the pass waiting; this only gives it a chance to misbehave.
    await new Promise((r) => setTimeout(r, 200));
    expect(done).toBe(false);
    await release();
    await recording;
    expect(onDisk(s).passed).toEqual({ [first]: { master: true } });
  });

  it("takes over a lock left by a process that died holding it", async () => {
    const s = scope();
    const lockDir = join(s.dir, ".sel4tut", "progress.json.lock");
    mkdirSync(lockDir, { recursive: true });
    const longAgo = new Date(Date.now() - 60_000);
    utimesSync(lockDir, longAgo, longAgo);
    await recordPass(s, first, "mcs");
    expect(onDisk(s).passed).toEqual({ [first]: { mcs: true } });
  });
});
