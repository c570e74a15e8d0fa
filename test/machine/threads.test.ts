// What learner code sees inside its thread: its own files, the sel4 module and nothing else,
// console output in program order, and errors that point at its own lines.
import { describe, expect, it } from "vitest";
import { runLearnerSystem } from "./harness.js";

describe("learner code in a thread", () => {
  it("imports its own files, and console.log prints in order with printf", async () => {
    const r = await runLearnerSystem({
      config: "master",
      files: { "util.ts": `export function twice(n: number): number { return 2 * n; }\n` },
      threads: [{
        name: "main",
        source: `import { printf } from "sel4";
import { twice } from "./util";
declare const console: { log(...args: unknown[]): void };
export function main(): number {
  printf("printf %d\\n", twice(21));
  console.log("console", { x: 1 });
  printf("after\\n");
  return 0;
}`,
      }],
    });
    expect(r.output).toBe("printf 42\nconsole { x: 1 }\nafter\n");
    expect(r.outcome).toBe("finished");
  });

  it("cannot import anything but sel4 and its own files", async () => {
    const r = await runLearnerSystem({
      config: "master",
      threads: [{ name: "sneaky", source: `// @ts-ignore: not a module a thread may import\nimport { readFileSync } from "fs";\nexport function main(): number { readFileSync("/etc/passwd"); return 0; }` }],
    });
    expect(r.output).toMatch(/Uncaught exception in thread "tcb_sneaky": Error: Cannot import "fs" in a seL4 thread: only "sel4" and your own files/);
  });

  it("ZF_LOGF_IF prints the C macro's line with the .ts call site and stops the thread", async () => {
    const r = await runLearnerSystem({
      config: "master",
      threads: [{
        name: "handler",
        source: `import { ZF_LOGF_IF, printf } from "sel4";
export function main(): number {
  const error: number = 2;
  ZF_LOGF_IF(error !== 0, "Handler: Failed to mint ep cap with badge!");
  printf("not reached\\n");
  return 0;
}`,
      }],
    });
    expect(r.output).toBe("main@handler.ts:4 [Cond failed: error !== 0]\n\tHandler: Failed to mint ep cap with badge!\n");
    expect(r.outcome).toBe("finished");
  });

  it("a call of the other configuration's API names it and the learner's line", async () => {
    const r = await runLearnerSystem({
      config: "mcs",
      threads: [{
        name: "server",
        source: `import * as sel4 from "sel4";
export function main(): number {
  const api = sel4 as unknown as { seL4_Reply(info: sel4.seL4_MessageInfo_t): void };
  api.seL4_Reply(sel4.seL4_MessageInfo_new(0, 0, 0, 0));
  return 0;
}`,
      }],
    });
    expect(r.output).toMatch(
      /^Uncaught exception in thread "tcb_server": seL4ConfigError: seL4_Reply: does not exist on the MCS kernel; reply by sending on the reply object, seL4_Send\(reply, info\), or use seL4_ReplyRecv\(src, info, reply\) \(at src\/server\.ts:4\)\n {4}at main \(src\/server\.ts:4:7\)/,
    );
  });
});
