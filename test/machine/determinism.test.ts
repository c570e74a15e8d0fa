// Same sources, same configuration: byte-identical output, however the host schedules workers.
import { describe, expect, it } from "vitest";
import { runLearnerSystem, type SystemDef } from "./harness.js";

/** Prints between stretches of counted work long enough for the 10 ms timeslice to cut in. */
const printer = (name: string) => `import { printf } from "sel4";
export function main(): number {
  for (let i = 0; i < 6; i++) {
    let x = 0;
    for (let j = 0; j < 30000; j++) x += j % 7;
    printf("${name} %d %d\\n", i, x);
  }
  return 0;
}`;

const SYSTEM: SystemDef = {
  config: "master",
  objects: { ep: "Endpoint" },
  simTimeLimitNs: 1e9,
  threads: [
    { name: "a", source: printer("a") },
    { name: "b", source: printer("b") },
    { name: "c", source: printer("c") },
    {
      name: "server",
      caps: [{ slot: 1, object: "ep" }],
      source: `import { seL4_Recv, seL4_ReplyRecv, seL4_GetMR, seL4_SetMR, seL4_MessageInfo_new, printf } from "sel4";
export function main(): number {
  seL4_Recv(1);
  for (;;) { printf("server %d\\n", seL4_GetMR(0)); seL4_SetMR(0, seL4_GetMR(0) + 1); seL4_ReplyRecv(1, seL4_MessageInfo_new(0, 0, 0, 1)); }
}`,
    },
    {
      name: "client",
      caps: [{ slot: 1, object: "ep" }],
      source: `import { seL4_Call, seL4_GetMR, seL4_SetMR, seL4_MessageInfo_new } from "sel4";
export function main(): number {
  for (let i = 0; i < 40; i++) { seL4_SetMR(0, i * 10); seL4_Call(1, seL4_MessageInfo_new(0, 0, 0, 1)); for (let j = 0; j < 2000; j++); }
  return 0;
}`,
    },
  ],
};

describe("determinism", () => {
  it("gives byte-identical output over 20 runs", async () => {
    const first = await runLearnerSystem(SYSTEM);
    // The timer really interleaved the printers, so there was something to get wrong.
    const at = (line: string) => first.output.indexOf(line);
    expect(at("b 0 ")).toBeLessThan(at("a 5 "));
    expect(at("a 0 ")).toBeLessThan(at("b 5 "));
    expect(first.output).toMatch(/server 390\n/);
    for (let run = 1; run < 20; run++) {
      const again = await runLearnerSystem(SYSTEM);
      expect(again.output).toBe(first.output);
      expect(again.virtualTimeNs).toBe(first.virtualTimeNs);
      expect(again.outcome).toBe(first.outcome);
    }
  }, 300_000);
});
