// Where replies live (sendIPC and receiveIPC, src/object/endpoint.c; handleReply, src/api/syscall.c;
// reply_push and reply_pop, src/object/reply.c): master's one-shot reply cap in the receiver's
// Caller slot (lost at its next Recv unless saved with SaveCaller), and MCS reply objects (which
// cancel an earlier caller when reused before the reply).
import { describe, expect, it } from "vitest";
import { faultLabel, seL4_WordBits } from "../../src/abi/constants.js";
import { TCB_CALLER } from "../../src/kernel/object/structures.js";
import { sys } from "../support/in-process.js";
import { kernelOps, viewCap, EMPTY } from "./cspace-helpers.js";
import { EP, REPLY, endpointSystem, ipc, report } from "./ipc-helpers.js";
import { faultSystem, recordingHandler, type Msg } from "./fault-support.js";

const SERVER_CNODE = 5;
const SAVED = 7;

/** A server at priority 100 and two callers at 200 whose Calls queue before the server receives. */
function callersSystem(config: "master" | "mcs") {
  const { s } = endpointSystem(config, [
    { name: "server", priority: 100 },
    { name: "a", priority: 200, badge: 1 },
    { name: "b", priority: 200, badge: 2 },
  ]);
  s.giveCNode("server", SERVER_CNODE, "server");
  return s;
}

/** a Calls; the server receives it and then receives again (same reply object on MCS) without replying. */
function recvTwiceWithoutReply(config: "master" | "mcs") {
  const s = callersSystem(config);
  const api = ipc(config);
  s.program("a", function* () {
    yield sys.call(EP, 0);
  });
  s.program("b", function* () {});
  s.program("server", function* () {
    yield api.recv(EP);
    yield api.recv(EP);
  });
  const out = s.run(["server", "b", "a"]);
  return { s, out };
}

describe("master reply caps", () => {
  const api = ipc("master");

  it("uses the reply cap once: after seL4_Reply the Caller slot is empty and another Reply does nothing", () => {
    const s = callersSystem("master");
    const log: string[] = [];
    s.program("a", function* () {
      log.push(`a got ${(yield sys.call(EP, 0, [1])).mrs[0]}`);
    });
    s.program("b", function* () {});
    s.program("server", function* () {
      yield api.recv(EP);
      log.push(`server holds ${viewCap(s.tcb("server").slots[TCB_CALLER]!.cap).type}`);
      yield api.reply(0, [11]);
      log.push(`server holds ${viewCap(s.tcb("server").slots[TCB_CALLER]!.cap).type}`);
      yield api.reply(0, [12]);
      log.push("server: second reply made");
    });
    s.run(["server", "b", "a"]);
    expect(log).toEqual(["server holds Reply", "a got 11", "server holds Null", "server: second reply made"]);
  });

  it("deletes a pending reply cap at the next Recv: the caller then waits for a reply forever", () => {
    const { s } = recvTwiceWithoutReply("master");
    expect(report(s, "a")).toBe("blocked on reply: a reply that no thread can send");
    expect(report(s, "server")).toBe("blocked on recv: endpoint 'ep'");
    expect(viewCap(s.tcb("server").slots[TCB_CALLER]!.cap)).toEqual(EMPTY);
  });

  it("keeps a reply cap moved out with CNode_SaveCaller, and seL4_Send on it replies, out of order", () => {
    const s = callersSystem("master");
    const ops = kernelOps("master");
    const log: string[] = [];
    for (const t of ["a", "b"]) {
      s.program(t, function* () {
        log.push(`${t} got ${(yield sys.call(EP, 0)).mrs[0]}`);
      });
    }
    s.program("server", function* () {
      yield api.recv(EP); // a's Call
      expect((yield ops.saveCaller(SERVER_CNODE, SAVED, seL4_WordBits)).label).toBe(0n);
      log.push(`saved ${viewCap(s.slotCap("server", SAVED)).type} for a`);
      yield api.recv(EP); // b's Call; a's saved reply cap survives this Recv
      yield api.reply(0, [2]);
      yield sys.send(SAVED, 0, [1]);
      log.push(`saved slot now ${viewCap(s.slotCap("server", SAVED)).type}`);
    });
    s.run(["server", "b", "a"]);
    expect(log).toEqual(["saved Reply for a", "b got 2", "a got 1", "saved slot now Null"]);
  });

  it("makes SaveCaller with no pending caller a successful no-op", () => {
    const s = callersSystem("master");
    const ops = kernelOps("master");
    let error = -1n;
    s.program("server", function* () {
      error = (yield ops.saveCaller(SERVER_CNODE, SAVED, seL4_WordBits)).label;
    });
    s.program("a", function* () {});
    s.program("b", function* () {});
    s.run(["server"]);
    expect(error).toBe(0n);
    expect(viewCap(s.slotCap("server", SAVED))).toEqual(EMPTY);
  });
});

