// sel4test's scheduling-context tests (apps/sel4test-tests/src/tests/schedcontext.c) that the model
// can run, each asserting what the sel4test test asserts. sel4test's helpers share the test's
// CSpace; here each thread has its own, so the tester deletes a helper's reply object through a
// cap to that helper's CNode (still the last cap to the object, as in sel4test).
import { describe, expect, it } from "vitest";
import type { SchedContextObj } from "../../../src/kernel/index.js";
import { sys } from "../../../src/sim/harness.js";
import { EP, REPLY, endpointSystem, nbsendRecv, RIGHTS } from "../ipc-helpers.js";
import { ops, restartAfterSyscall, sleep, sleeper, spinCounting } from "./mcs-helpers.js";
import type { TestSystem } from "../fixtures.js";

const mcs = ops("mcs");
/** The tester's slots for each helper's TCB, SC and CNode. */
const TCB_OF = { client: 4, proxy: 5, server: 6 } as const;
const SC_OF = { client: 7, proxy: 8, server: 9 } as const;
const CNODE_OF = { client: 10, proxy: 11, server: 12 } as const;
/** The proxy's endpoint to the server. */
const EP2 = 3;

type Helper = keyof typeof TCB_OF;

/** The tester (sleeping 200 ms at a time) and the named helpers at priority 100, all on one endpoint. */
function system(helpers: Helper[]) {
  const { s } = endpointSystem("mcs", [sleeper("tester", 200, 200), ...helpers.map((name) => ({ name, priority: 100 }))]);
  for (const h of helpers) {
    s.give("tester", TCB_OF[h], s.tcb(h));
    s.give("tester", SC_OF[h], s.scs.get(h)!);
    s.giveCNode("tester", CNODE_OF[h], h);
  }
  return s;
}

/**
 * start_passive_thread: start the helper, wait until it signals that it waits on `ep` (its
 * api_nbsend_recv), then take its SC away (api_sc_unbind).
 */
function* startPassive(h: Helper) {
  expect((yield mcs.resume(TCB_OF[h])).label).toBe(0n);
  yield sys.wait(EP); // seL4_Wait(ep): on MCS a receive without a reply object
  expect((yield sys.call(SC_OF[h], mcs.L("SchedContextUnbind"))).label).toBe(0n);
}

/** sched_context_0009_server_fn: announce itself, wait for a Call, then count forever on the caller's SC. */
function server(s: TestSystem, name: Helper, ep: number, state: { n: number }) {
  s.program(name, function* () {
    yield nbsendRecv(ep, 0, [], ep, REPLY);
    yield* spinCounting(state);
  });
}

/** sched_context_0011_proxy_fn: announce itself, wait for a Call, then Call the server. */
function proxy(s: TestSystem, done: { proxy: boolean }) {
  s.program("proxy", function* () {
    yield nbsendRecv(EP, 0, [], EP, REPLY);
    yield sys.call(EP2, 0);
    done.proxy = true;
  });
}

/** sched_context_0009_client_fn: Call the endpoint, then count once. */
function client(s: TestSystem, state: { n: number; done: boolean }) {
  s.program("client", function* () {
    yield sys.call(EP, 0);
    state.n++;
    state.done = true;
  });
}

