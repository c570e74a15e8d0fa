// Interrupts (src/object/interrupt.c, src/arch/x86/object/interrupt.c, src/plat/pc99/machine/ioapic.c):
// IRQControl GetIOAPIC/GetMSI with seL4's checks and errors, the IRQ state machine (inactive →
// signal → inactive again when the last handler cap goes), delivery as a signal with the badge of
// the bound notification cap, "Undelivered IRQ" when none is bound, and masking from each
// delivery until the handler's Ack. A test plays the device by driving an IOAPIC pin.
import { describe, expect, it } from "vitest";
import type { KernelConfig } from "../../src/abi/constants.js";
import { sys, type Program, type Result } from "../support/in-process.js";
import { checkInvariants } from "../support/invariants.js";
import {
  CONFIGS,
  D,
  EMPTY,
  OK,
  capSystem,
  exec,
  failed,
  kernelOps,
  ntfn,
  outcome,
  type Outcome,
} from "./cspace-helpers.js";
import { RIGHTS, ipc, report } from "./ipc-helpers.js";
import type { TestSystem } from "./fixtures.js";

type W = number | bigint;

const ROOT = 1;
const IRQ_CONTROL = 2;
const NTFN = 3;
const HANDLER = 4;
const HANDLER_2 = 5;
const NTFN_RO = 6;
const EP = 7;
/** The HPET's pin on the simulated PC's IOAPIC; vector 26 is the kernel's IRQ 42 (26 + irq_user_min). */
const PIN = 2;
const VECTOR = 26;
const IRQ = 42;

function irqOps(config: KernelConfig) {
  const { label } = kernelOps(config);
  return {
    getIOAPIC: (
      index: W,
      opts: { ioapic?: W; pin?: W; level?: W; polarity?: W; vector?: W; root?: W; control?: W } = {},
    ) =>
      sys.call(
        opts.control ?? IRQ_CONTROL,
        label("X86IRQIssueIRQHandlerIOAPIC"),
        [index, D, opts.ioapic ?? 0, opts.pin ?? PIN, opts.level ?? 0, opts.polarity ?? 0, opts.vector ?? VECTOR],
        [opts.root ?? ROOT],
      ),
    getMSI: (index: W, bus: W, dev: W, func: W, vector: W = VECTOR) =>
      sys.call(IRQ_CONTROL, label("X86IRQIssueIRQHandlerMSI"), [index, D, bus, dev, func, 0, vector], [ROOT]),
    get: (irq: W, index: W) => sys.call(IRQ_CONTROL, label("IRQIssueIRQHandler"), [irq, index, D], [ROOT]),
    setNotification: (handler: W, ntfnCap: W) => sys.call(handler, label("IRQSetIRQHandler"), [], [ntfnCap]),
    ack: (handler: W) => sys.call(handler, label("IRQAckIRQ")),
    clear: (handler: W) => sys.call(handler, label("IRQClearIRQHandler")),
    ...kernelOps(config),
  };
}

/** Thread t with its CNode (1), IRQControl (2), a notification it may signal and wait on (3, badge 0x40), empty 4 and 5. */
function irqSystem(config: KernelConfig) {
  const { s, slots } = capSystem(config, { [IRQ_CONTROL]: ["IRQControl", "irq_control"], [EP]: ["Endpoint", "ep"] });
  const n = s.create("Notification", "ntfn");
  s.give("t", NTFN, n, { rights: RIGHTS.RW, badge: 0x40 });
  s.give("t", NTFN_RO, n, { rights: RIGHTS.R });
  return { s, slots };
}

/** The device: drives the HPET's IOAPIC pin high or low. */
function line(s: TestSystem, high: boolean): void {
  s.kernel.state.board.ioapic.setLine(PIN, high);
}

/**
 * An edge on the pin: high, then low again (what an edge-triggered device sends). The CPU takes the
 * interrupt before the thread's next instruction, so a program follows a device action with a
 * moment of computation (`sys.spin`) before a system call that should see it.
 */
function pulse(s: TestSystem): void {
  line(s, true);
  line(s, false);
}

/** Runs a program in t; what it logs and the kernel's output, with the invariants checked at the end. */
function run(s: TestSystem, program: (log: (x: string) => void) => Program): { log: string[]; output: string } {
  const log: string[] = [];
  s.program("t", () => program((x) => log.push(x)));
  const output = s.run(["t"]);
  expect(checkInvariants(s.kernel.state)).toEqual([]);
  return { log, output };
}

const err = (r: Result): string => outcome(r).error;

