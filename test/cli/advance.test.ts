// A learner working through fault-handlers by editing handler.ts as a person would: each task
// that passes on both kernels brings the next task's start code into the file, merged with the
// learner's own edits (their solutions, which differ from the official ones, and a comment of
// their own); an edit where the next task's code goes is a conflict that loses nothing.
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { sel4tutAsync, tempDir, type CliResult } from "./helpers.js";

const MY_COMMENT = "  // my note: the kernel sends faults to whatever endpoint the TCB names";

/** What the learner does for each task, as text edits of handler.ts (not the official solution). */
const SOLVE: Record<string, (text: string) => string> = {
  "fault-badge": (t) =>
    edit(
      t,
      "handler_cspace_root, -1, seL4_WordBits,",
      "handler_cspace_root, faulter_fault_ep_cap, seL4_WordBits,",
    ).replace("  let error = 0;\n", `  let error = 0;\n${MY_COMMENT}\n`),
  "fault-ep-setup": (t) =>
    edit(
      t,
      "    faulter_tcb_cap, 0,\n",
      "    faulter_tcb_cap, CONFIG_KERNEL_MCS ? badged_faulter_fault_ep_cap : foreign_badged_faulter_empty_slot_cap,\n",
    ),
  "fault-ipc-recv": (t) =>
    edit(
      t,
      "const foreign_faulter_capfault_cap = seL4_GetMR(0);",
      "const foreign_faulter_capfault_cap = seL4_GetMR(seL4_CapFault_Addr);",
    ),
  "fault-handle": (t) =>
    edit(
      t,
      "faulter_cspace_root, -1, seL4_WordBits,",
      "faulter_cspace_root, foreign_faulter_capfault_cap, seL4_WordBits,",
    ),
  "fault-resume": (t) =>
    edit(
      t,
      "  // TODO fault-resume: reply to the fault message so that the kernel restarts the faulter.\n",
      "  if (CONFIG_KERNEL_MCS) seL4_Send(reply, seL4_MessageInfo_new(0, 0, 0, 0));\n  else seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));\n",
    ),
};
const TASKS = Object.keys(SOLVE);

function edit(text: string, from: string, to: string): string {
  expect(text.split(from).length - 1, `exactly one "${from.trim()}"`).toBe(1);
  return text.replace(from, to);
}

function ok(r: CliResult, what: string): CliResult {
  expect(r.status, `${what}:\n${r.stdout}\n${r.stderr}`).toBe(0);
  return r;
}

