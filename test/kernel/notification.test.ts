// Notifications (sendSignal, receiveSignal, bindNotification: src/object/notification.c): signals OR together, a zero-badged signal is still pending, Poll,
// waiters woken with the signalling cap's badge (MRs and info untouched), bound notifications.
import { describe, expect, it } from "vitest";
import { wordFromMessageInfo } from "../../src/kernel/index.js";
import type { KernelConfig } from "../../src/abi/constants.js";
import { sys } from "../support/in-process.js";
import { TestSystem } from "./fixtures.js";
import { EP, RIGHTS, bindNotification, endpointSystem, ipc, report, setPriority, withInfo } from "./ipc-helpers.js";

const NTFN = 3;
const STALE = wordFromMessageInfo({ label: 0x5an, capsUnwrapped: 0, extraCaps: 0, length: 1 });

/** A waiter and a signaller (by default the signaller runs first) holding caps to one notification. */
function notificationSystem(config: KernelConfig, badges: number[], waiterPriority = 100) {
  const s = new TestSystem(config, [
    { name: "waiter", priority: waiterPriority },
    { name: "signaller", priority: 200 },
  ]);
  const ntfn = s.create("Notification", "ntfn");
  s.give("waiter", NTFN, ntfn, { rights: RIGHTS.R });
  badges.forEach((badge, i) => s.give("signaller", NTFN + i, ntfn, { rights: RIGHTS.W, badge }));
  return { s, ntfn };
}

describe.each(["master", "mcs"] as const)("notifications on %s", (config) => {
  const api = ipc(config);

  it("ORs the badges of signals that arrive while nobody waits, and the next Wait takes them all at once", () => {
    const { s } = notificationSystem(config, [0b001, 0b100]);
    const got: bigint[] = [];
    s.program("signaller", function* () {
      yield sys.signal(NTFN);
      yield sys.signal(NTFN + 1);
      yield sys.signal(NTFN);
    });
    s.program("waiter", function* () {
      got.push((yield api.wait(NTFN)).badge);
      got.push((yield api.poll(NTFN)).badge);
    });
    s.run(["waiter", "signaller"]);
    expect(got).toEqual([0b101n, 0n]);
  });

  it("keeps a zero-badged signal pending: the next Wait returns at once with badge 0, the one after blocks", () => {
    const { s } = notificationSystem(config, [0]);
    const log: string[] = [];
    s.program("signaller", function* () {
      yield sys.signal(NTFN);
    });
    s.program("waiter", function* () {
      log.push(`woke with ${(yield api.wait(NTFN)).badge}`);
      yield api.wait(NTFN);
      log.push("woke again");
    });
    s.run(["waiter", "signaller"]);
    expect(log).toEqual(["woke with 0"]);
    expect(report(s, "waiter")).toBe("blocked on ntfn: notification 'ntfn'");
  });

  it("polls without blocking: the pending word if signalled, else badge 0 with the info register untouched", () => {
    const { s } = notificationSystem(config, [6]);
    const log: string[] = [];
    s.program("signaller", function* () {
      yield sys.signal(NTFN);
    });
    s.program("waiter", function* () {
      for (let i = 0; i < 2; i++) {
        const r = yield withInfo(api.poll(NTFN), STALE);
        log.push(`poll: badge ${r.badge}, info ${r.info === STALE ? "untouched" : "written"}`);
      }
    });
    s.run(["waiter", "signaller"]);
    expect(log).toEqual(["poll: badge 6, info untouched", "poll: badge 0, info untouched"]);
    expect(report(s, "waiter")).toBe("inactive"); // never blocked
  });

  it("wakes a waiter with the badge of the cap that signalled, writing no MR and no message info", () => {
    // The waiter has the higher priority here, so it blocks first and runs as soon as it is woken.
    const { s } = notificationSystem(config, [0x30], 250);
    const log: string[] = [];
    s.program("waiter", function* () {
      const r = yield withInfo({ ...api.wait(NTFN), mrs: [0x77] }, STALE);
      log.push(
        `waiter: badge 0x${r.badge.toString(16)}, info ${r.info === STALE ? "untouched" : "written"}, MR0 0x${r.mrs[0]!.toString(16)}`,
      );
    });
    s.program("signaller", function* () {
      yield sys.signal(NTFN);
      log.push("signaller: signalled");
    });
    s.run(["signaller", "waiter"]);
    expect(log).toEqual(["waiter: badge 0x30, info untouched, MR0 0x77", "signaller: signalled"]);
  });

  it(`wakes waiters ${config === "mcs" ? "highest priority first" : "in FIFO order"}, one per signal`, () => {
    const s = new TestSystem(config, [
      { name: "ctl", priority: 50 },
      { name: "a", priority: 100 },
      { name: "b", priority: 100 },
      { name: "c", priority: 100 },
    ]);
    const ntfn = s.create("Notification", "ntfn");
    ["a", "b", "c"].forEach((t, i) => {
      s.give(t, NTFN, ntfn, { rights: RIGHTS.R });
      s.give("ctl", NTFN + i, ntfn, { rights: RIGHTS.W, badge: i + 1 });
      s.give("ctl", 10 + i, s.tcb(t));
    });
    s.give("ctl", 9, s.tcb("ctl"));
    const got: string[] = [];
    for (const t of ["a", "b", "c"])
      s.program(t, function* () {
        got.push(`${t}:${(yield api.wait(NTFN)).badge}`);
      });
    s.program("ctl", function* () {
      // a, b, c wait in that order; now a = 10, b = 30, c = 20; then three signals badged 1, 2, 3.
      for (const [slot, prio] of [
        [10, 10],
        [11, 30],
        [12, 20],
      ] as const)
        yield setPriority(config, slot, 9, prio);
      for (let i = 0; i < 3; i++) yield sys.signal(NTFN + i);
    });
    s.run(["ctl", "c", "b", "a"]);
    expect(got.sort()).toEqual(config === "mcs" ? ["a:3", "b:1", "c:2"] : ["a:1", "b:2", "c:3"]);
  });
});

