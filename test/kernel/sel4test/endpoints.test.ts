// sel4test's cancelBadgedSends tests (apps/sel4test-tests/src/tests/endpoints.c), on both kernels,
// with 8 badged clients instead of 32 (NUM_BADGED_CLIENTS; nothing depends on the number). In
// sel4test the helpers share the test's CSpace; here the tester copies each derived badged cap into
// its helper's own CNode, so revoking the tester's badged cap still deletes the helper's copy.
import { describe, expect, it } from "vitest";
import { seL4_AllRights } from "../../../src/abi/constants.js";
import { WORD_MASK } from "../../../src/kernel/api/types.js";
import { sys, type Result } from "../../support/in-process.js";
import { CONFIGS, D, kernelOps, outcome } from "../cspace-helpers.js";
import { ipc } from "../ipc-helpers.js";
import { TestSystem } from "../fixtures.js";

const N = 8;
/** The tester's slots: its CNode, the endpoint under test, the bounce endpoint, its reply object (MCS). */
const SELF = 1,
  EP = 2,
  BOUNCE = 3,
  REPLY = 4;
const badged = (i: number) => 8 + i,
  helperCNode = (i: number) => 24 + i,
  helperTCB = (i: number) => 40 + i;
const BOUNCER_TCB = 63;
/** A helper's slots: the derived badged endpoint, its own sync endpoint, its reply object (MCS). */
const H_EP = 1,
  H_SYNC = 2,
  H_REPLY = 3;

function system(config: "master" | "mcs", helpers: string[], bouncer: { name: string; priority: number } | null) {
  const s = new TestSystem(config, [
    { name: "tester", priority: 200, radix: 6 },
    ...helpers.map((name) => ({ name, priority: 100 })),
    ...(bouncer ? [bouncer] : []),
  ]);
  s.giveCNode("tester", SELF, "tester");
  const ep = s.create("Endpoint", "ep");
  s.give("tester", EP, ep);
  if (config === "mcs") s.give("tester", REPLY, s.create("Reply", "reply_tester"));
  helpers.forEach((h, i) => {
    s.giveCNode("tester", helperCNode(i), h);
    s.give("tester", helperTCB(i), s.tcb(h));
    if (config === "mcs") s.give(h, H_REPLY, s.create("Reply", `reply_${h}`));
  });
  return { s, ep };
}

/** bouncer_func: receive on `ep`, then reply to every message forever (an empty reply). */
function bouncer(s: TestSystem, config: "master" | "mcs", name: string, slot: number, replySlot: number) {
  const api = ipc(config, replySlot);
  s.program(name, function* () {
    yield api.recv(slot);
    for (;;) yield api.replyRecv(slot, 0);
  });
}

