import { describe, expect, it } from "vitest";
import { expectCompletion } from "../../src/check/engine.js";
import type { RunSummary } from "../../src/check/explain.js";
import type { TraceRecord } from "../../src/machine/trace-lines.js";

const OUT = [
  "Handler: Handler thread running!",
  "Faulter: Running. About to send empty slot CPtr to handler.",
  "Handler: Fault occured at cap addr 3 within faulter's cspace.",
  "Faulter: Finished execution.",
  "",
].join("\n");
const deadlock: RunSummary = { outcome: "deadlock", report: "tcb_faulter: blocked on reply", virtualTimeNs: 4_000_000 };
/** The kernel's event for a master fault whose handler CPtr (0) did not resolve. */
const doubleFault: TraceRecord = {
  kind: "fault",
  time: 1000,
  thread: "tcb_faulter",
  fault: "seL4_Fault_VMFault",
  description: "vm fault on data at address 0x1000 with status 0x6",
  mrs: [],
  handler: { resolved: "at-fault", cptr: "0x0", cap: null },
  delivered: false,
  handlerFault: "cap fault in send phase at address 0",
  cause: { kind: "lookup", failure: { type: "MissingCapability", bitsLeft: 64 } },
};

describe("expect engine (./check semantics)", () => {
  it("matches the lines in order, each a regular expression", () => {
    const r = expectCompletion(OUT, { text: "thread running!\ncap addr [0-9]+ within", failureTexts: [] });
    expect(r.ok).toBe(true);
    expect(r.lines.map((l) => [l.status, l.line])).toEqual([
      ["matched", 1],
      ["matched", 3],
      ["matched", 3],
    ]);
  });

  it("consumes the output: a line before the previous match does not count", () => {
    const r = expectCompletion(OUT, { text: "Finished execution\nthread running", failureTexts: [] });
    expect(r.ok).toBe(false);
    expect(r.lines.map((l) => l.status)).toEqual(["matched", "missing", "not-reached"]);
    expect(r.reason).toMatch(/^"thread running" never appeared/);
  });

  it("lets an empty piece match at once (texts with a leading newline)", () => {
    expect(expectCompletion(OUT, { text: "\nFaulter: Finished execution.\n", failureTexts: [] }).ok).toBe(true);
  });

  it("reads the output as the official check's terminal does: lines end in \\r\\n, and '.' matches the \\r", () => {
    const out = "main@main.ts:72 [Cond failed: error !== seL4_NoError]\n\tFailed to create endpoints.\n";
    const r = expectCompletion(out, { text: "Failed to create endpoints..", failureTexts: [] });
    expect(r.ok).toBe(true);
    expect(r.lines[0]).toMatchObject({ line: 2, lineText: "\tFailed to create endpoints." });
    // Python's '.' still never matches the line feed itself, nor does it inside a character class.
    expect(expectCompletion("ab\n", { text: "ab...", failureTexts: [] }).ok).toBe(false);
    expect(expectCompletion("a.\n", { text: "a[.]", failureTexts: [] }).ok).toBe(true);
    expect(expectCompletion("ab\n", { text: "a[.]", failureTexts: [] }).ok).toBe(false);
  });

  it("needs the last line to be complete (the official extra \\n pattern)", () => {
    const r = expectCompletion("Faulter: Finished execution.", { text: "Finished execution.", failureTexts: [] });
    expect(r.ok).toBe(false);
    expect(r.lines.at(-1)).toMatchObject({ endOfLine: true, status: "missing" });
  });

  it("does not let 'Handler: Finished execution.' satisfy 'Faulter: Finished execution.'", () => {
    const r = expectCompletion(
      "Handler: Finished execution.\n",
      { text: "Faulter: Finished execution.", failureTexts: [] },
      deadlock,
    );
    expect(r.ok).toBe(false);
    expect(r.reason).toContain("deadlocked");
    expect(r.reason).toContain("tcb_faulter: blocked on reply");
  });

  it("fails on a failure text anywhere, even after the last expected line (tightened)", () => {
    const out =
      "Faulter: About to touch fault vaddr.\nCaught cap fault in send phase at address 0\nwhile trying to handle:\n";
    const r = expectCompletion(
      out,
      { text: "About to touch fault vaddr.", failureTexts: ["while trying to handle:"] },
      { ...deadlock, events: [doubleFault] },
    );
    expect(r.ok).toBe(false);
    expect(r.failureText).toMatchObject({ line: 3 });
    expect(r.reason).toMatch(
      /failure text "while trying to handle:".*tcb_faulter faulted \(vm fault on data at address 0x1000 with status 0x6\) with no usable fault handler.*fault report \("Caught cap fault in send phase at address 0"\)/,
    );
  });

  it("explains an assertion and a time budget", () => {
    const out = "main@handler.ts:40 [Cond failed: error !== 0]\n\tHandler: Failed to mint ep cap with badge!\n";
    const r = expectCompletion(
      out,
      { text: "Successfully copied", failureTexts: [] },
      {
        outcome: "sim-time-limit",
        report: "",
        virtualTimeNs: 10e9,
        events: [{ kind: "exit", how: "aborted", time: 9e9, thread: "tcb_handler", line: "handler.ts:40" }],
      },
    );
    expect(r.reason).toMatch(/ZF_LOGF_IF check failed in tcb_handler at handler\.ts:40 and that thread stopped/);
    expect(r.reason).toMatch(/whole simulated-time budget \(10\.00 s\)/);
  });

  it("explains an uncaught exception", () => {
    const out = 'Uncaught exception in thread "tcb_faulter": Error: boom\n    at main (faulter.ts:28:9)\n';
    const exception: TraceRecord = {
      ...doubleFault,
      fault: "seL4_Fault_UserException",
      description: "user exception 0xd code 0",
      delivered: true,
      line: "faulter.ts:28",
    };
    const r = expectCompletion(out, { text: "Finished", failureTexts: [] }, { ...deadlock, events: [exception] });
    expect(r.reason).toMatch(
      /tcb_faulter did not catch an exception at faulter\.ts:28; the kernel turned it into a user exception fault; the system deadlocked/,
    );
  });

  it("refuses an invalid regular expression, naming it (a tutorial is refused when it loads)", () => {
    expect(() => expectCompletion("a (b\n", { text: "a (b", failureTexts: [] })).toThrow(
      /"a \(b" is not a regular expression sel4tut can match: missing closing \)/,
    );
  });

  it("matches a pattern that would backtrack exponentially in linear time: (a+)+c against 100,000 a's", () => {
    // A backtracking engine would not finish this in the lifetime of the machine.
    const r = expectCompletion(`${"a".repeat(100_000)}b\n`, { text: "(a+)+c", failureTexts: ["(x+x+)+y"] });
    expect(r.ok).toBe(false);
    expect(r.lines[0]!.status).toBe("missing");
  });
});
