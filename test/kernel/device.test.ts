// A user-level driver and the simulated HPET: a device frame at the HPET's physical address,
// mapped into a thread, programmed with 64-bit stores; its comparator's interrupts reach the
// thread as signals on the notification bound to the IRQ, at simulated times, on both kernels.
import { describe, expect, it } from "vitest";
import type { FrameObj, PagingObj } from "../../src/kernel/index.js";
import {
  HPET_BASE,
  HPET_ENABLE_CNF,
  HPET_GCAP_ID,
  HPET_GEN_CONF,
  HPET_GEN_INT_STATUS,
  HPET_MAIN_COUNTER,
  HPET_TN_COMPARATOR,
  HPET_TN_CONF,
  HPET_TN_INT_ENB_CNF,
  HPET_TN_INT_ROUTE_SHIFT,
  HPET_TN_INT_TYPE_CNF,
  HPET_TN_TYPE_CNF,
  HPET_TN_VAL_SET_CNF,
} from "../../src/kernel/hardware/hpet.js";
import { sys, type Request, type Result } from "../support/in-process.js";
import { checkInvariants } from "../support/invariants.js";
import { CONFIGS, D, capSystem, kernelOps } from "./cspace-helpers.js";
import { RIGHTS, ipc } from "./ipc-helpers.js";

const ROOT = 1,
  IRQ_CONTROL = 2,
  NTFN = 3,
  HANDLER = 4;
const HPET_VADDR = 0x20000000n;
const MS = 1_000_000;
const TICKS_PER_MS = 100_000n;

const load = (offset: number): Request => ({ kind: "load", vaddr: HPET_VADDR + BigInt(offset) });
const store = (offset: number, value: bigint): Request => ({
  kind: "store",
  vaddr: HPET_VADDR + BigInt(offset),
  value,
});

function hpetSystem(config: (typeof CONFIGS)[number]) {
  const { s } = capSystem(config, { [IRQ_CONTROL]: ["IRQControl", "irq_control"] });
  s.give("t", NTFN, s.create("Notification", "timer_ntfn"), { rights: RIGHTS.RW, badge: 0x1 });
  const b = s.kernel.boot;
  const frame = b.createObject("Frame4K", { name: "hpet", paddr: HPET_BASE }) as FrameObj;
  expect(frame.isDevice).toBe(true);
  b.mapFrame(s.vspaces.get("t") as PagingObj, frame, HPET_VADDR, RIGHTS.RW);
  const { label } = kernelOps(config);
  const ops = {
    getIOAPIC: (level: number) =>
      sys.call(IRQ_CONTROL, label("X86IRQIssueIRQHandlerIOAPIC"), [HANDLER, D, 0, 2, level, 0, 26], [ROOT]),
    setNotification: () => sys.call(HANDLER, label("IRQSetIRQHandler"), [], [NTFN]),
    ack: () => sys.call(HANDLER, label("IRQAckIRQ")),
  };
  return { s, ops, api: ipc(config) };
}

/** Timer 0: level-triggered, periodic every `ticks`, routed to IOAPIC pin 2 (a driver's sequence). */
function* programPeriodic(ticks: bigint, level: boolean): Generator<Request, void, Result> {
  yield store(
    HPET_TN_CONF,
    HPET_TN_INT_ENB_CNF |
      HPET_TN_TYPE_CNF |
      HPET_TN_VAL_SET_CNF |
      (2n << HPET_TN_INT_ROUTE_SHIFT) |
      (level ? HPET_TN_INT_TYPE_CNF : 0n),
  );
  const counter = (yield load(HPET_MAIN_COUNTER)).value;
  yield store(HPET_TN_COMPARATOR, counter + ticks);
  yield store(HPET_TN_COMPARATOR, ticks);
  yield store(HPET_GEN_CONF, HPET_ENABLE_CNF);
}

describe.each(CONFIGS)("a driver for the simulated HPET (%s)", (config) => {
  it("reads the HPET's registers through its device frame", () => {
    const { s } = hpetSystem(config);
    const got: bigint[] = [];
    s.program("t", function* () {
      got.push((yield load(HPET_GCAP_ID)).value);
    });
    s.run(["t"]);
    expect(got[0]! >> 32n).toBe(10_000_000n); // a 10 ns period, in femtoseconds
  });

  it("gets a signal with the notification's badge every millisecond of simulated time while it clears and acks each one", () => {
    const { s, ops, api } = hpetSystem(config);
    const wakes: number[] = [];
    const badges: bigint[] = [];
    s.program("t", function* () {
      yield ops.getIOAPIC(1);
      yield ops.setNotification();
      yield* programPeriodic(TICKS_PER_MS, true);
      for (let i = 0; i < 5; i++) {
        badges.push((yield api.wait(NTFN)).badge);
        wakes.push(s.kernel.now);
        yield store(HPET_GEN_INT_STATUS, 1n); // clear the device first: the line drops
        yield ops.ack();
      }
    });
    s.run(["t"]);
    expect(badges).toEqual([1n, 1n, 1n, 1n, 1n]);
    expect(wakes.slice(1).map((t, i) => t - wakes[i]!)).toEqual([MS, MS, MS, MS]);
    expect(checkInvariants(s.kernel.state)).toEqual([]);
  });

  it("gets one signal only when it never acks: the IRQ stays masked while the HPET goes on counting", () => {
    const { s, ops, api } = hpetSystem(config);
    let woken = 0;
    s.program("t", function* () {
      yield ops.getIOAPIC(1);
      yield ops.setNotification();
      yield* programPeriodic(TICKS_PER_MS, true);
      yield api.wait(NTFN);
      woken++;
      yield store(HPET_GEN_INT_STATUS, 1n);
      yield api.wait(NTFN);
      woken++;
    });
    s.run(["t"]);
    expect(woken).toBe(1);
    // Nothing can reach the CPU any more, so nothing is left to wake up for.
    expect(s.kernel.nextTimerEvent()).toBeNull();
  });

  it("prints Undelivered IRQ for the HPET's interrupt when no notification is bound", () => {
    const { s, ops } = hpetSystem(config);
    s.program("t", function* () {
      yield ops.getIOAPIC(0);
      yield* programPeriodic(TICKS_PER_MS, false);
      yield sys.spin(3 * MS);
    });
    const out = s.run(["t"]);
    expect(out.match(/Undelivered IRQ: 42\n/g)).toEqual(["Undelivered IRQ: 42\n"]);
  });
});
