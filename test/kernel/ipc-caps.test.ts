// Capability transfer through IPC (transferCaps, src/kernel/thread.c): the receiver gets a cap with the
// sender's rights (deriveCap of the sender's slot, no mask, whatever the IPC tutorial says), caps to the endpoint itself are unwrapped into badges, the sender's cap needs
// Grant, and only one cap is transferred per message.
import { describe, expect, it } from "vitest";
import type { KernelConfig } from "../../src/abi/constants.js";
import { sys, type Result } from "../support/in-process.js";
import { EP, REPLY, RIGHTS, capsOrBadges, endpointSystem, ipc, receivingInto } from "./ipc-helpers.js";
import { TestSystem } from "./fixtures.js";

/** Receiver slots: its own CNode at 5; transferred caps land at 8. Sender slots: see `send`. */
const RECV_CNODE = 5;
const RECV_INDEX = 8;
/** Sender slots: 3 = a cap to another endpoint, 4 = a notification cap, 6 = a badged cap to the IPC endpoint. */
const OTHER_EP = 3;
const NTFN = 4;
const SAME_EP = 6;

function capTransferSystem(config: KernelConfig, senderRights: number, receiverRights: number) {
  const { s, ep } = endpointSystem(config, [
    { name: "receiver", priority: 100, rights: receiverRights },
    { name: "sender", priority: 200, rights: senderRights, badge: 0x5 },
  ]);
  s.giveCNode("receiver", RECV_CNODE, "receiver");
  s.give("sender", OTHER_EP, s.create("Endpoint", "other_ep"), { rights: RIGHTS.ALL, badge: 0x44 });
  s.give("sender", NTFN, s.create("Notification", "ntfn"), { rights: RIGHTS.R });
  s.give("sender", SAME_EP, ep, { rights: RIGHTS.W, badge: 0x55 });
  return s;
}

/** The sender sends `caps`; the receiver receives with a receive slot; returns what it saw. */
function transfer(config: KernelConfig, caps: number[], opts: { senderRights?: number; receiverRights?: number } = {}) {
  const s = capTransferSystem(config, opts.senderRights ?? RIGHTS.ALL, opts.receiverRights ?? RIGHTS.R);
  const api = ipc(config);
  let got: Result | undefined;
  s.program("sender", function* () {
    yield sys.send(EP, 0x31, [7], caps);
  });
  s.program("receiver", function* () {
    got = yield receivingInto(api.recv(EP), RECV_CNODE, RECV_INDEX);
  });
  s.run(["receiver", "sender"]);
  return { s, got: got!, slot: (i: number) => s.slotCap("receiver", i) };
}

describe.each(["master", "mcs"] as const)("cap transfer on %s", (config) => {
  it("gives the receiver a cap with the sender's rights and badge, even through a receive-only endpoint cap", () => {
    const { got, slot } = transfer(config, [OTHER_EP]);
    expect([got.label, got.extraCaps, got.capsUnwrapped, got.mrs]).toEqual([0x31n, 1, 0, [7n]]);
    const cap = slot(RECV_INDEX);
    expect(cap.type).toBe("Endpoint");
    expect(cap.type === "Endpoint" && [cap.obj.name, cap.rights, cap.badge]).toEqual(["other_ep", RIGHTS.ALL, 0x44n]);
  });

  it("keeps a reduced right set as the sender held it", () => {
    const { slot } = transfer(config, [NTFN]);
    const cap = slot(RECV_INDEX);
    expect(cap.type === "Notification" && [cap.obj.name, cap.rights]).toEqual(["ntfn", RIGHTS.R]);
  });

  it("unwraps a cap to the endpoint the message travels through: its badge goes to caps_or_badges, its bit to capsUnwrapped", () => {
    const { s, got, slot } = transfer(config, [SAME_EP, OTHER_EP]);
    expect([got.extraCaps, got.capsUnwrapped]).toEqual([2, 0b01]);
    expect(capsOrBadges(s, "receiver", 1)).toEqual([0x55n]);
    expect(slot(RECV_INDEX).type).toBe("Endpoint"); // the other endpoint's cap took the receive slot

    const second = transfer(config, [OTHER_EP, SAME_EP]);
    expect([second.got.extraCaps, second.got.capsUnwrapped]).toEqual([2, 0b10]);
    expect(capsOrBadges(second.s, "receiver", 2)[1]).toBe(0x55n);
  });

  it("needs Grant on the sender's endpoint cap: without it the message arrives with no caps, not even unwrapped ones", () => {
    const { got, slot } = transfer(config, [SAME_EP, OTHER_EP], { senderRights: RIGHTS.W | RIGHTS.GR });
    expect([got.label, got.mrs, got.extraCaps, got.capsUnwrapped]).toEqual([0x31n, [7n], 0, 0]);
    expect(slot(RECV_INDEX).type).toBe("Null");
  });

  it("transfers only one cap: the second stops the transfer and extraCaps counts what was processed", () => {
    const { got, slot } = transfer(config, [OTHER_EP, NTFN]);
    expect([got.extraCaps, got.capsUnwrapped]).toEqual([1, 0]);
    expect(slot(RECV_INDEX).type).toBe("Endpoint");
    expect(slot(RECV_INDEX + 1).type).toBe("Null");
  });

  it("transfers nothing into an occupied receive slot", () => {
    const s = capTransferSystem(config, RIGHTS.ALL, RIGHTS.R);
    s.give("receiver", RECV_INDEX, s.create("Notification", "already_there"));
    const api = ipc(config);
    let got: Result | undefined;
    s.program("sender", function* () {
      yield sys.send(EP, 0, [], [OTHER_EP]);
    });
    s.program("receiver", function* () {
      got = yield receivingInto(api.recv(EP), RECV_CNODE, RECV_INDEX);
    });
    s.run(["receiver", "sender"]);
    expect(got!.extraCaps).toBe(0);
    const cap = s.slotCap("receiver", RECV_INDEX);
    expect(cap.type === "Notification" && cap.obj.name).toBe("already_there");
  });
});

