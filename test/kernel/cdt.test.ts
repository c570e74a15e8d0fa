// The capability derivation tree (cteRevoke and cteDelete, src/object/cnode.c; isMDBParentOf,
// src/object/cnode.c): what CNode Revoke removes (badged
// originals start their own subtree), what CNode Delete leaves behind, and what deleting the last
// cap to an object does to the threads waiting on it (they re-execute their syscall).
import { describe, expect, it } from "vitest";
import { seL4_AllRights, seL4_GuardMismatch, seL4_ReadWrite, type KernelConfig } from "../../src/abi/constants.js";
import { sys } from "../support/in-process.js";
import {
  CONFIGS,
  capSystem,
  D,
  EMPTY,
  ep,
  exec,
  expectRejected,
  failed,
  kernelOps,
  OK,
  outcome,
} from "./cspace-helpers.js";
import { TestSystem } from "./fixtures.js";

const treeSystem = (config: KernelConfig) => capSystem(config, { 2: ["Endpoint", "ep"] });

describe.each(CONFIGS)("derivation tree on %s", (config) => {
  const ops = kernelOps(config);
  const allOK = (rs: { label: bigint }[]) => {
    for (const r of rs) expect(r.label).toBe(0n);
  };

  describe("Revoke", () => {
    it("on the unbadged original removes every copy, badged ones and their copies included; the original stays", () => {
      const { s, slots } = treeSystem(config);
      allOK(
        exec(
          s,
          ops.copy(1, 3, D, 1, 2, D, seL4_AllRights), // plain copy
          ops.mint(1, 4, D, 1, 2, D, seL4_AllRights, 5), // badged original of badge 5
          ops.copy(1, 5, D, 1, 4, D, seL4_ReadWrite), // copy of the badged cap
          ops.mint(1, 6, D, 1, 3, D, seL4_AllRights, 6), // badged from the plain copy
          ops.revoke(1, 2, D),
        ),
      );
      expect([3, 4, 5, 6].map((i) => slots.view(i))).toEqual([EMPTY, EMPTY, EMPTY, EMPTY]);
      expect(slots.view(2)).toEqual(ep("ep"));
    });

    it("on a badged cap removes only the copies made from it, not other caps of the same or another badge", () => {
      const { s, slots } = treeSystem(config);
      allOK(
        exec(
          s,
          ops.mint(1, 4, D, 1, 2, D, seL4_AllRights, 5),
          ops.copy(1, 5, D, 1, 4, D, seL4_AllRights),
          ops.copy(1, 7, D, 1, 5, D, seL4_AllRights), // a copy of a copy
          ops.mint(1, 8, D, 1, 2, D, seL4_AllRights, 5), // minted separately with the same badge
          ops.mint(1, 9, D, 1, 2, D, seL4_AllRights, 6),
          ops.revoke(1, 4, D),
        ),
      );
      expect(slots.view(5)).toEqual(EMPTY);
      expect(slots.view(7)).toEqual(EMPTY);
      expect(slots.view(4)).toEqual(ep("ep", 0xf, 5));
      expect(slots.view(8)).toEqual(ep("ep", 0xf, 5));
      expect(slots.view(9)).toEqual(ep("ep", 0xf, 6));
    });

    it("on a plain copy removes nothing: a copy with the same badge is not revocable", () => {
      const { s, slots } = treeSystem(config);
      allOK(
        exec(
          s,
          ops.copy(1, 3, D, 1, 2, D, seL4_AllRights),
          ops.copy(1, 4, D, 1, 3, D, seL4_AllRights),
          ops.revoke(1, 3, D),
        ),
      );
      expect(slots.view(4)).toEqual(ep("ep"));
    });

    it("after an intermediate cap is deleted, its copies are still revoked from above, but not by a same-badge sibling", () => {
      const { s, slots } = treeSystem(config);
      allOK(
        exec(
          s,
          ops.mint(1, 4, D, 1, 2, D, seL4_AllRights, 5),
          ops.copy(1, 5, D, 1, 4, D, seL4_AllRights),
          ops.delete(1, 4, D),
          ops.mint(1, 8, D, 1, 2, D, seL4_AllRights, 5),
          ops.revoke(1, 8, D),
        ),
      );
      expect(slots.view(5)).toEqual(ep("ep", 0xf, 5));
      allOK(exec(s, ops.revoke(1, 2, D)));
      expect(slots.view(5)).toEqual(EMPTY);
      expect(slots.view(8)).toEqual(EMPTY);
    });
  });

  describe("Delete and Revoke invocations", () => {
    it("on an empty slot both succeed and change nothing", () => {
      const { s, slots } = treeSystem(config);
      const before = slots.all();
      const rs = exec(s, ops.delete(1, 9, D), ops.revoke(1, 9, D));
      for (const r of rs) expect(outcome(r)).toEqual(OK);
      expect(slots.all()).toEqual(before);
    });

    it("Delete empties the slot and leaves the other caps to the object alone", () => {
      const { s, slots } = treeSystem(config);
      allOK(exec(s, ops.copy(1, 3, D, 1, 2, D, seL4_AllRights), ops.delete(1, 2, D)));
      expect(slots.view(2)).toEqual(EMPTY);
      expect(slots.view(3)).toEqual(ep("ep"));
    });

    it.each([
      ["Delete with one MR", sys.call(1, ops.label("CNodeDelete"), [2]), failed("seL4_TruncatedMessage")],
      ["Revoke at depth 0", ops.revoke(1, 2, 0), failed("seL4_RangeError", 1, 64)],
      [
        "Delete of a slot beyond the radix",
        ops.delete(1, 16, D),
        failed("seL4_FailedLookup", 0, seL4_GuardMismatch, 64, 0, 60),
      ],
    ])("%s fails and changes nothing", (_, request, expected) =>
      expectRejected(treeSystem(config).s, request, expected),
    );
  });

  describe("deleting the last cap finalises the object", () => {
    /** "t" (slot 1 own CNode, slot 3 a cap to "server"'s CNode) and "server" (slot 2 the object, slot 3 a reply object on MCS). */
    function waiterSystem(object: "Endpoint" | "Notification") {
      const s = new TestSystem(config, [{ name: "t" }, { name: "server" }]);
      s.giveCNode("t", 1, "t");
      s.giveCNode("t", 3, "server");
      s.give("server", 2, s.create(object, "old"));
      if (config === "mcs") s.give("server", 3, s.create("Reply", "reply"));
      return s;
    }
    const recvOn = (cptr: number) => sys.recv(cptr, config === "mcs" ? 3 : undefined);

    it("an endpoint: the blocked receiver is restarted and its Recv re-executes on whatever the slot now holds", () => {
      const s = waiterSystem("Endpoint");
      s.give("t", 4, s.create("Endpoint", "new"));
      const log: string[] = [];
      s.program("server", function* () {
        const r = yield recvOn(2);
        log.push(`server received label ${r.label} badge ${r.badge} mr0 ${r.mrs[0]}`);
      });
      s.program("t", function* () {
        expect(s.state("server")).toBe("blocked on recv");
        const del = yield ops.delete(3, 2, D); // the server's cap: the last one to "old"
        expect(outcome(del)).toEqual(OK);
        expect(s.state("server")).toBe("restart");
        const mint = yield ops.mint(3, 2, D, 1, 4, D, seL4_AllRights, 9); // a cap to "new" in the same slot
        expect(outcome(mint)).toEqual(OK);
        log.push("t sends on new");
        yield sys.send(4, 0x42, [7]);
      });
      s.run(["t", "server"]);
      expect(log).toEqual(["t sends on new", "server received label 66 badge 0 mr0 7"]);
      expect(s.kernel.state.objects.find((o) => o.name === "old")!.live).toBe(false);
    });

    it("an endpoint with another cap left: the waiter stays blocked", () => {
      const s = waiterSystem("Endpoint");
      s.program("server", function* () {
        yield recvOn(2);
      });
      s.program("t", function* () {
        expect(outcome(yield ops.copy(1, 5, D, 3, 2, D, seL4_AllRights))).toEqual(OK);
        expect(outcome(yield ops.delete(3, 2, D))).toEqual(OK);
      });
      s.run(["t", "server"]);
      expect(s.state("server")).toBe("blocked on recv");
    });

    it("a notification: the waiter's Wait re-executes and faults on the now empty slot", () => {
      const s = waiterSystem("Notification");
      // seL4_Wait is seL4_Recv on master and its own syscall on MCS.
      s.program("server", function* () {
        yield config === "mcs" ? sys.wait(2) : sys.recv(2);
      });
      s.program("t", function* () {
        expect(outcome(yield ops.delete(3, 2, D))).toEqual(OK);
      });
      const out = s.run(["t", "server"]);
      expect(out).toContain("cap fault in receive phase at address 0x2");
      expect(s.state("server")).toBe("inactive");
    });

    it("a CNode: the caps inside are deleted, finalising an endpoint whose last cap was there", () => {
      const s = waiterSystem("Endpoint");
      s.give("t", 5, s.create("CNode", "box", 2));
      s.program("server", function* () {
        yield recvOn(2);
      });
      s.program("t", function* () {
        // Move the server's only cap to "old" into box[0] (service: t's cap to box, radix 2 and no guard: depth 2).
        expect(outcome(yield ops.move(5, 0, 2, 3, 2, D))).toEqual(OK);
        expect(s.state("server")).toBe("blocked on recv");
        expect(outcome(yield ops.delete(1, 5, D))).toEqual(OK);
        expect(s.state("server")).toBe("restart");
      });
      const out = s.run(["t", "server"]);
      expect(out).toContain("cap fault in receive phase at address 0x2");
    });

    it("a TCB: the thread is suspended and never runs again", () => {
      const s = waiterSystem("Endpoint");
      s.give("t", 6, s.tcb("server"));
      s.program("server", function* () {
        yield recvOn(2);
        throw new Error("the server ran again");
      });
      s.program("t", function* () {
        expect(outcome(yield ops.delete(1, 6, D))).toEqual(OK);
        expect(outcome(yield sys.call(3, 0))).toEqual(failed("seL4_IllegalOperation")); // its CNode lives on (t holds a cap)
      });
      s.run(["t", "server"]);
      expect(s.state("server")).toBe("inactive");
      expect(s.kernel.threads().map((t) => t.name)).not.toContain("tcb_server");
    });
  });
});
