// `run --trace` and `check --trace=json` through the real command line (the events themselves are
// tested in process, test/app/trace.test.ts): the kernel's events interleaved with the program's
// output, and, for tools, in the --json stream as `kernel` events, one JSON object per line.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { freshExercise, sel4tutAsync } from "../reliability/helpers.js";

describe("--trace on the command line", () => {
  const ex = freshExercise();

  it("run --trace --mcs: trace lines between the output, caps named as the exercise names them", async () => {
    const r = await sel4tutAsync(["run", "--trace", "--mcs"], ex.dir);
    expect(r.status, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    const setSpace = lines.findIndex((l) => l.includes("TCBSetSpace on Thread tcb_faulter"));
    expect(setSpace).toBeGreaterThan(0);
    expect(lines.slice(0, setSpace).join("\n")).toMatch(
      /^» [\d.]+ ms tcb_handler handler\.ts:\d+ {2}cap Endpoint faulter_fault_ep badge 0xbeef into tcb_faulter\[3\] \(tcbFaultHandler\)$/m,
    );
    expect(r.stdout).toContain("Faulter: Finished execution.\n");
    // No colour when standard output is not a terminal.
    expect(r.stdout).not.toContain("\x1b[");
  });

  it("check --trace=json: every line is JSON; kernel events come between the output lines", async () => {
    const r = await sel4tutAsync(["check", "--trace=json"], ex.dir);
    expect(r.status, r.stderr).toBe(0);
    const events = r.stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { event: string; kind?: string; fault?: string; handler?: unknown });
    expect(events[0]!.event).toBe("start");
    expect(events.at(-1)).toMatchObject({ event: "end", ok: true });
    const fault = events.find((e) => e.event === "kernel" && e.kind === "fault");
    expect(fault).toMatchObject({
      fault: "seL4_Fault_CapFault",
      // The CPtr the handler passed to SetSpace, named as the faulter (in whose CSpace it is looked up) names it.
      handler: { resolved: "at-fault", cptrName: "local_badged_faulter_fault_ep_empty_cap" },
    });
    const kinds = new Set(events.filter((e) => e.event === "kernel").map((e) => e.kind));
    expect([...kinds].sort()).toEqual([
      "cap",
      "exit",
      "fault",
      "invocation",
      "reply",
      "state",
      "switch",
      "syscall",
      "transfer",
    ]);
    expect(events.findIndex((e) => e.event === "output")).toBeLessThan(events.indexOf(fault!));
  });

  it("sel4tut trace --html FILE: one self-contained page (its rendering is tested in a browser, test/browser)", async () => {
    const file = join(ex.root, "trace.html");
    const r = await sel4tutAsync(["trace", "--html", file], ex.dir);
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^wrote .*trace\.html \(\d+ kernel events\): open it in a browser\n$/);
    const html = readFileSync(file, "utf8");
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).toContain('"kind":"fault"');
  });

  it("an unknown format is a usage error", async () => {
    const r = await sel4tutAsync(["run", "--trace=xml"], ex.dir);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('unknown trace format "xml" (formats: text, json)');
  });
});