describe("MCS reply objects", () => {
  const api = ipc("mcs");

  it("replies by seL4_Send on the reply object, which can then be used again", () => {
    const s = callersSystem("mcs");
    const log: string[] = [];
    for (const t of ["a", "b"]) {
      s.program(t, function* () {
        log.push(`${t} got ${(yield sys.call(EP, 0)).mrs[0]}`);
      });
    }
    s.program("server", function* () {
      for (const answer of [1, 2]) {
        yield api.recv(EP);
        const reply = s.slotCap("server", REPLY);
        log.push(`reply object names ${reply.type === "ReplyObject" ? reply.obj.replyTCB?.name : "?"}`);
        yield sys.send(REPLY, 0, [answer]);
      }
    });
    s.run(["server", "b", "a"]);
    expect(log).toEqual(["reply object names tcb_a", "a got 1", "reply object names tcb_b", "b got 2"]);
  });

  it("leaves a caller Inactive when its Call meets a receiver waiting without a reply object (seL4_Wait)", () => {
    const s = callersSystem("mcs");
    const log: string[] = [];
    s.program("a", function* () {
      yield sys.call(EP, 3);
      log.push("a: the Call returned");
    });
    s.program("b", function* () {});
    s.program("server", function* () {
      const r = yield sys.wait(EP);
      log.push(`server: got label ${r.label}; a is ${report(s, "a")}`);
    });
    s.run(["a", "b", "server"]); // a (priority 200) calls first and waits to send; the server takes it with no reply object
    expect(log).toEqual(["server: got label 3; a is inactive"]);
  });

  it("cancels the earlier caller when its reply object is reused by a Recv before the reply: that caller goes Inactive", () => {
    const { s, out } = recvTwiceWithoutReply("mcs");
    expect(report(s, "a")).toBe("inactive");
    expect(out).toMatch(
      /^<<seL4\(CPU 0\) \[receiveIPC[^\]]*"tcb_server"[^\]]*\]: Reply object already has unexecuted reply!>>$/m,
    );
    expect(report(s, "server")).toBe("blocked on recv: endpoint 'ep'");
  });

  it("ignores a bad reply CPtr in ReplyRecv's reply phase, then faults on it in the receive phase", () => {
    const s = callersSystem("mcs");
    s.program("a", function* () {});
    s.program("b", function* () {});
    s.program("server", function* () {
      yield sys.replyRecv(EP, 0, [], 9);
    }); // slot 9 is empty
    const lines = s.run(["server"]).split("\n");
    // The debug kernel reports the failed reply (a null cap invoked) but the syscall goes on to the Recv.
    expect(lines[0]).toMatch(/\[decodeInvocation [^\]]*\]: Attempted to invoke a null cap #9\.>>$/);
    expect(lines[1]).toMatch(/\[lookupReply [^\]]*\]: Cap in reply slot is not a reply cap>>$/);
    expect(lines.slice(2, 4)).toEqual([
      "Found thread has no fault handler while trying to handle:",
      "cap fault in receive phase at address 0x9",
    ]);
    expect(report(s, "server")).toBe("inactive");
  });

  it.each([
    ["a reply CPtr that does not resolve faults with its lookup failure", 1n << 62n, [4n, 64n, 0n, 60n]],
    ["a reply CPtr naming a cap that is not a reply object faults with MissingCapability", EP, [2n, 0n]],
  ] as const)("%s (receive phase)", (_, replyCPtr, lookupFailure) => {
    const s = faultSystem("mcs");
    s.give("faulter", EP, s.create("Endpoint", "some_ep"));
    const seen: Msg[] = [];
    s.program(
      "handler",
      recordingHandler("mcs", seen, 1, () => null),
    );
    s.program("faulter", function* () {
      yield sys.recv(EP, replyCPtr);
    });
    s.run(["faulter", "handler"]);
    expect(seen.map((m) => [m.label, m.mrs.slice(1)])).toEqual([
      [faultLabel("mcs", "CapFault"), [BigInt(replyCPtr), 1n, ...lookupFailure]],
    ]);
  });
});
