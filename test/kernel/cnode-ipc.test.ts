// The CNode invocations that reach into IPC state (decodeCNodeInvocation, src/object/cnode.c;
// cancelBadgedSends, src/object/endpoint.c): CancelBadgedSends restarts
// the senders queued with one badge (they re-execute their Send), and the master-only SaveCaller
// moves a reply cap out of the caller slot.
import { describe, expect, it } from "vitest";
import { invocationLabelNumber } from "../../src/abi/invocation.js";
import { seL4_AllRights, seL4_ReadWrite } from "../../src/abi/constants.js";
import type { Cap, CNodeObj } from "../../src/kernel/index.js";
import { sys, type Result } from "../support/in-process.js";
import {
  CONFIGS,
  addThread,
  cspaceSystem,
  D,
  EMPTY,
  exec,
  failed,
  kernelOps,
  OK,
  outcome,
  Slots,
} from "./cspace-helpers.js";
import { TestSystem } from "./fixtures.js";

describe.each(CONFIGS)("CNode CancelBadgedSends on %s", (config) => {
  const ops = kernelOps(config);

  /**
   * "t" (priority 100) holds the endpoint "ep" (slot 2), the gate (slot 3) and caps to the senders'
   * CNodes (slots 5, 6). Senders "s5" and "s6" (priority 200) wait at the gate, then send on their
   * slot 2, which "t" fills with badge 5 and 6 caps derived from its own. The receiver "r" (priority
   * 50) receives whatever is still queued once "t" is done.
   */
  function badgedSenders(tProgram: (log: string[]) => Generator<ReturnType<typeof sys.call>, void, Result>) {
    const s = new TestSystem(config, [
      { name: "t", priority: 100 },
      { name: "s5", priority: 200 },
      { name: "s6", priority: 200 },
      { name: "r", priority: 50 },
    ]);
    const endpoint = s.create("Endpoint", "ep"),
      gate = s.create("Endpoint", "gate");
    s.giveCNode("t", 1, "t");
    s.give("t", 2, endpoint);
    s.give("t", 3, gate);
    s.giveCNode("t", 5, "s5");
    s.giveCNode("t", 6, "s6");
    s.give("r", 2, endpoint);
    if (config === "mcs") s.give("r", 3, s.create("Reply", "reply"));
    const log: string[] = [];
    for (const [name, badge] of [
      ["s5", 5],
      ["s6", 6],
    ] as const) {
      s.give(name, 1, gate);
      s.program(name, function* () {
        yield config === "mcs" ? sys.wait(1) : sys.recv(1); // no reply object needed to take the gate
        yield sys.send(2, badge);
        log.push(`${name} got past its send`);
      });
    }
    s.program("r", function* () {
      for (;;) {
        const m = yield sys.recv(2, config === "mcs" ? 3 : undefined);
        log.push(`r received badge ${m.badge}`);
      }
    });
    s.program("t", function* () {
      // Badge-5 and badge-6 caps with all rights; the senders get copies of them.
      for (const [slot, badge, cnode] of [
        [8, 5, 5],
        [9, 6, 6],
      ] as const) {
        expect(outcome(yield ops.mint(1, slot, D, 1, 2, D, seL4_AllRights, badge))).toEqual(OK);
        expect(outcome(yield ops.copy(cnode, 2, D, 1, slot, D, seL4_ReadWrite))).toEqual(OK);
      }
      yield sys.send(3, 0); // s5 takes the gate and blocks sending
      yield sys.send(3, 0); // then s6
      expect([s.state("s5"), s.state("s6")]).toEqual(["blocked on send", "blocked on send"]);
      yield* tProgram(log);
    });
    return { s, log };
  }

  it("the senders with the badge are restarted: s5's Send re-executes and queues again behind s6", () => {
    const { s, log } = badgedSenders(function* () {
      expect(outcome(yield ops.cancelBadgedSends(1, 8, D))).toEqual(OK);
    });
    s.run(["r", "t", "s6", "s5"]);
    expect(log).toEqual(["s6 got past its send", "r received badge 6", "s5 got past its send", "r received badge 5"]);
  });

  it("with an unbadged cap nothing happens", () => {
    const { s, log } = badgedSenders(function* () {
      expect(outcome(yield ops.cancelBadgedSends(1, 2, D))).toEqual(OK);
    });
    s.run(["r", "t", "s6", "s5"]);
    expect(log).toEqual(["s5 got past its send", "r received badge 5", "s6 got past its send", "r received badge 6"]);
  });

  it("after revoking the badge, the restarted Send meets an empty slot: silently dropped, the sender carries on", () => {
    const { s, log } = badgedSenders(function* () {
      expect(outcome(yield ops.revoke(1, 8, D))).toEqual(OK);
      expect(s.state("s5")).toBe("blocked on send"); // deleting a cap does not touch a queued sender
      expect(outcome(yield ops.cancelBadgedSends(1, 8, D))).toEqual(OK);
    });
    s.run(["r", "t", "s6", "s5"]);
    expect(log).toEqual(["s5 got past its send", "s6 got past its send", "r received badge 6"]);
  });

  it.each([
    ["an endpoint cap without all four rights", 4],
    ["a notification cap", 3],
    ["an empty slot", 9],
  ])("on %s is IllegalOperation", (_, slot) => {
    const s = cspaceSystem(config);
    s.give("t", 2, s.create("Endpoint", "ep"));
    s.give("t", 3, s.create("Notification", "ntfn"));
    const [copy, r] = exec(s, ops.mint(1, 4, D, 1, 2, D, 0b0111, 5), ops.cancelBadgedSends(1, slot, D));
    expect(outcome(copy!)).toEqual(OK);
    expect(outcome(r!)).toEqual(failed("seL4_IllegalOperation"));
    expect(s.sim.text).toContain("CNode CancelBadgedSends: Target cap invalid.");
  });

  it("a thread blocked delivering a fault with that badge: master re-executes the faulting syscall, MCS makes it Inactive", () => {
    const s = cspaceSystem(config);
    const endpoint = s.create("Endpoint", "ep");
    s.give("t", 2, endpoint);
    const b = s.kernel.boot;
    const cnode = s.create("CNode", "cnode_f", 4) as CNodeObj;
    b.insertCap(cnode, 1, b.cap(endpoint, { badge: 5 }));
    const handler: bigint | Cap = config === "mcs" ? b.cap(endpoint, { badge: 5 }) : 1n;
    addThread(s, "f", b.cap(cnode, { guardSize: 60 }), handler);
    let attempts = 0;
    s.program("f", function* () {
      for (;;) {
        attempts++;
        yield sys.recv(7); // an empty slot: a cap fault, delivered on "ep" with badge 5
      }
    });
    s.program("t", function* () {
      expect(outcome(yield ops.mint(1, 3, D, 1, 2, D, seL4_AllRights, 5))).toEqual(OK);
      expect(s.state("f")).toBe("blocked on send");
      expect(outcome(yield ops.cancelBadgedSends(1, 3, D))).toEqual(OK);
    });
    s.run(["t", "f"]);
    expect(attempts).toBe(1); // a restart re-executes the same request, the program does not move on
    expect(s.state("f")).toBe(config === "mcs" ? "inactive" : "blocked on send");
  });
});