describe("sel4test schedcontext.c on MCS", () => {
  it("SCHED_CONTEXT_0009: scheduling context goes to caller if reply cap deleted", () => {
    const s = system(["server", "client"]);
    const state = { n: 0 }, clientState = { n: 0, done: false };
    server(s, "server", EP, state);
    client(s, clientState);
    const checks: string[] = [];
    s.program("tester", function* () {
      yield* startPassive("server");
      expect((yield mcs.resume(TCB_OF.client)).label).toBe(0n);
      yield sleep();
      checks.push(`server ran: ${state.n > 0}`);
      expect((yield mcs.cnodeDelete(CNODE_OF.server, REPLY)).label).toBe(0n);
      const before = state.n;
      yield sleep();
      checks.push(`server still runs: ${state.n !== before}`);
      yield* restartAfterSyscall("mcs", TCB_OF.client);
      yield sleep(); // wait_for_helper(client)
      checks.push(`client finished: ${clientState.done}`);
    });
    s.run(["tester"], 5_000);
    expect(checks).toEqual(["server ran: true", "server still runs: false", "client finished: true"]);
    expect(s.scs.get("client")!.tcb?.name).toBe("tcb_client");
  });

  /** Client calls proxy, proxy calls server: the client's SC runs the server at the end of the chain. */
  function callChain() {
    const s = system(["server", "proxy", "client"]);
    const ep2 = s.create("Endpoint", "ep2");
    s.give("proxy", EP2, ep2, { rights: RIGHTS.ALL });
    s.give("server", EP2, ep2, { rights: RIGHTS.ALL });
    s.give("tester", EP2, ep2, { rights: RIGHTS.ALL });
    const state = { n: 0 }, clientState = { n: 0, done: false }, done = { proxy: false };
    server(s, "server", EP2, state);
    proxy(s, done);
    client(s, clientState);
    function* start() {
      // create_passive_thread(server) waits on ep2, create_passive_thread(proxy) on ep.
      expect((yield mcs.resume(TCB_OF.server)).label).toBe(0n);
      yield sys.wait(EP2);
      expect((yield sys.call(SC_OF.server, mcs.L("SchedContextUnbind"))).label).toBe(0n);
      yield* startPassive("proxy");
      expect((yield mcs.resume(TCB_OF.client)).label).toBe(0n);
      yield sleep();
    }
    return { s, state, clientState, done, start };
  }

  it("SCHED_CONTEXT_0011: revoking a reply on a call chain returns scheduling context along chain", () => {
    const { s, state, clientState, start } = callChain();
    const checks: string[] = [];
    s.program("tester", function* () {
      yield* start();
      checks.push(`server ran: ${state.n > 0}`);
      expect((yield mcs.cnodeDelete(CNODE_OF.server, REPLY)).label).toBe(0n); // the server's reply object
      const before = state.n;
      yield sleep();
      checks.push(`server still runs: ${state.n !== before}`);
      expect((yield mcs.cnodeDelete(CNODE_OF.proxy, REPLY)).label).toBe(0n); // the proxy's reply object
      yield* restartAfterSyscall("mcs", TCB_OF.client);
      yield sleep();
      checks.push(`client finished: ${clientState.done}`);
    });
    s.run(["tester"], 5_000);
    expect(checks).toEqual(["server ran: true", "server still runs: false", "client finished: true"]);
  });

  it("SCHED_CONTEXT_0012: revoking a reply on a call chain unordered", () => {
    const { s, state, clientState, start } = callChain();
    const checks: string[] = [];
    s.program("tester", function* () {
      yield* start();
      checks.push(`server ran: ${state.n > 0}`);
      expect((yield mcs.cnodeDelete(CNODE_OF.proxy, REPLY)).label).toBe(0n); // the proxy's first
      expect((yield mcs.cnodeDelete(CNODE_OF.server, REPLY)).label).toBe(0n);
      const before = state.n;
      yield sleep();
      checks.push(`server still runs: ${state.n !== before}`);
      yield* restartAfterSyscall("mcs", TCB_OF.client);
      yield sleep();
      // The chain was cut below the client: its SC stayed with the proxy, so it cannot run.
      checks.push(`client ran: ${clientState.n !== 0}`);
    });
    s.run(["tester"], 5_000);
    expect(checks).toEqual(["server ran: true", "server still runs: false", "client ran: false"]);
    expect((s.scs.get("client") as SchedContextObj).tcb?.name).toBe("tcb_proxy");
  });

  it("deleting the reply object a passive server waits with takes the server out of the endpoint queue", () => {
    // finaliseCap(cap_reply_cap) calls cancelIPC for a thread blocked on receive with the reply.
    const s = system(["server"]);
    server(s, "server", EP, { n: 0 });
    s.program("tester", function* () {
      yield* startPassive("server");
      expect((yield mcs.cnodeDelete(CNODE_OF.server, REPLY)).label).toBe(0n);
    });
    s.run(["tester"], 1_000);
    expect(s.state("server")).toBe("inactive");
    expect(s.tcb("server").replyObject).toBeNull();
  });
});
