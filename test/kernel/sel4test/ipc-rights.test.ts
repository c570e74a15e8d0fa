// sel4test's IPC rights tests (apps/sel4test-tests/src/tests/ipc_rights.c) that run on both
// kernels, for every rights word 0..15 (write, read, grant, grant-reply). sel4test creates one
// helper per rights word; so do these ports (h0..h15, started in turn by the tester).
import { describe, expect, it } from "vitest";
import { faultLabel } from "../../../src/abi/constants.js";
import { sys, type Result } from "../../support/in-process.js";
import { CONFIGS, D, kernelOps } from "../cspace-helpers.js";
import { ipc, receivingInto, RIGHTS } from "../ipc-helpers.js";
import { TestSystem } from "../fixtures.js";

const MAGIC1 = 42n,
  MAGIC2 = 0xdeadbeefn,
  MAGIC3 = 666n;
const ALL_RIGHTS = Array.from({ length: 16 }, (_, i) => i);
const can = (rights: number, right: number) => (rights & right) !== 0;
/** The tester's slots. */
const SELF = 1,
  EP = 2,
  REPLY = 3,
  EP_MINT = 4,
  SECOND_EP = 5,
  SECOND_REPLY = 6,
  helperTCB = (i: number) => 16 + i;
/** A helper's slots: an endpoint cap, its reply object (MCS), its own CNode, the slot it receives caps in. */
const H_EP = 1,
  H_REPLY = 2,
  H_CNODE = 3,
  H_RECV = 4;

/** The tester (priority 200, radix 6) and helpers h0..h15 (priority 100) sharing endpoint `ep`. */
function system(config: "master" | "mcs") {
  const helpers = ALL_RIGHTS.map((i) => `h${i}`);
  const s = new TestSystem(config, [
    { name: "tester", priority: 200, radix: 6 },
    ...helpers.map((name) => ({ name, priority: 100 })),
  ]);
  s.giveCNode("tester", SELF, "tester");
  const ep = s.create("Endpoint", "ep");
  s.give("tester", EP, ep);
  if (config === "mcs") {
    s.give("tester", REPLY, s.create("Reply", "reply"));
    s.give("tester", SECOND_REPLY, s.create("Reply", "second_reply"));
  }
  helpers.forEach((h, i) => {
    s.give("tester", helperTCB(i), s.tcb(h));
    if (config === "mcs") s.give(h, H_REPLY, s.create("Reply", `reply_${h}`));
    s.giveCNode(h, H_CNODE, h);
  });
  return { s, ep, helpers };
}

