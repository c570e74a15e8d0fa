// Endpoint IPC as a learner observes it through libsel4 (sendIPC and receiveIPC, src/object/endpoint.c;
// doIPCTransfer, src/kernel/thread.c; the wrappers in libsel4 sel4_arch/syscalls.h): badges, Call/Reply round
// trips, ReplyRecv, the non-blocking variants, message lengths and IPC buffers, queue order.
import { describe, expect, it } from "vitest";
import { seL4_MsgMaxLength } from "../../src/abi/constants.js";
import { wordFromMessageInfo } from "../../src/kernel/index.js";
import { sys, type Result } from "../support/in-process.js";
import { EP, RIGHTS, endpointSystem, giveAll, ipc, label, report, setPriority, withInfo } from "./ipc-helpers.js";
import { IPC_BUFFER_VADDR } from "./fixtures.js";

const fmt = (r: Result) => `badge ${r.badge} label ${r.label} len ${r.length} [${r.mrs.join(",")}]`;

describe.each(["master", "mcs"] as const)("endpoint IPC on %s", (config) => {
  const api = ipc(config);

  it("delivers the badge of the cap each sender used (0 for an unbadged cap); label and MRs pass through", () => {
    const { s } = endpointSystem(config, [
      { name: "server", priority: 100, rights: RIGHTS.R },
      { name: "a", priority: 200, badge: 0x11 },
      { name: "b", priority: 200, badge: 0x22 },
      { name: "c", priority: 200 },
    ]);
    const got: string[] = [];
    for (const [name, v] of [
      ["a", 1],
      ["b", 2],
      ["c", 3],
    ] as const) {
      s.program(name, function* () {
        yield sys.send(EP, 40 + v, [v, v * 10]);
      });
    }
    s.program("server", function* () {
      for (let i = 0; i < 3; i++) got.push(fmt(yield api.recv(EP)));
    });
    s.run(["server", "c", "b", "a"]);
    expect(got).toEqual([
      "badge 17 label 41 len 2 [1,10]",
      "badge 34 label 42 len 2 [2,20]",
      "badge 0 label 43 len 2 [3,30]",
    ]);
  });

  it("completes a Call/Reply round trip: the reply carries its own label and MRs and badge 0", () => {
    const { s } = endpointSystem(config, [
      { name: "server", priority: 100 },
      { name: "client", priority: 200, badge: 7 },
    ]);
    const log: string[] = [];
    s.program("client", function* () {
      const r = yield sys.call(EP, 5, [1, 2, 3]);
      log.push(`client: ${fmt(r)}`);
    });
    s.program("server", function* () {
      const r = yield api.recv(EP);
      log.push(`server: ${fmt(r)}; client is ${report(s, "client")}`);
      yield api.reply(9, [4, 5]);
      log.push("server: replied");
    });
    s.run(["server", "client"]);
    expect(log).toEqual([
      `server: badge 7 label 5 len 3 [1,2,3]; client is ${config === "mcs" ? "blocked on reply: a reply through reply object 'reply_server'" : "blocked on reply: a reply from 'tcb_server'"}`,
      // The caller has the higher priority, so the reply switches to it at once.
      "client: badge 0 label 9 len 2 [4,5]",
      "server: replied",
    ]);
    expect(report(s, "client")).toBe("inactive");
  });

  it("serves callers in turn with ReplyRecv: the reply goes to the last caller, the receive takes the next", () => {
    const { s } = endpointSystem(config, [
      { name: "server", priority: 100 },
      { name: "a", priority: 200, badge: 1 },
      { name: "b", priority: 200, badge: 2 },
    ]);
    const log: string[] = [];
    for (const [name, x] of [
      ["a", 10],
      ["b", 20],
    ] as const) {
      s.program(name, function* () {
        const r = yield sys.call(EP, 0, [x]);
        log.push(`${name} got ${r.mrs[0]}`);
      });
    }
    s.program("server", function* () {
      let r = yield api.recv(EP);
      for (;;) {
        log.push(`server: ${r.badge} asks ${r.mrs[0]}`);
        r = yield api.replyRecv(EP, 0, [r.mrs[0]! * 2n]);
      }
    });
    s.run(["server", "b", "a"]);
    expect(log).toEqual(["server: 1 asks 10", "a got 20", "server: 2 asks 20", "b got 40"]);
    expect(report(s, "server")).toBe("blocked on recv: endpoint 'ep'");
  });

  it("drops an NBSend nobody waits for, and NBRecv on an empty endpoint returns badge 0 with the info register stale", () => {
    const { s } = endpointSystem(config, [
      { name: "server", priority: 100 },
      { name: "client", priority: 200 },
    ]);
    const stale = wordFromMessageInfo({ label: 0x77n, capsUnwrapped: 0, extraCaps: 0, length: 2 });
    const log: string[] = [];
    s.program("client", function* () {
      yield sys.nbsend(EP, 3, [99]);
      log.push(`client: not blocked, ${report(s, "client")}`);
    });
    s.program("server", function* () {
      const r = yield withInfo(api.nbrecv(EP), stale);
      log.push(`server: badge ${r.badge}, info ${r.info === stale ? "untouched" : r.info.toString(16)}`);
    });
    s.run(["server", "client"]);
    expect(log).toEqual(["client: not blocked, running", "server: badge 0, info untouched"]);
    expect(report(s, "server")).toBe("inactive"); // its program ended: it never blocked
  });

  it("copies MR4 and up through both IPC buffers, up to seL4_MsgMaxLength, and clamps longer lengths to 120", () => {
    const { s } = endpointSystem(config, [
      { name: "server", priority: 100 },
      { name: "client", priority: 200 },
    ]);
    const words = Array.from({ length: seL4_MsgMaxLength }, (_, i) => BigInt(i * 3 + 1));
    const got: Result[] = [];
    s.program("client", function* () {
      yield sys.send(EP, 1, words);
      // A length field of 127 (the 7-bit maximum) is read as 120 by the kernel.
      yield withInfo(
        sys.send(EP, 2, words),
        wordFromMessageInfo({ label: 2n, capsUnwrapped: 0, extraCaps: 0, length: 127 }),
      );
    });
    s.program("server", function* () {
      got.push(yield api.recv(EP));
      got.push(yield api.recv(EP));
    });
    s.run(["server", "client"]);
    expect(got.map((r) => r.length)).toEqual([120, 120]);
    expect(got[0]!.mrs).toEqual(words);
    expect(got[1]!.mrs).toEqual(words);
  });

  it.each([
    ["the sender", "client"],
    ["the receiver", "server"],
  ])("cuts a message to the 4 register MRs when %s has no IPC buffer", (_, without) => {
    const { s } = endpointSystem(config, [
      { name: "server", priority: 100, noIPCBuffer: without === "server" },
      { name: "client", priority: 200, noIPCBuffer: without === "client" },
    ]);
    let got: Result | undefined;
    s.program("client", function* () {
      yield sys.send(EP, 1, [1, 2, 3, 4, 5, 6, 7, 8]);
    });
    s.program("server", function* () {
      got = yield api.recv(EP);
    });
    const out = s.run(["server", "client"]);
    expect(got!.length).toBe(4);
    expect(got!.mrs).toEqual([1n, 2n, 3n, 4n]);
    // A debug kernel warns when the sender itself has no buffer (handleInvocation truncates).
    const warning =
      /\[handleInvocation T0x[0-9a-f]+ "tcb_client" @[0-9a-f]+\]: Warning: No IPC buffer for thread\. Truncating message length to: 4\.>>/;
    if (without === "client") expect(out).toMatch(warning);
    else expect(out).toBe("");
  });

  it.each([
    ["a read-only buffer cannot receive", "server", RIGHTS.R],
    ["a kernel-only buffer cannot send", "client", 0],
  ] as const)("treats a thread whose IPC buffer cap lacks the rights as bufferless: %s", (_, thread, rights) => {
    const { s } = endpointSystem(config, [
      { name: "server", priority: 100 },
      { name: "client", priority: 200 },
      { name: "admin", priority: 250 },
    ]);
    s.give("admin", 3, s.tcb(thread));
    s.give("admin", 4, s.create("Frame4K", "restricted_buffer"), { rights });
    s.program("admin", function* () {
      expect((yield sys.call(3, label(config, "TCBSetIPCBuffer"), [IPC_BUFFER_VADDR], [4])).label).toBe(0n);
    });
    let got: Result | undefined;
    s.program("client", function* () {
      yield sys.send(EP, 1, [1, 2, 3, 4, 5, 6]);
    });
    s.program("server", function* () {
      got = yield api.recv(EP);
    });
    s.run(["server", "client", "admin"]);
    expect([got!.length, got!.mrs]).toEqual([4, [1n, 2n, 3n, 4n]]);
  });

  it(`queues senders ${config === "mcs" ? "by priority (FIFO among equals), re-sorted when a priority changes" : "in FIFO order, whatever their priorities"}`, () => {
    const { s } = endpointSystem(config, [
      { name: "server", priority: 50 },
      { name: "a", priority: 100, badge: 1 },
      { name: "b", priority: 100, badge: 2 },
      { name: "c", priority: 100, badge: 3 },
    ]);
    // The server can re-prioritise the senders while they wait: their TCBs in slots 5..7, itself in 4.
    s.give("server", 4, s.tcb("server"));
    ["a", "b", "c"].forEach((t, i) => s.give("server", 5 + i, s.tcb(t)));
    for (const t of ["a", "b", "c"])
      s.program(t, function* () {
        yield sys.send(EP, 0);
      });
    const badges: bigint[] = [];
    s.program("server", function* () {
      // a, b and c queued in that order; now a = 10, b = 30, c = 20.
      for (const [slot, prio] of [
        [5, 10],
        [6, 30],
        [7, 20],
      ] as const) {
        expect((yield setPriority(config, slot, 4, prio)).label).toBe(0n);
      }
      for (let i = 0; i < 3; i++) badges.push((yield api.recv(EP)).badge);
    });
    s.run(["server", "c", "b", "a"]);
    expect(badges).toEqual(config === "mcs" ? [2n, 3n, 1n] : [1n, 2n, 3n]);
  });

  it("makes a blocked Call a send-only message when the caller's cap has neither Grant nor GrantReply: the caller goes Inactive", () => {
    const { s } = endpointSystem(config, [
      { name: "server", priority: 100 },
      { name: "client", priority: 200, rights: RIGHTS.W },
    ]);
    const log: string[] = [];
    s.program("client", function* () {
      yield sys.call(EP, 1, [5]);
      log.push("client: the Call returned");
    });
    s.program("server", function* () {
      const r = yield api.recv(EP);
      log.push(`server: got [${r.mrs.join(",")}]; client is ${report(s, "client")}`);
      yield api.reply(0, [6]); // nothing to reply to
      log.push(`server: replied; client is ${report(s, "client")}`);
    });
    s.run(["server", "client"]);
    expect(log).toEqual(["server: got [5]; client is inactive", "server: replied; client is inactive"]);
  });

  it("lets a Call through a GrantReply-only cap wait for its reply like a full-rights one", () => {
    const { s } = endpointSystem(config, [
      { name: "server", priority: 100 },
      { name: "client", priority: 200, rights: RIGHTS.W | RIGHTS.GR },
    ]);
    const log: string[] = [];
    s.program("client", function* () {
      log.push(`client: ${fmt(yield sys.call(EP, 1, [5]))}`);
    });
    s.program("server", function* () {
      yield api.recv(EP);
      yield api.reply(2, [6]);
    });
    s.run(["server", "client"]);
    expect(log).toEqual(["client: badge 0 label 2 len 1 [6]"]);
  });

  it("gives a higher-priority receiver the CPU as soon as a message reaches it, and an equal-priority one only later", () => {
    const run = (receiverPriority: number) => {
      const { s } = endpointSystem(config, [
        { name: "receiver", priority: receiverPriority },
        { name: "sender", priority: 100 },
      ]);
      const log: string[] = [];
      s.program("receiver", function* () {
        log.push("receiver: waiting");
        yield api.recv(EP);
        log.push("receiver: got it");
      });
      s.program("sender", function* () {
        yield sys.send(EP, 0);
        log.push("sender: sent");
      });
      s.run(["sender", "receiver"]);
      return log;
    };
    expect(run(200)).toEqual(["receiver: waiting", "receiver: got it", "sender: sent"]);
    expect(run(100)).toEqual(["receiver: waiting", "sender: sent", "receiver: got it"]);
  });

  it("blocks a Send until a receiver comes, and leaves a Recv waiting until a sender comes", () => {
    const { s, ep } = endpointSystem(config, [
      { name: "server", priority: 200 },
      { name: "client", priority: 100 },
    ]);
    const other = s.create("Endpoint", "other");
    giveAll(s, other, 3, ["server", "client"]);
    const log: string[] = [];
    s.program("server", function* () {
      yield api.recv(3); // wait for the client's go-ahead on the other endpoint
      log.push(`server: client is ${report(s, "client")}`);
      const r = yield api.recv(EP);
      log.push(`server: got ${r.label}`);
    });
    s.program("client", function* () {
      yield sys.send(3, 0);
      yield sys.send(EP, 8);
      log.push("client: sent");
    });
    s.run(["client", "server"]);
    void ep;
    expect(log).toEqual(["server: client is running", "server: got 8", "client: sent"]);
  });
});