describe("CNode SaveCaller", () => {
  const ops = kernelOps("master");

  /** master: "client" calls "t" on the endpoint in both slots 2. */
  function callSystem() {
    const s = cspaceSystem("master", { others: ["client"] });
    const endpoint = s.create("Endpoint", "ep");
    s.give("t", 2, endpoint);
    s.give("client", 2, endpoint);
    const log: string[] = [];
    s.program("client", function* () {
      const r = yield sys.call(2, 0x10, [1]);
      log.push(`client got label ${r.label} mrs ${r.mrs.join(",")}`);
    });
    return { s, log, slots: new Slots(s) };
  }

  it("moves the reply cap out of the caller slot; it survives the next Recv and replies once when invoked", () => {
    const { s, log, slots } = callSystem();
    s.program("t", function* () {
      yield sys.recv(2);
      expect(outcome(yield ops.saveCaller(1, 5, D))).toEqual(OK);
      expect(slots.view(5)).toEqual({ type: "Reply", object: "tcb_client", canGrant: true });
      expect(outcome(yield sys.nbrecv(2))).toEqual(OK); // a Recv deletes only the caller slot's cap
      expect(outcome(yield ops.copy(1, 6, D, 1, 5, D, seL4_AllRights))).toEqual(failed("seL4_IllegalOperation"));
      expect(outcome(yield ops.move(1, 7, D, 1, 5, D))).toEqual(OK);
      yield sys.send(7, 0x99, [4, 5]);
      expect(slots.view(7)).toEqual(EMPTY);
    });
    s.run(["t", "client"]);
    expect(log).toEqual(["client got label 153 mrs 4,5"]);
  });

  it("into a full slot is DeleteFirst, and the reply cap stays where it was", () => {
    const { s, log, slots } = callSystem();
    s.give("t", 5, s.create("Notification", "n"));
    s.program("t", function* () {
      yield sys.recv(2);
      expect(outcome(yield ops.saveCaller(1, 5, D))).toEqual(failed("seL4_DeleteFirst"));
      yield sys.reply(0, [8]);
    });
    s.run(["t", "client"]);
    expect(log).toEqual(["client got label 0 mrs 8"]);
    expect(slots.view(5)).toMatchObject({ type: "Notification" });
  });

  it("with no caller to reply to succeeds and leaves the slot empty", () => {
    const s = cspaceSystem("master");
    const [r] = exec(s, ops.saveCaller(1, 5, D));
    expect(outcome(r!)).toEqual(OK);
    expect(new Slots(s).view(5)).toEqual(EMPTY);
    expect(s.sim.text).toContain("CNode SaveCaller: Reply cap not present.");
  });

  it("does not exist on MCS: the label after CNodeRotate is IllegalOperation, and master's number is Rotate there", () => {
    const mcs = kernelOps("mcs");
    expect(invocationLabelNumber("mcs", "CNodeSaveCaller")).toBeUndefined();
    const s = cspaceSystem("mcs");
    const [after, masterNumber] = exec(
      s,
      sys.call(1, mcs.label("CNodeRotate") + 1, [5, D]),
      sys.call(1, ops.label("CNodeSaveCaller"), [5, D]),
    );
    expect(outcome(after!)).toEqual(failed("seL4_IllegalOperation"));
    expect(outcome(masterNumber!)).toEqual(failed("seL4_TruncatedMessage")); // Rotate wants 8 MRs
  });

  it("MCS reply objects are ordinary caps: Copy works and masks Grant", () => {
    const s = cspaceSystem("mcs");
    s.give("t", 2, s.create("Reply", "reply"));
    const [r] = exec(s, kernelOps("mcs").copy(1, 3, D, 1, 2, D, seL4_ReadWrite));
    expect(outcome(r!)).toEqual(OK);
    expect(new Slots(s).view(3)).toEqual({ type: "ReplyObject", object: "reply", canGrant: false });
  });
});
