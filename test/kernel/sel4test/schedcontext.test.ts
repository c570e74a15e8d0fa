// sel4test's scheduling-context tests (apps/sel4test-tests/src/tests/schedcontext.c) that the model
// can run, each asserting what the sel4test test asserts. sel4test's helpers share the test's
// CSpace; here each thread has its own, so the tester deletes a helper's reply object through a
// cap to that helper's CNode (still the last cap to the object, as in sel4test).
import { describe, expect, it } from "vitest";
import type { SchedContextObj } from "../../../src/kernel/index.js";
import { sys, type Program, type Result } from "../../support/in-process.js";
import { outcome } from "../cspace-helpers.js";
import { EP, MS, REPLY, endpointSystem, nbsendRecv, nbsendWait, RIGHTS } from "../ipc-helpers.js";
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
  const { s } = endpointSystem("mcs", [
    sleeper("tester", 200, 200),
    ...helpers.map((name) => ({ name, priority: 100 })),
  ]);
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
function* startPassive(h: Helper): Program {
  expect((yield mcs.resume(TCB_OF[h])).label).toBe(0n);
  yield sys.wait(EP); // seL4_Wait(ep): on MCS a receive without a reply object
  expect((yield sys.call(SC_OF[h], mcs.L("SchedContextUnbind"))).label).toBe(0n);
}

