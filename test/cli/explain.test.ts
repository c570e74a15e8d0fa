// sel4tut explain: the facts it prints are the kernel model's (names and numbers from
// src/abi/constants.ts), every topic is reachable, and unknown topics are usage errors.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as C from "../../src/abi/constants.js";
import { errorNumber, type SyscallError } from "../../src/kernel/api/failures.js";
import { EXPLANATIONS } from "../../src/cli/lib/explanations.js";
import { findExplanation, suggestTopic } from "../../src/cli/lib/topics.js";
import { explanationText } from "../../src/cli/commands/explain.js";
import { BUILTIN_TUTORIALS_DIR } from "../../src/tutorial/catalogue.js";
import { loadTutorial, taskIndex } from "../../src/tutorial/schema.js";
import { sel4tut, tempDir } from "./helpers.js";

const cwd = tempDir();
/** What the command prints, computed in this process (the command line itself is tested below). */
const explain = (...topic: string[]) => ({ status: 0, stdout: `${explanationText(topic)}\n` });
const explainCommand = (...topic: string[]) => sel4tut(["explain", ...topic], cwd);
/** The text with its wrapping undone, to find phrases that a line break may split. */
const flat = (text: string) => text.replace(/\s+/g, " ");

describe("sel4tut explain", () => {
  it("suggests a practice command that works as printed, even beside an exercise already started", () => {
    const practise = /sel4tut (init --tut \S+ --task \S+ \S+)/.exec(explainCommand("cap-fault").stdout);
    expect(practise).not.toBeNull();
    const dir = tempDir();
    expect(sel4tut(["init", "--tut", "fault-handlers"], dir).status).toBe(0); // ./fault-handlers exists now
    const r = sel4tut(practise![1]!.split(" "), dir);
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });

  it("cap-fault: the label and the message-register layout, by seL4 name or by topic", () => {
    const r = explainCommand("seL4_Fault_CapFault");
    expect(r.status).toBe(0);
    expect(r.stdout).toBe(explain("seL4_Fault_CapFault").stdout);
    expect(explain("cap-fault").stdout).toBe(r.stdout);
    expect(explainCommand("cap", "fault").stdout).toBe(r.stdout);
    expect(r.stdout).toContain(
      `seL4_Fault_CapFault: fault label ${C.faultLabel("master", "CapFault")} on master and on MCS`,
    );
    for (const [name, mr] of [
      ["seL4_CapFault_IP", C.seL4_CapFault_IP],
      ["seL4_CapFault_Addr", C.seL4_CapFault_Addr],
      ["seL4_CapFault_InRecvPhase", C.seL4_CapFault_InRecvPhase],
      ["seL4_CapFault_LookupFailureType", C.seL4_CapFault_LookupFailureType],
      ["seL4_CapFault_BitsLeft", C.seL4_CapFault_BitsLeft],
      ["seL4_CapFault_GuardMismatch_BitsFound", C.seL4_CapFault_GuardMismatch_BitsFound],
    ] as const) {
      expect(r.stdout).toMatch(new RegExp(`\\n  MR${mr} +${name} +\\S`));
    }
    expect(flat(r.stdout)).toContain(
      `why: ${C.seL4_InvalidRoot} invalid root, ${C.seL4_MissingCapability} missing capability, ${C.seL4_DepthMismatch} depth mismatch, ${C.seL4_GuardMismatch} guard mismatch`,
    );
  });

  it("vm-fault: its label differs between the configurations; timeout exists only on MCS", () => {
    const vm = explain("vm-fault").stdout;
    expect(vm).toContain(
      `seL4_Fault_VMFault: fault label ${C.faultLabel("master", "VMFault")} on master, ${C.faultLabel("mcs", "VMFault")} on MCS`,
    );
    expect(vm).toMatch(new RegExp(`\\n  MR${C.seL4_VMFault_Addr} +seL4_VMFault_Addr +`));
    expect(vm).toMatch(new RegExp(`\\n  MR${C.seL4_VMFault_FSR} +seL4_VMFault_FSR +`));
    const timeout = explain("timeout").stdout;
    expect(timeout).toContain(`seL4_Fault_Timeout: fault label ${C.faultLabel("mcs", "Timeout")}, MCS only`);
    expect(explain("seL4_Fault_TimeoutFault").stdout).toBe(timeout);
    expect(explain("user-exception").stdout).toMatch(
      new RegExp(`\\n  MR${C.seL4_UserException_Number} +seL4_UserException_Number +`),
    );
    expect(explain("unknown-syscall").stdout).toMatch(
      new RegExp(`\\n  MR${C.seL4_UnknownSyscall_Syscall} +seL4_UnknownSyscall_Syscall +`),
    );
  });

  it("every seL4 error: by name and by number, with the kernel model's number", () => {
    const models: Record<string, SyscallError> = {
      seL4_InvalidCapability: { type: "InvalidCapability", capNumber: 0 },
      seL4_FailedLookup: { type: "FailedLookup", source: true, lookupFailure: { type: "InvalidRoot" } },
      seL4_DeleteFirst: { type: "DeleteFirst" },
    };
    C.ERROR_NAMES.forEach((name, n) => {
      const r = explain(name);
      expect(r.status, name).toBe(0);
      expect(r.stdout).toContain(`\n${name}: seL4_Error ${n}\n`);
      expect(explain(String(n)).stdout).toBe(r.stdout);
      const model = models[name];
      if (model) expect(errorNumber(model)).toBe(n);
    });
    expect(flat(explain("seL4_InvalidCapability").stdout)).toContain("MR0 which cap: 0 is the invoked cap itself");
    expect(flat(explain("seL4_RangeError").stdout)).toContain(`A CNode depth outside 1 to ${C.seL4_WordBits}`);
  });

  it("lookup failures, double fault and deadlock", () => {
    for (const [topic, name, n] of [
      ["invalid-root", "seL4_InvalidRoot", C.seL4_InvalidRoot],
      ["missing-capability", "seL4_MissingCapability", C.seL4_MissingCapability],
      ["depth-mismatch", "seL4_DepthMismatch", C.seL4_DepthMismatch],
      ["guard-mismatch", "seL4_GuardMismatch", C.seL4_GuardMismatch],
    ] as const) {
      const r = explain(topic);
      expect(r.stdout).toContain(`${name}: lookup failure type ${n} (as written in messages)`);
      expect(explain(name).stdout).toBe(r.stdout);
    }
    expect(flat(explain("double", "fault").stdout)).toContain(
      "Caught <second fault> while trying to handle: <first fault>",
    );
    expect(flat(explain("deadlock").stdout)).toContain("This is sel4tut's report, not a kernel message.");
  });

  it("a line pasted from the kernel's report finds the report's topic, not the topic its later words name", () => {
    const doubleFault = explain("double-fault").stdout;
    expect(explain("Caught cap fault in send phase at address 0x2").stdout).toBe(doubleFault);
    expect(explain("Found thread has no fault handler while trying to handle:").stdout).toBe(doubleFault);
    expect(explain("vm fault on data at address 0x1000").stdout).toBe(explain("vm-fault").stdout);
    expect(explain("Undelivered IRQ: 42").stdout).toBe(explain("undelivered-irq").stdout);
  });

  it("an unknown topic is a usage error with a suggestion and the list of topics", () => {
    const r = explainCommand("cap-falt");
    expect(r.status).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(
      /^sel4tut: no explanation for "cap-falt"; did you mean "cap-fault"\? Topics: cap-fault, vm-fault, .*deadlock/,
    );
    const far = explainCommand("frobnicate");
    expect(far.status).toBe(2);
    expect(far.stderr).toMatch(/^sel4tut: no explanation for "frobnicate"\. Topics: /);
    expect(explainCommand("99").status).toBe(2);
    const list = explainCommand();
    expect(list.status).toBe(0);
    for (const e of EXPLANATIONS) expect(list.stdout).toContain(`  ${e.topic} `);
  });
});

describe("the explanations data", () => {
  it("answers to its topic, its seL4 name and its aliases, and suggests near misses", () => {
    for (const e of EXPLANATIONS) {
      for (const word of [e.topic, e.what.name, ...e.aliases]) expect(findExplanation(word)?.topic, word).toBe(e.topic);
    }
    expect(suggestTopic("guard mismatches")?.topic).toBe("guard-mismatch");
    expect(suggestTopic("vmfalt")?.topic).toBe("vm-fault");
    expect(suggestTopic("xyzzy")).toBeUndefined();
  });

  it("names only tutorials and tasks that exist", () => {
    for (const e of EXPLANATIONS) {
      for (const ref of e.tutorials) {
        const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, ref.tutorial));
        if (ref.task) expect(taskIndex(tut, ref.task), `${e.topic}: ${ref.task}`).toBeGreaterThanOrEqual(0);
      }
    }
  });
});