describe.each(["master", "mcs"] as const)("bound notifications on %s", (config) => {
  const api = ipc(config);
  const SELF = 4;
  const GO = 6;

  /** A server bound (by its own TCB_BindNotification) to `ntfn`, a client on the endpoint, a signaller. */
  function boundSystem() {
    const { s } = endpointSystem(config, [
      { name: "server", priority: 150 },
      { name: "client", priority: 100, badge: 0x1 },
      { name: "signaller", priority: 90 },
    ]);
    const ntfn = s.create("Notification", "bound_ntfn");
    const go = s.create("Notification", "go");
    s.give("server", NTFN, ntfn, { rights: RIGHTS.R });
    s.give("server", SELF, s.tcb("server"));
    s.give("server", GO, go, { rights: RIGHTS.R });
    s.give("signaller", NTFN, ntfn, { rights: RIGHTS.W, badge: 0x100 });
    s.give("signaller", GO, go, { rights: RIGHTS.W });
    return s;
  }

  it("delivers a pending signal before a queued sender's message to a Recv on the endpoint", () => {
    const s = boundSystem();
    const got: string[] = [];
    s.program("server", function* () {
      expect((yield bindNotification(config, SELF, NTFN)).label).toBe(0n);
      yield api.wait(GO); // meanwhile: the client queues on the endpoint, the signal arrives
      for (let i = 0; i < 2; i++) {
        const r = yield withInfo(api.recv(EP), STALE);
        got.push(`badge 0x${r.badge.toString(16)} ${r.info === STALE ? "(no message)" : `label ${r.label}`}`);
      }
    });
    s.program("client", function* () {
      yield sys.send(EP, 9);
    });
    s.program("signaller", function* () {
      yield sys.signal(NTFN);
      yield sys.signal(GO);
    });
    s.run(["signaller", "client", "server"]);
    expect(got).toEqual(["badge 0x100 (no message)", "badge 0x1 label 9"]);
  });

  it("wakes its thread from a Recv on an endpoint with the signal's badge", () => {
    const s = boundSystem();
    const got: string[] = [];
    s.program("server", function* () {
      yield bindNotification(config, SELF, NTFN);
      const r = yield withInfo(api.recv(EP), STALE);
      got.push(`badge 0x${r.badge.toString(16)}, info ${r.info === STALE ? "untouched" : "written"}`);
    });
    s.program("client", function* () {});
    s.program("signaller", function* () {
      yield sys.signal(NTFN);
    });
    s.run(["signaller", "client", "server"]);
    expect(got).toEqual(["badge 0x100, info untouched"]);
  });

  it("lets only the bound thread Wait on it: another thread takes a receive-phase cap fault", () => {
    const s = boundSystem();
    const ntfnCap = s.slotCap("server", NTFN);
    if (ntfnCap.type !== "Notification") throw new Error("setup");
    s.give("signaller", 8, ntfnCap.obj, { rights: RIGHTS.R });
    s.program("server", function* () {
      yield bindNotification(config, SELF, NTFN);
      yield api.wait(GO);
    });
    s.program("client", function* () {});
    s.program("signaller", function* () {
      yield api.wait(8);
    });
    const lines = s.run(["signaller", "client", "server"]).split("\n");
    const fault = "cap fault in receive phase at address 0x8";
    expect(lines.slice(0, config === "mcs" ? 2 : 3)).toEqual(
      config === "mcs"
        ? ["Found thread has no fault handler while trying to handle:", fault]
        : ["Caught cap fault in send phase at address 0", "while trying to handle:", fault],
    );
    expect(report(s, "signaller")).toBe("inactive");
  });
});
