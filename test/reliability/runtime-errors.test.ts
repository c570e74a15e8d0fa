// Learner code that builds but goes wrong at run time: every ending is explained in kernel terms,
// with the learner's source line, and none of them is sel4tut's own error.
import { describe, expect, it } from "vitest";
import { atStartOfMain, beforeMain, edit, freshExercise, importFromSel4, runCase } from "./helpers.js";

describe("code that goes wrong at run time", () => {
  it("a thread that throws: the exception with its .ts line, then the kernel's fault report", async () => {
    const ex = freshExercise();
    atStartOfMain(ex, "faulter.ts", '  throw new Error("boom");');
    const r = await runCase(ex, ["run"], 0);
    expect(r.stdout).toMatch(
      /Uncaught exception in thread "tcb_faulter": Error: boom\n\s+at main \(faulter\.ts:\d+:\d+\)/,
    );
    expect(r.stdout).toContain("user exception 0xd code 0");
    expect(r.stderr).toContain("the system deadlocked");
    expect(r.stderr).toMatch(
      /tcb_handler \(priority 254\): blocked on recv waiting for endpoint 'sequencing_ep', at handler\.ts:\d+/,
    );
    // After the report (on stderr, not among the program's output): what the kernel's report means.
    expect(
      r.stderr.endsWith(
        [
          "note: why the kernel could not deliver tcb_faulter's fault: its fault-handler CPtr is 0 (seL4_CapNull), so no fault endpoint " +
            "was registered (the fault_ep argument of seL4_TCB_SetSpace or seL4_TCB_Configure)",
          "note: what the kernel's fault report means: sel4tut explain double-fault",
          "note: what the fault it could not deliver (seL4_Fault_UserException) means: sel4tut explain user-exception",
          "",
        ].join("\n"),
      ),
    ).toBe(true);
    expect(r.stdout).not.toContain("sel4tut explain");
  });

  it("a fault endpoint minted from a cap without Grant: the kernel's report as seL4 prints it, then the cause it knew", async () => {
    const ex = freshExercise();
    edit(
      ex,
      "handler.ts",
      "handler_cspace_root, faulter_fault_ep_cap, seL4_WordBits,",
      "handler_cspace_root, sequencing_ep_cap, seL4_WordBits,",
    );
    const r = await runCase(ex, ["run"], 0);
    expect(r.stdout).toContain(
      "Caught cap fault in send phase at address 0x2\nwhile trying to handle:\ncap fault in receive phase at address 0x3\n",
    );
    expect(r.stdout).not.toContain("Grant");
    expect(r.stderr.match(/^note: .*$/gm)).toEqual([
      "note: why the kernel could not deliver tcb_faulter's fault: its fault-handler CPtr 0x2 names an endpoint cap with neither Grant nor " +
        "GrantReply (its rights: Read, Write); the kernel sends a fault only through an endpoint cap with Write and with Grant or GrantReply " +
        "(sendFaultIPC in seL4's src/kernel/faulthandler.c)",
      "note: what the kernel's fault report means: sel4tut explain double-fault",
      "note: what the fault it could not deliver (seL4_Fault_CapFault) means: sel4tut explain cap-fault",
    ]);
  });

  it("a thread that throws on MCS: the kernel's no-fault-handler report gets the same pointers", async () => {
    const ex = freshExercise();
    atStartOfMain(ex, "faulter.ts", '  throw new Error("boom");');
    const r = await runCase(ex, ["run", "--mcs"], 0);
    expect(r.stdout).toContain(
      "Found thread has no fault handler while trying to handle:\nuser exception 0xd code 0\n",
    );
    expect(r.stderr.match(/^note: .*$/gm)).toEqual([
      "note: why the kernel could not deliver tcb_faulter's fault: tcb_faulter has no fault endpoint. On MCS seL4_TCB_SetSpace " +
        "(or SetSchedParams) checks the cap you give it and copies it into the TCB; with 0 there, or a cap that is not an endpoint, the thread has none",
      "note: what the kernel's fault report means: sel4tut explain double-fault",
      "note: what the fault it could not deliver (seL4_Fault_UserException) means: sel4tut explain user-exception",
    ]);
  });

  it("a handler that prints the fault label and stops without answering: the deadlock, then the fault the faulter waits on", async () => {
    const ex = freshExercise();
    edit(
      ex,
      "handler.ts",
      'printf(PROGNAME + "Received fault IPC message from the kernel.\\n");',
      [
        "const label = seL4_MessageInfo_get_label(msg);",
        '  ZF_LOGF_IF(label !== seL4_Fault_VMFault, PROGNAME + "expected a VM fault, got fault label %lu", label);',
      ].join("\n"),
    );
    edit(
      ex,
      "handler.ts",
      /\(\{ badge \} = (seL4_Recv\(faulter_fault_ep_cap(?:, reply)?\))\);/g,
      "({ badge, info: msg } = $1);",
    );
    edit(ex, "handler.ts", "let badge = 0;", "let badge = 0;\n  let msg = seL4_MessageInfo_new(0, 0, 0, 0);");
    importFromSel4(ex, "handler.ts", "seL4_MessageInfo_get_label", "seL4_Fault_VMFault");
    const r = await runCase(ex, ["check"], 1);
    expect(r.stdout).toContain("Handler: expected a VM fault, got fault label 1");
    expect(r.stdout).toMatch(
      /tcb_faulter \(priority 254\): blocked on reply waiting for a reply to its fault \(cap fault in receive phase at address 0x\d+\)/,
    );
    expect(r.stdout).toContain("tcb_handler (priority 254): stopped by abort() (a failed ZF_LOGF_IF or assert)\n");
    // The fault comes from the kernel's state (the faulter's pending fault), not from what the handler printed.
    expect(r.stderr.match(/^note: .*$/gm)).toEqual([
      "note: what the deadlock means: sel4tut explain deadlock",
      "note: what tcb_faulter's unanswered fault (seL4_Fault_CapFault) means: sel4tut explain cap-fault",
    ]);
  });

  it("a thread that spins forever without a system call: ended by the simulated-time budget", async () => {
    const ex = freshExercise();
    atStartOfMain(ex, "faulter.ts", "  for (;;) {}");
    const r = await runCase(ex, ["check"], 1);
    expect(r.stdout).toMatch(
      /Failure! .*used its whole simulated-time budget \(300\.0 ms\); a thread may be looping forever/,
    );
    expect(r.stdout).toContain('simulated time limit of 300.000 ms reached while thread "tcb_faulter" was running');
    expect(r.all).not.toContain("sel4tut explain"); // nothing explain covers
  });

  it("recursion that overflows the stack: a RangeError at the recursive call, as a user exception", async () => {
    const ex = freshExercise();
    beforeMain(ex, "faulter.ts", "function down(n: number): number { return down(n + 1) + 1; }");
    atStartOfMain(ex, "faulter.ts", "  down(0);");
    const r = await runCase(ex, ["run"], 0);
    expect(r.stdout).toMatch(
      /Uncaught exception in thread "tcb_faulter": RangeError: Maximum call stack size exceeded\n\s+at down \(faulter\.ts:\d+:\d+\)/,
    );
    expect(r.stdout).toContain("user exception");
  });

  it("all threads blocked: the deadlock report names what each waits for and where", async () => {
    const ex = freshExercise();
    importFromSel4(ex, "handler.ts", "seL4_Call");
    edit(
      ex,
      "handler.ts",
      "seL4_Recv(sequencing_ep_cap, reply);",
      "seL4_Call(sequencing_ep_cap, seL4_MessageInfo_new(0, 0, 0, 0));",
    );
    edit(
      ex,
      "handler.ts",
      "seL4_Recv(sequencing_ep_cap);",
      "seL4_Call(sequencing_ep_cap, seL4_MessageInfo_new(0, 0, 0, 0));",
    );
    const r = await runCase(ex, ["check"], 1);
    expect(r.stdout).toMatch(
      /Failure! .*the system deadlocked after [\d.]+ (µs|ms) of simulated time: every remaining thread is blocked/,
    );
    expect(r.stdout).toMatch(
      /tcb_faulter \(priority 254\): blocked on send waiting for endpoint 'sequencing_ep', at faulter\.ts:\d+/,
    );
    expect(r.stdout).toMatch(
      /tcb_handler \(priority 254\): blocked on send waiting for endpoint 'sequencing_ep', at handler\.ts:\d+/,
    );
    // One note, on stderr, after the reason (the check's report is on stdout).
    expect(r.stderr).toBe("note: what the deadlock means: sel4tut explain deadlock\n");
    expect(r.stdout).not.toContain("sel4tut explain");
  });

  it("a passing check and a clean run point to no explanation", async () => {
    const ex = freshExercise();
    const check = await runCase(ex, ["check", "--quiet"], 0);
    expect(check.stdout).toContain("Success! fault-resume passes on master.");
    expect(check.all).not.toContain("sel4tut explain");
    const run = await runCase(ex, ["run"], 0);
    expect(run.stderr).toContain("[sel4tut master] every thread finished");
    expect(run.all).not.toContain("note:");
  });

  it("a thread that never finishes within the time budget (busy-waiting with seL4_Yield)", async () => {
    const ex = freshExercise();
    importFromSel4(ex, "faulter.ts", "seL4_Yield");
    atStartOfMain(ex, "faulter.ts", "  for (;;) seL4_Yield();");
    const r = await runCase(ex, ["run", "--mcs"], 0);
    expect(r.stderr).toContain("[sel4tut mcs] the run used its whole simulated-time budget (300.0 ms)");
    expect(r.stderr).toMatch(/tcb_faulter \(priority 254\): running, at faulter\.ts:\d+/);
  });

  it("wrong CPtr, depth and rights: the kernel's userError line and the seL4 error number", async () => {
    const ex = freshExercise();
    importFromSel4(ex, "handler.ts", "seL4_CNode_CancelBadgedSends");
    atStartOfMain(
      ex,
      "handler.ts",
      [
        '  printf("cptr: %d\\n", seL4_CNode_Copy(handler_cspace_root, badged_faulter_fault_ep_cap, seL4_WordBits, handler_cspace_root, 77, seL4_WordBits, seL4_AllRights));',
        '  printf("depth: %d\\n", seL4_CNode_Copy(handler_cspace_root, badged_faulter_fault_ep_cap, 7, handler_cspace_root, sequencing_ep_cap, seL4_WordBits, seL4_AllRights));',
        '  printf("rights: %d\\n", seL4_CNode_CancelBadgedSends(handler_cspace_root, sequencing_ep_cap, seL4_WordBits));',
      ].join("\n"),
    );
    const r = await runCase(ex, ["run"], 0);
    const userError = (text: string) =>
      new RegExp(`<<seL4\\(CPU 0\\) \\[decodeCNodeInvocation T0x[0-9a-f]+ "tcb_handler" @[0-9a-f]+\\]: ${text}>>`);
    expect(r.stdout).toMatch(userError("CNode Copy/Mint/Move/Mutate: Invalid source slot\\."));
    expect(r.stdout).toContain("cptr: 6\n"); // seL4_FailedLookup
    expect(r.stdout).toMatch(userError("CNode operation: Target slot invalid\\."));
    expect(r.stdout).toContain("depth: 6\n");
    expect(r.stdout).toMatch(userError("CNode CancelBadgedSends: Target cap invalid\\."));
    expect(r.stdout).toContain("rights: 3\n"); // seL4_IllegalOperation
    expect(r.stdout).toContain("Faulter: Finished execution.");
  });

  it("printf with too few arguments: a TypeError naming the directive and the missing argument", async () => {
    const ex = freshExercise();
    atStartOfMain(ex, "faulter.ts", '  printf("slot %d of %d\\n", 3);');
    const r = await runCase(ex, ["run"], 0);
    expect(r.stdout).toMatch(
      /Uncaught exception in thread "tcb_faulter": TypeError: printf: format "slot %d of %d\\n" needs an argument for %d \(argument 3 is missing\)\n\s+at main \(faulter\.ts:\d+:\d+\)/,
    );
  });

  it("printf with a directive C does not have: a TypeError naming it", async () => {
    const ex = freshExercise();
    atStartOfMain(ex, "faulter.ts", '  printf("value %q\\n", 3);');
    const r = await runCase(ex, ["run"], 0);
    expect(r.stdout).toMatch(/TypeError: printf: unsupported conversion in format "value %q\\n" at "%q\\n"/);
  });

  it("printing in a loop: the output is cut at 1 MiB, exactly, and the run is stopped", async () => {
    const ex = freshExercise();
    // Huge lines: each character takes 86.8 µs of simulated time on the serial console, but a
    // printf's text is out at once, so the first line already goes past 1 MiB.
    atStartOfMain(ex, "faulter.ts", '  for (let i = 0; ; i++) printf("tick %d %s\\n", i, "-".repeat(1 << 20));');
    const r = await runCase(ex, ["run"], 0);
    // Exactly 1 MiB of the program's output, plus the newline run adds after an unfinished line.
    expect([1 << 20, (1 << 20) + 1]).toContain(r.stdout.length);
    expect(r.stderr).toContain(
      "the program printed more than sel4tut keeps, so the run was stopped; a thread is probably printing in a loop",
    );
  });

  it("allocating in a loop: the thread runs out of memory, and that is the program's doing, not sel4tut's", async () => {
    const ex = freshExercise();
    atStartOfMain(ex, "faulter.ts", "  const hog: number[][] = [];\n  for (;;) hog.push(new Array(1e6).fill(1));");
    const r = await runCase(ex, ["run"], 0);
    expect(r.stderr).toContain("a thread used up the memory a thread may have, so the run was stopped");
    expect(r.stderr).toContain('thread "tcb_faulter" ran out of memory');
  });
});
