// The IPC fastpath (seL4's src/fastpath/fastpath.c): seL4_Call to a waiting server and
// seL4_ReplyRecv back to the caller skip the general path when nothing unusual is involved, and
// must leave exactly the state the slowpath leaves. seL4 proves that; here random systems run on a
// kernel with the fastpath and on one without it, and their whole state is compared after every
// kernel entry.
import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { KernelConfig } from "../../src/abi/constants.js";
import { sys, type KernelEntry } from "../support/in-process.js";
import { EP, RIGHTS, endpointSystem, ipc, label, scName } from "./ipc-helpers.js";
import { firstDifference, kernelSnapshot } from "./kernel-snapshot.js";
import { buildPlan, planArb, type Plan } from "./random-systems.js";

const CONFIGS = ["master", "mcs"] as const;
const ENTRIES_PER_SYSTEM = 300;
/** SEL4TUT_FASTPATH_SYSTEMS: how many random systems per configuration (default 12; more for a deeper run). */
const RANDOM_SYSTEMS = Number(process.env.SEL4TUT_FASTPATH_SYSTEMS ?? 12);

/** Entries on which the fastpath is tried. Any other entry runs the same code in both kernels, so two
 *  kernels that agree before it agree after it: comparing after these entries (and at the end) is enough. */
const tried = (e: KernelEntry) =>
  e.request?.kind === "syscall" && (e.request.name === "Call" || e.request.name === "ReplyRecv");

/** Runs a plan on a kernel with or without the fastpath, hashing the kernel's state after Calls and ReplyRecvs. */
function runPlan(config: KernelConfig, plan: Plan, fastpath: boolean, stopAfter = Infinity) {
  const { system: s, start } = buildPlan(config, plan, { fastpath });
  const hashes: string[] = [];
  let last = "";
  const record = () => {
    last = `${kernelSnapshot(s.kernel.state)}\noutput = ${JSON.stringify(s.sim.text)}`;
    hashes.push(createHash("sha1").update(last).digest("hex"));
  };
  let entries = 0;
  s.sim.onEntry = (e) => {
    entries++;
    if (hashes.length < stopAfter && tried(e)) record();
  };
  start();
  s.sim.run(ENTRIES_PER_SYSTEM);
  if (hashes.length < stopAfter) record();
  return { hashes, last, entries, fastpathEntries: s.kernel.state.fastpathEntries };
}

describe.each(CONFIGS)("the fastpath on %s", (config) => {
  it(
    "leaves the same kernel state as the slowpath after every entry of random systems",
    () => {
      let fastpathEntries = 0;
      let entries = 0;
      fc.assert(
        fc.property(planArb(config, { rpc: true }), (plan) => {
          const fast = runPlan(config, plan, true);
          const slow = runPlan(config, plan, false);
          const n = fast.hashes.findIndex((h, i) => h !== slow.hashes[i]);
          if (n >= 0 || fast.hashes.length !== slow.hashes.length) {
            const at = n >= 0 ? n + 1 : Math.min(fast.hashes.length, slow.hashes.length) + 1;
            const a = runPlan(config, plan, true, at),
              b = runPlan(config, plan, false, at);
            throw new Error(
              `the kernel states differ after Call/ReplyRecv #${at}:\n${firstDifference(a.last, b.last)}`,
            );
          }
          fastpathEntries += fast.fastpathEntries;
          entries += fast.entries;
        }),
        { seed: 0xfa57 + CONFIGS.indexOf(config), numRuns: RANDOM_SYSTEMS },
      );
      // The comparison means something only if the fastpath was really taken, and often.
      expect(fastpathEntries).toBeGreaterThan(entries / 50);
      console.log(`${config}: ${entries} kernel entries compared, ${fastpathEntries} of them on the fastpath`);
    },
    60_000 + RANDOM_SYSTEMS * 2_000,
  );
});

