// Learner code that tries the corners of the language or the loader: each ends as a learner error
// (a build error, or an exception at the learner's line that the kernel sees as a fault), never
// as sel4tut's internal error (exit 70), and reads nothing of the host.
import { describe, expect, it } from "vitest";
import { atStartOfMain, beforeMain, freshExercise, noProcessLeft, runCase } from "./helpers.js";

describe("learner code at the edges of the loader", () => {
  it("import.meta behind @ts-ignore: a build error at its place, exit 1", async () => {
    const ex = freshExercise();
    atStartOfMain(ex, "faulter.ts", "  // @ts-ignore\n  printf(String(import.meta.url));");
    const r = await runCase(ex, ["run"], 1);
    expect(r.all).toMatch(
      /faulter\.ts:13:\d+ - error: import\.meta cannot be used here: a seL4 thread's program is not a module on the host/,
    );
  });

  it("a throwing Error.prepareStackTrace set by learner code is not the machine's: the exception is reported with its stack, exit 0", async () => {
    const ex = freshExercise();
    atStartOfMain(
      ex,
      "faulter.ts",
      '  (Error as unknown as { prepareStackTrace: unknown }).prepareStackTrace = () => { throw new Error("no"); };\n  throw new Error("boom");',
    );
    const r = await runCase(ex, ["run"], 0);
    expect(r.stdout).toContain(
      'Uncaught exception in thread "tcb_faulter": Error: boom\n    at main (faulter.ts:13:9)\n',
    );
    expect(r.stdout).toContain("user exception 0xd code 0");
    noProcessLeft(ex.root);
  });

  it("a relative require that climbs out of the program: refused, and nothing of the file shown", async () => {
    const ex = freshExercise();
    beforeMain(ex, "faulter.ts", "declare const require: (spec: string) => unknown;");
    atStartOfMain(ex, "faulter.ts", '  require("./../../../../../../../../../../etc/passwd");');
    const r = await runCase(ex, ["run"], 0);
    expect(r.stdout).toMatch(
      /Uncaught exception in thread "tcb_faulter": Error: Cannot import "\.\/(\.\.\/)+etc\/passwd": it is outside your program's files\n {4}at main \(faulter\.ts:\d+:\d+\)/,
    );
    expect(r.all).not.toContain("root:");
    expect(r.all).not.toContain("/etc/passwd:");
  });
});