describe.each(CONFIGS)("IRQControl on x86 (%s)", (config) => {
  const ops = irqOps(config);

  it("GetIOAPIC puts a handler cap for the IRQ in the empty slot, derived from IRQControl", () => {
    const { s, slots } = irqSystem(config);
    const [r] = exec(s, ops.getIOAPIC(HANDLER));
    expect(outcome(r!)).toEqual(OK);
    expect(slots.view(HANDLER)).toEqual({ type: "IRQHandler", object: `irq_${IRQ}` });
    expect(s.cnode("t").slots[HANDLER]!.parent).toBe(s.cnode("t").slots[IRQ_CONTROL]);
    expect(checkInvariants(s.kernel.state)).toEqual([]);
  });

  it("refuses a second handler for an active IRQ with seL4_RevokeFirst, and an occupied slot with seL4_DeleteFirst", () => {
    const { s, slots } = irqSystem(config);
    const rs = exec(
      s,
      ops.getIOAPIC(HANDLER),
      ops.getIOAPIC(HANDLER_2),
      ops.getIOAPIC(HANDLER, { vector: VECTOR + 1 }),
    );
    expect(rs.map(outcome)).toEqual([OK, failed("seL4_RevokeFirst"), failed("seL4_DeleteFirst")]);
    expect(slots.view(HANDLER_2)).toEqual(EMPTY);
    expect(s.sim.text).toContain(`IRQControl: IRQ ${IRQ} is already active.>>`);
  });

  it("checks the vector, then the IOAPIC, pin, trigger mode and polarity, with seL4's ranges and messages", () => {
    const { s, slots } = irqSystem(config);
    const rs = exec(
      s,
      ops.getIOAPIC(HANDLER, { vector: 108 }),
      ops.getIOAPIC(HANDLER, { ioapic: 1 }),
      ops.getIOAPIC(HANDLER, { pin: 24 }),
      ops.getIOAPIC(HANDLER, { level: 2 }),
      ops.getIOAPIC(HANDLER, { polarity: 2 }),
    );
    const expected: Outcome[] = [
      failed("seL4_RangeError", 0, 107),
      failed("seL4_RangeError", 0, 0),
      failed("seL4_RangeError", 0, 23),
      failed("seL4_RangeError", 0, 1),
      failed("seL4_RangeError", 0, 1),
    ];
    expect(rs.map(outcome)).toEqual(expected);
    expect(slots.view(HANDLER)).toEqual(EMPTY);
    for (const message of [
      "IRQControl: Invalid irq 108 should be between 0-107",
      "Invalid IOAPIC 1, only have 1",
      "Invalid IOAPIC pin 24, there are 24 pins",
      "Level should be 0 or 1, not 2",
      "Polarity should be 0 or 1, not 2",
    ]) {
      expect(s.sim.text).toContain(`${message}>>`);
    }
    // A refused request leaves the IRQ inactive: the same vector can still be had.
    expect(outcome(exec(s, ops.getIOAPIC(HANDLER))[0]!)).toEqual(OK);
  });

  it("answers the generic seL4_IRQControl_Get with seL4_IllegalOperation (IOAPIC build), or TruncatedMessage when short", () => {
    const { s } = irqSystem(config);
    const { label } = kernelOps(config);
    const rs = exec(s, ops.get(4, HANDLER), sys.call(IRQ_CONTROL, label("IRQIssueIRQHandler"), [4, HANDLER], [ROOT]));
    expect(rs.map(outcome)).toEqual([failed("seL4_IllegalOperation"), failed("seL4_TruncatedMessage")]);
    expect(s.sim.text).toContain("IRQControl: Illegal operation>>");
  });

  it("checks GetMSI's PCI address (bus 0-255, device 0-31, function 0-7) after the vector", () => {
    const { s } = irqSystem(config);
    const rs = exec(
      s,
      ops.getMSI(HANDLER, 256, 0, 0),
      ops.getMSI(HANDLER, 0, 32, 0),
      ops.getMSI(HANDLER, 0, 0, 8),
      ops.getMSI(HANDLER, 256, 0, 0, 200),
      ops.getMSI(HANDLER, 0, 3, 0),
    );
    expect(rs.map(outcome)).toEqual([
      failed("seL4_RangeError", 0, 255),
      failed("seL4_RangeError", 0, 31),
      failed("seL4_RangeError", 0, 7),
      failed("seL4_RangeError", 0, 107),
      OK,
    ]);
  });

  it("cannot be copied (deriving IRQControl gives a null cap), and its revocation takes every handler cap with it", () => {
    const { s, slots } = irqSystem(config);
    const rs = exec(
      s,
      ops.copy(ROOT, 8, D, ROOT, IRQ_CONTROL, D, RIGHTS.ALL),
      ops.getIOAPIC(HANDLER),
      ops.copy(ROOT, HANDLER_2, D, ROOT, HANDLER, D, RIGHTS.ALL),
      ops.revoke(ROOT, IRQ_CONTROL, D),
      ops.getIOAPIC(HANDLER),
    );
    expect(rs.map(err)).toEqual([
      "seL4_IllegalOperation",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_NoError",
    ]);
    expect(slots.view(8)).toEqual(EMPTY);
    expect(slots.view(HANDLER_2)).toEqual(EMPTY); // the copy went with the revoked handler
    expect(slots.view(HANDLER)).toEqual({ type: "IRQHandler", object: `irq_${IRQ}` }); // the IRQ was free again
  });
});

