// Learner code that does not compile: the build says where and why, exits 1 and runs nothing.
import { describe, expect, it } from "vitest";
import { atStartOfMain, beforeMain, edit, freshExercise, runCase } from "./helpers.js";

describe("code that does not build", () => {
  it("a syntax error: file:line:column, the TypeScript error, a code frame; nothing runs", async () => {
    const ex = freshExercise();
    atStartOfMain(ex, "handler.ts", "  const = 5;");
    const r = await runCase(ex, ["run"], 1);
    expect(r.stderr).toContain("Build failed for the master configuration");
    expect(r.stderr).toMatch(/handler\.ts:\d+:\d+ - error TS1134: Variable declaration expected\./);
    expect(r.stderr).toContain(">");
    expect(r.stdout).toBe("");
  });

  it("a type error: the same on check, which exits 1 without checking anything", async () => {
    const ex = freshExercise();
    edit(ex, "handler.ts", "let error = 0;", 'let error: number = "zero";');
    const r = await runCase(ex, ["check"], 1);
    expect(r.stdout).toMatch(/handler\.ts:\d+:7 - error TS2322: Type 'string' is not assignable to type 'number'\./);
    expect(r.stdout).not.toContain("Checking");
  });

  it("an API of the other configuration: seL4_Reply does not exist on MCS, and the note says what to use", async () => {
    const ex = freshExercise();
    edit(
      ex,
      "handler.ts",
      /if \(CONFIG_KERNEL_MCS\) \{\n\s+seL4_Send\(reply, seL4_MessageInfo_new\(0, 0, 0, 0\)\);\n\s+\} else \{\n\s+seL4_Reply\(seL4_MessageInfo_new\(0, 0, 0, 0\)\);\n\s+\}\n\s+printf\(PROGNAME \+ "Successfully resumed/,
      'seL4_Reply(seL4_MessageInfo_new(0, 0, 0, 0));\n  printf(PROGNAME + "Successfully resumed',
    );
    const r = await runCase(ex, ["check", "--mcs"], 1);
    expect(r.stdout).toContain("Build failed for the mcs configuration");
    expect(r.stdout).toMatch(/error TS2305: Module '"sel4"' has no exported member 'seL4_Reply'/);
    expect(r.stdout).toMatch(/note: seL4_Reply does not exist on the mcs configuration/);
  });

  it("async and await: refused at the keyword, since a seL4 thread never returns to an event loop to resume them", async () => {
    const ex = freshExercise();
    beforeMain(ex, "handler.ts", "async function later(): Promise<number> {\n  return await Promise.resolve(1);\n}");
    atStartOfMain(ex, "handler.ts", "  void later();");
    const r = await runCase(ex, ["run"], 1);
    expect(r.stderr).toMatch(
      /handler\.ts:\d+:1 - error: An async function cannot be used here: a seL4 thread runs synchronously and never returns to an event loop, so it would never resume\./,
    );
    expect(r.stderr).toMatch(/handler\.ts:\d+:10 - error: await cannot be used here/);
    expect(r.stderr).toMatch(/> +\d+ \| async function later/);
    expect(r.stdout).toBe("");
  });

  it("a promise's then(): refused at the method, since its callback would never run; other then() methods are fine", async () => {
    const ex = freshExercise();
    beforeMain(ex, "handler.ts", "const steps = { then(f: () => void): void { f(); } };");
    atStartOfMain(
      ex,
      "handler.ts",
      '  steps.then(() => printf("not a promise\\n"));\n  Promise.resolve(1).then((v) => printf("%d\\n", v));',
    );
    const r = await runCase(ex, ["run"], 1);
    expect(r.stderr).toMatch(
      /handler\.ts:\d+:22 - error: A promise's then\(\) callback cannot be used here: .* so it would never run\./,
    );
    expect(r.stderr).toContain("(1 error)");
  });
});