/**
 * A client calls a server and asks for a cap in the reply, as the IPC tutorial's clients do. The
 * reply may carry caps only if it may grant: on master the reply cap records whether the server's
 * endpoint cap had Grant when the call was received (sendIPC/receiveIPC: setupCallerCap with the
 * receiver's canGrant, src/object/endpoint.c); on MCS the reply object cap's own Grant right
 * decides (performInvocation_Reply with capReplyCanGrant, src/object/objecttype.c).
 */
function replyWithCap(config: KernelConfig, grant: { serverEndpoint: number; replyObject: number }) {
  const s = new TestSystem(config, [
    { name: "server", priority: 200 },
    { name: "client", priority: 100 },
  ]);
  const ep = s.create("Endpoint", "ep");
  s.give("server", EP, ep, { rights: grant.serverEndpoint });
  s.give("client", EP, ep, { rights: RIGHTS.ALL });
  if (config === "mcs") s.give("server", REPLY, s.create("Reply", "server_reply"), { rights: grant.replyObject });
  s.give("server", NTFN, s.create("Notification", "handed_out"), { rights: RIGHTS.RW });
  s.giveCNode("client", RECV_CNODE, "client");
  const api = ipc(config);
  let got: Result | undefined;
  s.program("server", function* () {
    yield api.recv(EP);
    yield api.reply(0, [], [NTFN]);
  });
  s.program("client", function* () {
    got = yield receivingInto(sys.call(EP, 0, [1]), RECV_CNODE, RECV_INDEX);
  });
  s.run(["client", "server"]);
  return { extraCaps: got!.extraCaps, received: s.slotCap("client", RECV_INDEX).type };
}

describe("a cap in a reply (the IPC tutorial's badged endpoint)", () => {
  it("master: arrives when the server received the call through an endpoint cap with Grant", () => {
    expect(replyWithCap("master", { serverEndpoint: RIGHTS.ALL, replyObject: 0 })).toEqual({
      extraCaps: 1,
      received: "Notification",
    });
    expect(replyWithCap("master", { serverEndpoint: RIGHTS.RW | RIGHTS.GR, replyObject: 0 })).toEqual({
      extraCaps: 0,
      received: "Null",
    });
  });

  it("MCS: arrives when the reply object cap has Grant, whatever the server's endpoint cap", () => {
    expect(replyWithCap("mcs", { serverEndpoint: RIGHTS.RW, replyObject: RIGHTS.G })).toEqual({
      extraCaps: 1,
      received: "Notification",
    });
    expect(replyWithCap("mcs", { serverEndpoint: RIGHTS.ALL, replyObject: RIGHTS.RW })).toEqual({
      extraCaps: 0,
      received: "Null",
    });
  });
});