describe.each(CONFIGS)("the IRQ state machine (%s)", (config) => {
  const ops = irqOps(config);
  const api = ipc(config);

  it("prints seL4's Undelivered IRQ line for an IRQ with no notification, once: the IRQ is masked until acked", () => {
    const { s } = irqSystem(config);
    const { output } = run(s, function* (log) {
      log(err(yield ops.getIOAPIC(HANDLER)));
      pulse(s);
      yield sys.yield();
      pulse(s); // masked: lost
      yield sys.yield();
      log(err(yield ops.ack(HANDLER)));
      pulse(s);
      yield sys.yield();
    });
    expect(output.match(/Undelivered IRQ: \d+\n/g)).toEqual([`Undelivered IRQ: ${IRQ}\n`, `Undelivered IRQ: ${IRQ}\n`]);
  });

  it("accepts an Ack before any notification is set: it only unmasks the IRQ", () => {
    const { s } = irqSystem(config);
    const { log, output } = run(s, function* (log) {
      yield ops.getIOAPIC(HANDLER);
      log(err(yield ops.ack(HANDLER)));
      log(err(yield ops.ack(HANDLER)));
      pulse(s);
      yield sys.yield();
    });
    expect(log).toEqual(["seL4_NoError", "seL4_NoError"]);
    expect(output).toContain(`Undelivered IRQ: ${IRQ}\n`);
  });

  it("signals the bound notification with the badge of the cap it was given, and masks the IRQ until the Ack", () => {
    const { s } = irqSystem(config);
    const { log, output } = run(s, function* (log) {
      yield ops.getIOAPIC(HANDLER);
      log(err(yield ops.setNotification(HANDLER, NTFN)));
      pulse(s);
      yield sys.spin(1);
      log(`wait: badge 0x${(yield api.wait(NTFN_RO)).badge.toString(16)}`);
      pulse(s); // before the Ack: masked, lost
      yield sys.spin(1);
      log(`poll before ack: badge ${(yield api.poll(NTFN_RO)).badge}`);
      yield ops.ack(HANDLER);
      pulse(s);
      yield sys.spin(1);
      log(`poll after ack: badge 0x${(yield api.poll(NTFN_RO)).badge.toString(16)}`);
    });
    expect(log).toEqual(["seL4_NoError", "wait: badge 0x40", "poll before ack: badge 0", "poll after ack: badge 0x40"]);
    expect(output).not.toContain("Undelivered IRQ");
  });

  it("wakes a thread blocked on the notification: the interrupt arrives while it waits", () => {
    const { s } = irqSystem(config);
    s.program("t", function* () {
      yield ops.getIOAPIC(HANDLER);
      yield ops.setNotification(HANDLER, NTFN);
      yield api.wait(NTFN_RO);
    });
    s.run(["t"]);
    expect(report(s, "t")).toBe("blocked on ntfn: notification 'ntfn'");
    pulse(s);
    s.sim.run();
    expect(report(s, "t")).toBe("inactive"); // woke and returned from its program
  });

  it("delivers a level-triggered IRQ again at the Ack while the device still holds its line", () => {
    const { s } = irqSystem(config);
    const { log } = run(s, function* (log) {
      yield ops.getIOAPIC(HANDLER, { level: 1 });
      yield ops.setNotification(HANDLER, NTFN);
      line(s, true);
      yield sys.spin(1);
      log(`1: 0x${(yield api.poll(NTFN_RO)).badge.toString(16)}`);
      yield ops.ack(HANDLER); // the line is still high: delivered again at once
      log(`2: 0x${(yield api.poll(NTFN_RO)).badge.toString(16)}`);
      line(s, false); // the driver cleared the device first this time
      yield ops.ack(HANDLER);
      log(`3: 0x${(yield api.poll(NTFN_RO)).badge.toString(16)}`);
    });
    expect(log).toEqual(["1: 0x40", "2: 0x40", "3: 0x0"]);
  });

  it("is unbound by Clear and by SetNotification with another cap, which replaces the old one", () => {
    const { s } = irqSystem(config);
    const other = s.create("Notification", "other");
    s.give("t", 8, other, { rights: RIGHTS.RW, badge: 0x2 });
    const { log, output } = run(s, function* (log) {
      yield ops.getIOAPIC(HANDLER);
      yield ops.setNotification(HANDLER, NTFN);
      yield ops.setNotification(HANDLER, 8);
      pulse(s);
      yield sys.spin(1);
      log(`other: ${(yield api.poll(8)).badge}, ntfn: ${(yield api.poll(NTFN_RO)).badge}`);
      log(err(yield ops.clear(HANDLER)));
      yield ops.ack(HANDLER);
      pulse(s);
      yield sys.yield();
    });
    expect(log).toEqual(["other: 2, ntfn: 0", "seL4_NoError"]);
    expect(output).toContain(`Undelivered IRQ: ${IRQ}\n`);
  });

  it("refuses SetNotification without a notification cap, without send rights, or without an extra cap", () => {
    const { s } = irqSystem(config);
    const { label } = kernelOps(config);
    const rs = exec(
      s,
      ops.getIOAPIC(HANDLER),
      ops.setNotification(HANDLER, EP),
      ops.setNotification(HANDLER, NTFN_RO),
      sys.call(HANDLER, label("IRQSetIRQHandler")),
      sys.call(HANDLER, label("CNodeCopy")),
    );
    expect(rs.map(outcome)).toEqual([
      OK,
      failed("seL4_InvalidCapability", 0),
      failed("seL4_InvalidCapability", 0),
      failed("seL4_TruncatedMessage"),
      failed("seL4_IllegalOperation"),
    ]);
    for (const message of [
      "IRQSetHandler: provided cap is not an notification capability.",
      "IRQSetHandler: caller does not have send rights on the endpoint.",
      "IRQHandler: Illegal operation.",
    ]) {
      expect(s.sim.text).toContain(`${message}>>`);
    }
  });

  it("keeps the IRQ active while a copy of the handler cap lives; deleting the last one makes it inactive and masked", () => {
    const { s, slots } = irqSystem(config);
    const { log, output } = run(s, function* (log) {
      yield ops.getIOAPIC(HANDLER);
      yield ops.copy(ROOT, HANDLER_2, D, ROOT, HANDLER, D, RIGHTS.ALL);
      yield ops.setNotification(HANDLER_2, NTFN);
      yield ops.delete(ROOT, HANDLER, D);
      log(`after deleting one: ${err(yield ops.getIOAPIC(HANDLER))}`);
      yield ops.delete(ROOT, HANDLER_2, D);
      pulse(s); // inactive: masked, nothing happens
      yield sys.yield();
      log(`after deleting both: ${err(yield ops.getIOAPIC(HANDLER))}`);
      pulse(s); // active again, but the old binding went with the old handler
      yield sys.yield();
    });
    expect(log).toEqual(["after deleting one: seL4_RevokeFirst", "after deleting both: seL4_NoError"]);
    expect(output.match(/Undelivered IRQ/g)).toHaveLength(1);
    expect(slots.view(NTFN)).toEqual(ntfn("ntfn", RIGHTS.RW, 0x40));
  });

  it("loses its notification when the cap it was given is revoked from above (the IRQ's copy is its child)", () => {
    const { s } = irqSystem(config);
    const parent = s.create("Notification", "parent");
    s.give("t", 9, parent, { rights: RIGHTS.RW });
    const { output } = run(s, function* () {
      yield ops.mint(ROOT, 10, D, ROOT, 9, D, RIGHTS.ALL, 0x8);
      yield ops.getIOAPIC(HANDLER);
      yield ops.setNotification(HANDLER, 10);
      yield ops.revoke(ROOT, 9, D); // takes the minted cap and, below it, the IRQ's copy
      pulse(s);
      yield sys.yield();
    });
    expect(output).toContain(`Undelivered IRQ: ${IRQ}\n`);
  });

  it("cannot mask an MSI: without an Ack a second MSI is delivered too", () => {
    const { s } = irqSystem(config);
    const msi = () => s.kernel.state.board.lapic.raise(IRQ + 32); // the device writes its vector
    const { log } = run(s, function* (log) {
      yield ops.getMSI(HANDLER, 0, 3, 0);
      yield ops.setNotification(HANDLER, NTFN);
      msi();
      yield sys.spin(1);
      log(`1: 0x${(yield api.poll(NTFN_RO)).badge.toString(16)}`);
      msi();
      yield sys.spin(1);
      log(`2: 0x${(yield api.poll(NTFN_RO)).badge.toString(16)}`);
    });
    expect(log).toEqual(["1: 0x40", "2: 0x40"]);
  });
});