describe.each(CONFIGS)("sel4test endpoints.c on %s", (config) => {
  const ops = kernelOps(config);
  const api = ipc(config, REPLY);
  const names = Array.from({ length: N }, (_, i) => `sender${i}`);

  it("CANCEL_BADGED_SENDS_0001: basic endpoint cancelBadgedSends testing", () => {
    const { s } = system(config, names, { name: "bouncer", priority: 1 });
    const bounceEP = s.create("Endpoint", "bounce_ep");
    s.give("tester", BOUNCE, bounceEP);
    s.give("bouncer", 1, bounceEP);
    if (config === "mcs") s.give("bouncer", 2, s.create("Reply", "reply_bouncer"));
    s.give("tester", BOUNCER_TCB, s.tcb("bouncer"));
    bouncer(s, config, "bouncer", 1, 2);
    const done: number[] = new Array(N).fill(-1);
    const failures: string[] = [];
    names.forEach((name, i) => {
      s.program(name, function* () {
        const msg = BigInt(i + 100);
        const first: Result = yield sys.call(H_EP, 0, [msg]);
        if (first.length !== 1 || first.mrs[0] !== (~msg & WORD_MASK))
          failures.push(`${name}: first reply ${first.mrs[0]}`);
        done[i] = 0;
        const second: Result = yield sys.call(H_EP, 0, [msg]);
        if (outcome(second).error !== "seL4_InvalidCapability")
          failures.push(`${name}: second call ${outcome(second).error}`);
        done[i] = 1;
      });
    });
    const snapshots: string[] = [];
    s.program("tester", function* () {
      for (let i = 0; i < N; i++) {
        expect((yield ops.mint(SELF, badged(i), D, SELF, EP, D, seL4_AllRights, i + 200)).label).toBe(0n);
        expect((yield ops.copy(helperCNode(i), H_EP, D, SELF, badged(i), D, seL4_AllRights)).label).toBe(0n);
      }
      yield sys.call(BOUNCER_TCB, ops.label("TCBResume"));
      for (let i = 0; i < N; i++) yield sys.call(helperTCB(i), ops.label("TCBResume"));
      yield sys.call(BOUNCE, 0); // let the senders run
      for (let i = 0; i < N; i++) {
        const r: Result = yield api.recv(EP);
        if (r.length !== 1 || r.mrs[0] !== r.badge - 100n) failures.push(`tester: badge ${r.badge} with ${r.mrs[0]}`);
        yield api.reply(0, [~r.mrs[0]! & WORD_MASK]);
      }
      yield sys.call(BOUNCE, 0);
      snapshots.push(done.join(""));
      for (let i = 0; i < N; i++) {
        expect((yield ops.revoke(SELF, badged(i), D)).label).toBe(0n);
        expect((yield ops.cancelBadgedSends(SELF, badged(i), D)).label).toBe(0n);
        yield sys.call(BOUNCE, 0);
        snapshots.push(done.join(""));
      }
    });
    s.run(["tester"], 20_000);
    expect(failures).toEqual([]);
    // None has failed after the first round; after the i-th cancelBadgedSends, exactly senders 0..i have.
    expect(snapshots).toEqual(Array.from({ length: N + 1 }, (_, k) => "1".repeat(k) + "0".repeat(N - k)));
  });

  it("CANCEL_BADGED_SENDS_0002: cancelBadgedSends deletes caps", () => {
    const { s, ep } = system(config, [...names, "reply_thread"], null);
    s.give("reply_thread", 1, ep);
    bouncer(s, config, "reply_thread", 1, H_REPLY);
    const lastStatus: number[] = new Array(N).fill(-1);
    names.forEach((name, i) => {
      const sync = s.create("Endpoint", `sync_ep${i}`);
      s.give("tester", 56 + i, sync);
      s.give(name, H_SYNC, sync);
      const h = ipc(config, H_REPLY);
      s.program(name, function* () {
        for (;;) {
          yield h.recv(H_SYNC);
          const r: Result = yield sys.call(H_EP, 0);
          lastStatus[i] = outcome(r).error !== "seL4_InvalidCapability" ? 1 : 0;
          yield h.reply(0);
        }
      });
    });
    const snapshots: string[] = [];
    s.program("tester", function* () {
      yield sys.call(helperTCB(N), ops.label("TCBResume")); // the reply thread
      for (let i = 0; i < N; i++) {
        expect((yield ops.mint(SELF, badged(i), D, SELF, EP, D, seL4_AllRights, i + 200)).label).toBe(0n);
        expect((yield ops.copy(helperCNode(i), H_EP, D, SELF, badged(i), D, seL4_AllRights)).label).toBe(0n);
        yield sys.call(helperTCB(i), ops.label("TCBResume"));
      }
      for (let i = 0; i < N; i++) yield sys.call(56 + i, 0);
      snapshots.push(lastStatus.join(""));
      for (let i = 0; i < N; i++) {
        expect((yield ops.revoke(SELF, badged(i), D)).label).toBe(0n);
        expect((yield ops.cancelBadgedSends(SELF, badged(i), D)).label).toBe(0n);
        for (let j = 0; j < N; j++) yield sys.call(56 + j, 0);
        snapshots.push(lastStatus.join(""));
      }
    });
    s.run(["tester"], 50_000);
    // Every helper reaches the endpoint at first; after the i-th round, helpers 0..i no longer can.
    expect(snapshots).toEqual(Array.from({ length: N + 1 }, (_, k) => "0".repeat(k) + "1".repeat(N - k)));
  });
});