/** A client at `clientPrio` Calls a server at 100 that answers with ReplyRecv; returns what happened. */
function rpc(
  config: KernelConfig,
  opts: { fastpath?: boolean; clientPrio?: number; mrs?: number; rights?: number; passive?: boolean } = {},
) {
  const { s } = endpointSystem(
    config,
    [
      { name: "server", priority: 100 },
      { name: "client", priority: opts.clientPrio ?? 100, badge: 7, rights: opts.rights ?? RIGHTS.ALL },
    ],
    { fastpath: opts.fastpath },
  );
  const api = ipc(config);
  const log: string[] = [];
  const words = Array.from({ length: opts.mrs ?? 1 }, (_, i) => i + 1);
  s.program("client", function* () {
    for (let i = 0; i < 2; i++) {
      const r = yield sys.call(EP, 5, words);
      log.push(`client got label ${r.label} [${r.mrs.join(",")}] badge ${r.badge}`);
    }
  });
  s.program("server", function* () {
    let m = yield api.recv(EP);
    for (;;) {
      log.push(`server got label ${m.label} [${m.mrs.join(",")}] badge ${m.badge}`);
      m = yield api.replyRecv(
        EP,
        9,
        m.mrs.map((w) => w * 10n),
      );
    }
  });
  s.run(["client", "server"]);
  return { log, fastpathEntries: s.kernel.state.fastpathEntries, server: s.state("server"), client: s.state("client") };
}

describe.each(CONFIGS)("fastpath conditions on %s", (config) => {
  const expected = [
    "server got label 5 [1] badge 7",
    "client got label 9 [10] badge 0",
    "server got label 5 [1] badge 7",
    "client got label 9 [10] badge 0",
  ];

  it(
    config === "master"
      ? "takes a Call to a waiting server and its ReplyRecv answer on the fastpath, delivering badge, label and MRs"
      : "takes the fastpath only with a passive server, which runs on the SC the Call lends it",
    () => {
      const r = rpc(config);
      expect(r.log).toEqual(expected);
      // master: both Calls and both ReplyRecvs. MCS: none, since this server has an SC of its own.
      expect(r.fastpathEntries).toBe(config === "master" ? 4 : 0);
      expect(r).toEqual({ ...rpc(config, { fastpath: false }), fastpathEntries: r.fastpathEntries });
    },
  );

  it("leaves a message longer than the 4 message registers to the slowpath", () => {
    const r = rpc(config, { mrs: 5 });
    expect(r.fastpathEntries).toBe(0);
    expect(r.log[0]).toBe("server got label 5 [1,2,3,4,5] badge 7");
  });

  it("leaves a Call through an endpoint cap without Grant or GrantReply to the slowpath (the caller gets no reply)", () => {
    const r = rpc(config, { rights: RIGHTS.RW });
    expect(r.fastpathEntries).toBe(0);
    expect(r.client).toBe("inactive");
    expect(r.log).toEqual(["server got label 5 [1] badge 7"]);
  });
});

describe("the MCS fastpath with a passive server", () => {
  /** The server waits, the client makes it passive (SchedContext_Unbind), then Calls twice. */
  function passiveRpc(fastpath: boolean) {
    const { s } = endpointSystem(
      "mcs",
      [
        { name: "server", priority: 100 },
        { name: "client", priority: 100, badge: 3 },
      ],
      { fastpath },
    );
    const SERVER_SC = 6;
    s.give("client", SERVER_SC, s.scs.get("server")!);
    const api = ipc("mcs");
    const log: string[] = [];
    s.program("client", function* () {
      yield sys.call(SERVER_SC, label("mcs", "SchedContextUnbind"));
      for (let i = 0; i < 2; i++) log.push(`client got [${(yield sys.call(EP, 1, [i])).mrs.join(",")}]`);
    });
    s.program("server", function* () {
      let m = yield api.recv(EP);
      for (;;) {
        log.push(`server runs on ${scName(s, "server")}`);
        m = yield api.replyRecv(EP, 0, [m.mrs[0]! + 100n]);
      }
    });
    s.run(["client", "server"]);
    return {
      log,
      fastpathEntries: s.kernel.state.fastpathEntries,
      serverSC: scName(s, "server"),
      clientSC: scName(s, "client"),
    };
  }

  it("lends the client's SC with each Call and gets it back with each reply, as the slowpath does", () => {
    const fast = passiveRpc(true);
    expect(fast.fastpathEntries).toBeGreaterThan(0);
    expect(fast.log).toEqual([
      "server runs on sc_client",
      "client got [100]",
      "server runs on sc_client",
      "client got [101]",
    ]);
    expect(fast).toMatchObject({ serverSC: "no SC", clientSC: "sc_client" });
    expect({ ...fast, fastpathEntries: 0 }).toEqual(passiveRpc(false));
  });
});