describe("advancing keeps the learner's work and brings the next task's code", () => {
  it("replays a learner through all five tasks on both kernels", { timeout: 900_000 }, async () => {
    const cwd = tempDir();
    ok(await sel4tutAsync(["init", "--tut", "fault-handlers"], cwd), "init");
    const dir = join(cwd, "fault-handlers");
    const file = join(dir, "handler.ts");
    const done: string[] = [];
    for (const [i, task] of TASKS.entries()) {
      const before = readFileSync(file, "utf8");
      // The task's start code is in the file, with everything the learner wrote for earlier tasks.
      expect(before).toContain(task === "fault-ipc-recv" ? "Message register 0 holds something else." : `TODO ${task}`);
      if (i > 0) expect(before).toContain(MY_COMMENT);
      if (done.includes("fault-ep-setup")) expect(before).toContain("CONFIG_KERNEL_MCS ? badged_faulter_fault_ep_cap");
      for (const later of TASKS.slice(i + 1)) expect(before).not.toContain(`TODO ${later}`);

      writeFileSync(file, SOLVE[task]!(before));
      const master = ok(await sel4tutAsync(["check", "--quiet"], dir), `${task} on master`);
      expect(master.stdout).toContain(`Success! ${task} passes on master.`);
      const mcs = ok(await sel4tutAsync(["check", "--mcs", "--quiet"], dir), `${task} on mcs`);
      expect(mcs.stdout).toContain(`Success! ${task} passes on mcs.`);
      done.push(task);
      const next = TASKS[i + 1];
      if (next) {
        expect(mcs.stdout).toContain(`handler.ts now holds ${next}'s start code, merged with your own edits`);
        expect(mcs.stdout).toMatch(/sel4tut restore \d+ puts them back/);
      } else {
        expect(mcs.stdout).toContain("That was the last task of this tutorial.");
      }
    }
    const final = readFileSync(file, "utf8");
    expect(final).toContain(MY_COMMENT);
    expect(final).toContain("else seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));");
    expect(final).not.toMatch(/<<<<<<<|>>>>>>>/);
    const progress = JSON.parse(readFileSync(join(dir, ".sel4tut", "progress.json"), "utf8"));
    expect(Object.keys(progress.passed)).toEqual(TASKS);
    // The merges are undoable: one snapshot per advance.
    const restoreList = ok(await sel4tutAsync(["restore", "--list"], dir), "restore --list");
    expect(restoreList.stdout.match(/after a passed check/g)).toHaveLength(TASKS.length - 1);
  });

  it(
    "a learner's edit where the next task's code goes: nothing is lost, the conflict is shown, next writes it with markers to a copy",
    { timeout: 600_000 },
    async () => {
      const cwd = tempDir();
      ok(await sel4tutAsync(["init", "--tut", "fault-handlers", "--task", "fault-handle"], cwd), "init");
      const dir = join(cwd, "fault-handlers");
      const file = join(dir, "handler.ts");
      const mine = SOLVE["fault-handle"]!(readFileSync(file, "utf8")).replace(
        "  return 0;\n}",
        '  printf(PROGNAME + "my own last words\\n");\n  return 0;\n}',
      );
      writeFileSync(file, mine);
      ok(await sel4tutAsync(["check", "--quiet"], dir), "master");
      const mcs = ok(await sel4tutAsync(["check", "--mcs", "--quiet"], dir), "mcs");
      expect(mcs.stdout).toContain(
        "handler.ts: fault-resume's start code and your edits change the same lines, so handler.ts was left as it is:",
      );
      expect(mcs.stdout).toContain('  |   printf(PROGNAME + "my own last words\\n");');
      expect(mcs.stdout).toContain(
        "  |   // TODO fault-resume: reply to the fault message so that the kernel restarts the faulter.",
      );
      expect(mcs.stdout).toContain("sel4tut next writes the merge with conflict markers to handler.ts.merge");
      expect(readFileSync(file, "utf8")).toBe(mine);

      const next = ok(await sel4tutAsync(["next"], dir), "next");
      expect(next.stdout).toContain("is in handler.ts.merge; your handler.ts is unchanged.");
      expect(readFileSync(file, "utf8")).toBe(mine);
      const copy = readFileSync(join(dir, "handler.ts.merge"), "utf8");
      expect(copy).toMatch(
        /<<<<<<< yours \(handler\.ts\)\n {2}printf\(PROGNAME \+ "my own last words\\n"\);\n\|\|\|\|\|\|\| fault-handle solved\n=======\n {2}\/\/ TODO fault-resume/,
      );
      expect(copy).toContain(">>>>>>> fault-resume start");
      expect(copy).toContain("faulter_cspace_root, foreign_faulter_capfault_cap, seL4_WordBits,");
      expect(JSON.parse(readFileSync(join(dir, ".sel4tut", "progress.json"), "utf8")).currentTask).toBe("fault-resume");
    },
  );

  it(
    "init --keep-files keeps the official behaviour: a pass moves on and leaves the files as they are",
    { timeout: 600_000 },
    async () => {
      const cwd = tempDir();
      ok(
        await sel4tutAsync(["init", "--tut", "fault-handlers", "--task", "fault-handle", "--keep-files"], cwd),
        "init",
      );
      const dir = join(cwd, "fault-handlers");
      const file = join(dir, "handler.ts");
      const mine = SOLVE["fault-handle"]!(readFileSync(file, "utf8"));
      writeFileSync(file, mine);
      ok(await sel4tutAsync(["check", "--quiet"], dir), "master");
      const mcs = ok(await sel4tutAsync(["check", "--mcs", "--quiet"], dir), "mcs");
      expect(mcs.stdout).toContain(
        "Your files are as you left them; sel4tut next merges fault-resume's start code into them when you want it.",
      );
      expect(readFileSync(file, "utf8")).toBe(mine);
      expect(existsSync(join(dir, ".sel4tut", "history"))).toBe(false);
    },
  );
});