/** The passive server starts, the client starts and reaches it: the server runs on the client's SC. */
function* clientCallsPassiveServer(state: { n: number }, checks: string[]): Program {
  yield* startPassive("server");
  expect((yield mcs.resume(TCB_OF.client)).label).toBe(0n);
  yield sleep();
  checks.push(`server ran: ${state.n > 0}`);
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
    const state = { n: 0 },
      clientState = { n: 0, done: false };
    server(s, "server", EP, state);
    client(s, clientState);
    const checks: string[] = [];
    s.program("tester", function* () {
      yield* clientCallsPassiveServer(state, checks);
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
    const state = { n: 0 },
      clientState = { n: 0, done: false },
      done = { proxy: false };
    server(s, "server", EP2, state);
    proxy(s, done);
    client(s, clientState);
    function* start(): Program {
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

  it("SCHED_CONTEXT_0013: revoking a scheduling context on a call chain", () => {
    const { s, state, clientState, done, start } = callChain();
    const SCHED_CONTROL = 13,
      NEW_SC = 14;
    s.give("tester", SCHED_CONTROL, s.create("SchedControl", "sched_control"));
    s.give("tester", NEW_SC, s.create("SchedContext", "sched_context", 8));
    s.giveCNode("tester", 15, "tester");
    const checks: string[] = [];
    s.program("tester", function* () {
      yield* start();
      checks.push(`server ran: ${state.n > 0}`);
      expect((yield mcs.cnodeDelete(15, SC_OF.client)).label).toBe(0n); // nuke the client's SC
      const before = state.n;
      yield sleep();
      checks.push(`server still runs: ${state.n !== before}`);
      expect((yield mcs.cnodeDelete(CNODE_OF.server, REPLY)).label).toBe(0n);
      expect((yield sys.call(NEW_SC, mcs.L("SchedContextBind"), [], [TCB_OF.proxy])).label).toBe(0n);
      expect(
        (yield sys.call(SCHED_CONTROL, mcs.L("SchedControlConfigureFlags"), [5_000_000, 5_000_000, 0, 0, 0], [NEW_SC]))
          .label,
      ).toBe(0n);
      yield* restartAfterSyscall("mcs", TCB_OF.proxy);
      yield sleep(); // wait_for_helper(proxy)
      checks.push(`proxy finished: ${done.proxy}`);
      expect((yield sys.call(NEW_SC, mcs.L("SchedContextUnbindObject"), [], [TCB_OF.proxy])).label).toBe(0n);
      expect((yield sys.call(NEW_SC, mcs.L("SchedContextBind"), [], [TCB_OF.client])).label).toBe(0n);
      yield* restartAfterSyscall("mcs", TCB_OF.client);
      yield sleep();
      checks.push(`client finished: ${clientState.done}`);
    });
    s.run(["tester"], 5_000);
    expect(checks).toEqual([
      "server ran: true",
      "server still runs: false",
      "proxy finished: true",
      "client finished: true",
    ]);
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

describe("sel4test schedcontext.c on MCS: binding, configuring and deleting", () => {
  const L = mcs.L;
  const SCHED_CONTROL = 3,
    SC = 4,
    TCB = 5,
    NTFN = 6,
    EP_SLOT = 7,
    SELF = 8,
    TCB2 = 9,
    SC2 = 10;
  const configure = (sc: number, budget: number, period: number) =>
    sys.call(SCHED_CONTROL, L("SchedControlConfigureFlags"), [budget, period, 0, 0, 0], [sc]);
  const bind = (sc: number, obj: number) => sys.call(sc, L("SchedContextBind"), [], [obj]);
  const unbindObject = (sc: number, obj: number) => sys.call(sc, L("SchedContextUnbindObject"), [], [obj]);
  const error = (r: Result) => outcome(r).error;

  it("SCHED_CONTEXT_0001: api_sched_ctrl_configure", () => {
    const { s } = endpointSystem("mcs", [{ name: "tester", priority: 100 }]);
    s.give("tester", SCHED_CONTROL, s.create("SchedControl", "sched_control"));
    s.give("tester", SC, s.create("SchedContext", "sc", 8));
    s.give("tester", TCB, s.create("TCB", "tcb"));
    const errors: string[] = [];
    s.program("tester", function* () {
      for (const [target, budget, period] of [
        [SC, 5000, 5000],
        [TCB, 5000, 5000],
        [SC, 0, 5000],
        [SC, 0, 0],
        [SC, 5000, 1000],
        [SC, 1, 5000],
        [SC, 20, 5000],
      ] as const) {
        errors.push(error(yield configure(target, budget, period)));
      }
    });
    s.run(["tester"]);
    expect(errors).toEqual([
      "seL4_NoError",
      "seL4_InvalidCapability",
      "seL4_RangeError",
      "seL4_RangeError",
      "seL4_RangeError",
      "seL4_RangeError",
      "seL4_NoError",
    ]);
  });

  it("SCHED_CONTEXT_0002: reconfiguring a thread", () => {
    const { s } = endpointSystem("mcs", [sleeper("tester", 200, 10), { name: "helper", priority: 100 }]);
    s.give("tester", SCHED_CONTROL, s.create("SchedControl", "sched_control"));
    s.give("tester", SC, s.scs.get("helper")!);
    s.give("tester", TCB, s.tcb("helper"));
    s.program("helper", function* () {
      for (;;) yield sys.spin(MS);
    });
    const errors: string[] = [];
    s.program("tester", function* () {
      errors.push(error(yield configure(SC, 5000, 5000))); // a paused thread
      yield mcs.resume(TCB);
      yield sleep();
      errors.push(error(yield configure(SC, 10000, 10000))); // a running one
      yield sleep();
      errors.push(error(yield configure(SC, 3000, 3000)));
    });
    s.run(["tester"], 2_000);
    expect(errors).toEqual(["seL4_NoError", "seL4_NoError", "seL4_NoError"]);
  });

  it("SCHED_CONTEXT_0003: basic api_sc_bind/UnbindObject testing", () => {
    const { s } = endpointSystem("mcs", [{ name: "tester", priority: 100 }]);
    s.give("tester", SC, s.create("SchedContext", "sc", 8));
    s.give("tester", TCB, s.create("TCB", "tcb"));
    s.give("tester", NTFN, s.create("Notification", "notification"));
    s.give("tester", EP_SLOT, s.create("Endpoint", "endpoint"));
    const errors: string[] = [];
    s.program("tester", function* () {
      for (const request of [
        bind(SC, EP_SLOT),
        bind(SC, TCB),
        bind(SC, TCB),
        bind(SC, NTFN),
        bind(SC, NTFN),
        unbindObject(SC, NTFN),
        unbindObject(SC, TCB),
        unbindObject(SC, EP_SLOT),
        unbindObject(SC, NTFN),
        unbindObject(SC, TCB),
      ]) {
        errors.push(error(yield request));
      }
    });
    s.run(["tester"]);
    expect(errors).toEqual([
      "seL4_InvalidCapability",
      "seL4_NoError",
      "seL4_IllegalOperation",
      "seL4_NoError",
      "seL4_IllegalOperation",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_InvalidCapability",
      "seL4_IllegalOperation",
      "seL4_IllegalOperation",
    ]);
  });

  it("SCHED_CONTEXT_0005: deleting a scheduling context prevents the bound tcb from running", () => {
    const { s } = endpointSystem("mcs", [sleeper("tester", 200, 10), { name: "helper", priority: 100 }]);
    s.giveCNode("tester", SELF, "tester");
    s.give("tester", SC, s.scs.get("helper")!); // the only cap to the helper's SC
    s.give("tester", TCB, s.tcb("helper"));
    const state = { n: 0 };
    s.program("helper", () => spinCounting(state));
    const seen: boolean[] = [];
    s.program("tester", function* () {
      yield mcs.resume(TCB);
      yield sleep();
      const before = state.n;
      seen.push(before > 0);
      expect((yield mcs.cnodeDelete(SELF, SC)).label).toBe(0n);
      yield sleep();
      seen.push(state.n === before);
    });
    s.run(["tester"], 2_000);
    expect(seen).toEqual([true, true]);
  });

  it("SCHED_CONTEXT_0006: deleting a tcb running on a notification's scheduling context returns it", () => {
    const { s } = endpointSystem("mcs", [
      { name: "tester", priority: 100 },
      { name: "one", priority: 100 },
      { name: "two", priority: 100 },
    ]);
    s.giveCNode("tester", SELF, "tester");
    const ntfn = s.create("Notification", "notification");
    s.give("tester", NTFN, ntfn);
    for (const [name, tcb, sc] of [
      ["one", TCB, SC],
      ["two", TCB2, SC2],
    ] as const) {
      s.give("tester", tcb, s.tcb(name));
      s.give("tester", sc, s.scs.get(name)!);
      s.give(name, 3, ntfn);
    }
    const state = { one: 0, two: 0 };
    for (const name of ["one", "two"] as const) {
      s.program(name, function* () {
        // sched_context_0006_helper_fn
        state[name] = 1;
        yield sys.wait(3);
        state[name] = 2;
        for (;;) yield sys.spin(MS);
      });
    }
    const seen: string[] = [];
    s.program("tester", function* () {
      yield mcs.resume(TCB);
      yield sys.yield();
      seen.push(`one ${state.one}`);
      expect((yield sys.call(SC, L("SchedContextUnbind"))).label).toBe(0n);
      expect((yield bind(SC, NTFN)).label).toBe(0n);
      yield sys.signal(NTFN);
      yield sys.yield();
      seen.push(`one ${state.one}`);
      expect((yield mcs.cnodeDelete(SELF, TCB)).label).toBe(0n); // kill it
      yield sys.yield();
      yield mcs.resume(TCB2);
      yield sys.yield();
      seen.push(`two ${state.two}`);
      expect((yield mcs.cnodeDelete(SELF, SC2)).label).toBe(0n); // take away its SC
      yield sys.signal(NTFN);
      yield sys.signal(NTFN);
      yield sys.yield();
      seen.push(`two ${state.two}`);
    });
    s.run(["tester"], 2_000);
    expect(seen).toEqual(["one 1", "one 2", "two 1", "two 2"]);
  });

  it("SCHED_CONTEXT_0007: resuming a passive thread and binding scheduling context", () => {
    const { s } = endpointSystem("mcs", [
      { name: "tester", priority: 100 },
      { name: "h1", priority: 100 },
      { name: "h2", priority: 100 },
      { name: "h3", priority: 100 },
    ]);
    s.give("tester", 3, s.tcb("tester"));
    const ntfn = s.create("Notification", "notification");
    s.give("tester", NTFN, ntfn);
    s.give("h3", 3, ntfn);
    const slots = { h1: [TCB, SC], h2: [TCB2, SC2], h3: [11, 12] } as const;
    for (const [name, [tcb, sc]] of Object.entries(slots)) {
      s.give("tester", tcb, s.tcb(name));
      s.give("tester", sc, s.scs.get(name)!);
    }
    const returned: string[] = [];
    s.program("h1", function* () {
      returned.push("h1");
    });
    s.program("h2", function* () {
      returned.push("h2");
    });
    s.program("h3", function* () {
      yield sys.wait(3);
    }); // sched_context_007_lazy_fn
    const errors: string[] = [];
    s.program("tester", function* () {
      // resume, then bind
      errors.push(error(yield sys.call(SC, L("SchedContextUnbind"))));
      yield mcs.resume(TCB);
      errors.push(error(yield bind(SC, TCB)));
      yield sys.yield(); // wait_for_helper
      // bind, then resume
      errors.push(error(yield sys.call(SC2, L("SchedContextUnbind"))));
      errors.push(error(yield bind(SC2, TCB2)));
      yield mcs.resume(TCB2);
      yield sys.yield();
      // lazy unbind: the SC is bound to the thread and to the notification it waits on
      errors.push(error(yield bind(12, NTFN)));
      errors.push(error(yield sys.call(11, L("TCBSetPriority"), [101], [3])));
      errors.push(error(yield bind(12, 11))); // still bound to its thread
      yield mcs.resume(11);
      errors.push(error(yield bind(12, 11))); // unbound when it waited on the notification
    });
    s.run(["tester"]);
    expect(returned).toEqual(["h1", "h2"]);
    expect(errors).toEqual([
      "seL4_NoError",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_NoError",
      "seL4_IllegalOperation",
      "seL4_NoError",
    ]);
  });

  it("SCHED_CONTEXT_0010: unbinding scheduling context from server", () => {
    const s = system(["server", "client"]);
    const state = { n: 0 },
      clientState = { n: 0, done: false };
    server(s, "server", EP, state);
    s.program("client", function* () {
      // sched_context_0010_client_fn
      yield nbsendWait(EP, 0, [], EP);
      clientState.done = true;
    });
    const checks: string[] = [];
    s.program("tester", function* () {
      yield* clientCallsPassiveServer(state, checks);
      expect((yield unbindObject(SC_OF.client, TCB_OF.server)).label).toBe(0n);
      const before = state.n;
      yield sleep();
      checks.push(`server still runs: ${state.n !== before}`);
      expect((yield bind(SC_OF.client, TCB_OF.client)).label).toBe(0n);
      yield* restartAfterSyscall("mcs", TCB_OF.client);
      yield sleep();
      checks.push(`client finished: ${clientState.done}`);
    });
    s.run(["tester"], 5_000);
    expect(checks).toEqual(["server ran: true", "server still runs: false", "client finished: true"]);
  });
});