describe.each(CONFIGS)("sel4test ipc_rights.c on %s", (config) => {
  const ops = kernelOps(config);
  const api = ipc(config, REPLY);
  const helperApi = ipc(config, H_REPLY);
  const resume = (i: number) => sys.call(helperTCB(i), ops.label("TCBResume"));

  it("IPCRIGHTS0001: seL4_Send needs write", () => {
    const { s, ep, helpers } = system(config);
    const got: bigint[] = [];
    helpers.forEach((h) => {
      s.give(h, H_EP, ep);
      s.program(h, function* () {
        got.push((yield helperApi.recv(H_EP)).mrs[0]!); // check_recv
        yield helperApi.recv(H_EP); // the rendezvous
      });
    });
    s.program("tester", function* () {
      for (const rights of ALL_RIGHTS) {
        yield resume(rights);
        expect((yield ops.mint(SELF, EP_MINT, D, SELF, EP, D, rights, 0)).label).toBe(0n);
        if (!can(rights, RIGHTS.W)) yield sys.send(EP_MINT, 0, [MAGIC2]); // must not arrive
        yield sys.send(EP, 0, [MAGIC1]);
        yield sys.send(EP, 0, []);
        expect((yield ops.delete(SELF, EP_MINT, D)).label).toBe(0n);
      }
    });
    s.run(["tester"]);
    expect(got).toEqual(ALL_RIGHTS.map(() => MAGIC1));
  });

  it("IPCRIGHTS0002: seL4_Recv needs read", () => {
    const { s, ep, helpers } = system(config);
    const faultEP = s.create("Endpoint", "fault_ep");
    s.give("tester", SECOND_EP, faultEP);
    const got: string[] = [];
    helpers.forEach((h, rights) => {
      s.give(h, H_EP, ep, { rights }); // epMint
      if (config === "mcs") s.kernel.boot.setFaultHandler(s.tcb(h), s.kernel.boot.cap(faultEP));
      else {
        s.give(h, 7, faultEP);
        s.kernel.boot.setFaultHandler(s.tcb(h), 7n);
      }
      s.program(h, function* () {
        got.push(`${h}: ${(yield helperApi.recv(H_EP)).mrs[0]}`);
        yield helperApi.recv(H_EP);
      });
    });
    s.program("tester", function* () {
      for (const rights of ALL_RIGHTS) {
        yield resume(rights);
        if (can(rights, RIGHTS.R)) {
          yield sys.send(EP, 0, [MAGIC1]);
          yield sys.send(EP, 0, []);
        } else {
          const fault: Result = yield ipc(config, SECOND_REPLY).recv(SECOND_EP);
          got.push(`h${rights}: fault ${fault.label}`);
        }
      }
    });
    s.run(["tester"]);
    const capFault = faultLabel(config, "CapFault");
    expect(got).toEqual(ALL_RIGHTS.map((r) => (can(r, RIGHTS.R) ? `h${r}: ${MAGIC1}` : `h${r}: fault ${capFault}`)));
  });

  it("IPCRIGHTS0003: seL4_Send with caps needs grant", () => {
    const { s, ep, helpers } = system(config);
    const returnEP = s.create("Endpoint", "return_ep");
    s.give("tester", SECOND_EP, returnEP);
    const checks: string[] = [];
    const writable = ALL_RIGHTS.filter((r) => can(r, RIGHTS.W));
    helpers.forEach((h, rights) => {
      s.give(h, H_EP, ep);
      const grant = can(rights, RIGHTS.G);
      s.program(h, function* () {
        // check_recv_cap
        const r: Result = yield receivingInto(helperApi.recv(H_EP), H_CNODE, H_RECV);
        const received = s.slotCap(h, H_RECV).type !== "Null";
        checks.push(
          `${h}: ${r.mrs[0] === MAGIC1 ? "MAGIC1" : r.mrs[0]}, cap ${received ? "received" : "not received"}`,
        );
        if (grant && received) {
          yield sys.send(H_RECV, 0, [MAGIC2]);
          yield ops.delete(H_CNODE, H_RECV, D);
        }
        yield sys.send(H_EP, 0, [MAGIC3]);
      });
    });
    s.program("tester", function* () {
      for (const rights of writable) {
        const grant = can(rights, RIGHTS.G);
        expect((yield ops.mint(SELF, EP_MINT, D, SELF, EP, D, rights, 0)).label).toBe(0n);
        yield resume(rights);
        yield sys.send(EP_MINT, 0, [MAGIC1], [SECOND_EP]);
        if (grant)
          checks.push(
            `tester: ${(yield ipc(config, SECOND_REPLY).recv(SECOND_EP)).mrs[0] === MAGIC2 ? "MAGIC2" : "?"} back`,
          );
        checks.push(`tester: ${(yield api.recv(EP)).mrs[0] === MAGIC3 ? "MAGIC3" : "?"}`);
        expect((yield ops.delete(SELF, EP_MINT, D)).label).toBe(0n);
      }
    });
    s.run(["tester"]);
    expect(checks).toEqual(
      writable.flatMap((r) =>
        can(r, RIGHTS.G)
          ? [`h${r}: MAGIC1, cap received`, "tester: MAGIC2 back", "tester: MAGIC3"]
          : [`h${r}: MAGIC1, cap not received`, "tester: MAGIC3"],
      ),
    );
  });
});
