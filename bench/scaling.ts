// Kernel scaling benchmarks (in-process, no workers): how the time of one kernel operation
// grows with the number of caps in a CSpace and with the number of threads queued on one
// endpoint. Each point reports wall-clock ns per kernel entry; flat (or logarithmic) growth
// means no operation scans the CSpace, the derivation tree or a wait queue.
import { invocationLabelNumber, type InvocationLabel } from "../src/abi/invocation.js";
import { Kernel } from "../src/kernel/index.js";
import type { KernelConfig } from "../src/abi/constants.js";
import { InProcessSystem, sys, type Program, type Result } from "../test/support/in-process.js";
import { buildThread } from "../test/support/system.js";

export interface ScalingPoint {
  /** Caps in the CSpace, or threads queued on the endpoint. */
  n: number;
  /** Kernel entries timed at this point. */
  ops: number;
  /** Wall-clock and CPU (user + system) ns per kernel entry. */
  nsPerOp: number;
  cpuNsPerOp: number;
}

/** Wall-clock and CPU time of what runs between start() and the call of the returned function. */
function stopwatch(): () => { ns: number; cpuNs: number } {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { ns: Number(process.hrtime.bigint() - t0), cpuNs: (c.user + c.system) * 1000 };
  };
}

function point(n: number, ops: number, t: { ns: number; cpuNs: number }): ScalingPoint {
  return { n, ops, nsPerOp: t.ns / ops, cpuNsPerOp: t.cpuNs / ops };
}

/** CPtrs in the owner's CSpace (single level, so CPtr = slot). */
const CNODE_SLOT = 1;
const EP_SLOT = 2;
const FIRST_COPY = 3;
const WORD_BITS = 64;
const BATCHES = 3;

function check(config: KernelConfig, what: string, r: Result): void {
  if (r.label !== 0n) throw new Error(`bench-scaling (${config}): ${what} failed with seL4 error ${r.label}`);
}

function labelOf(config: KernelConfig, label: InvocationLabel): number {
  return invocationLabelNumber(config, label)!;
}

/**
 * One thread whose CSpace holds `counts[last]` badged copies (Mint) of one endpoint cap, all
 * children of the same original in the derivation tree. At each count the thread times a mix of
 * about `opsPerPoint` operations on random slots: Copy a badged cap into a free slot, Delete the
 * copy again, and NBSend through an existing cap (a lookup through the whole CSpace).
 */
export function benchCSpaceScaling(config: KernelConfig, counts: number[], opsPerPoint = 30_000): ScalingPoint[] {
  const largest = Math.max(...counts);
  const radix = Math.ceil(Math.log2(largest + FIRST_COPY + 1));
  const kernel = new Kernel({ config, memoryBytes: 2 ** (radix + 5) + (16 << 20) });
  const sim = new InProcessSystem(kernel);
  const b = kernel.boot;
  const owner = buildThread(kernel, { name: "owner", radix });
  b.insertCap(owner.cnode, CNODE_SLOT, b.cap(owner.cnode, { guardSize: WORD_BITS - radix }));
  b.insertCap(owner.cnode, EP_SLOT, b.cap(b.createObject("Endpoint", { name: "ep" })));
  const mint = labelOf(config, "CNodeMint");
  const copy = labelOf(config, "CNodeCopy");
  const del = labelOf(config, "CNodeDelete");
  const points: ScalingPoint[] = [];
  let rng = 0x2545f491;
  const random = (n: number) => {
    rng ^= rng << 13;
    rng ^= rng >>> 17;
    rng ^= rng << 5;
    return (rng >>> 0) % n;
  };
  sim.attach(owner.tcb, function* (): Program {
    let filled = 0;
    for (const target of [...counts].sort((x, y) => x - y)) {
      for (; filled < target; filled++) {
        check(
          config,
          "Mint",
          yield sys.call(
            CNODE_SLOT,
            mint,
            [FIRST_COPY + filled, WORD_BITS, EP_SLOT, WORD_BITS, 0xf, filled + 1],
            [CNODE_SLOT],
          ),
        );
      }
      const free = FIRST_COPY + filled;
      // The quickest of a few batches: the one least disturbed by garbage collection.
      const rounds = Math.ceil(opsPerPoint / 3 / BATCHES);
      let best: ScalingPoint | null = null;
      for (let batch = 0; batch < BATCHES; batch++) {
        const stop = stopwatch();
        for (let i = 0; i < rounds; i++) {
          const src = FIRST_COPY + random(filled);
          check(config, "Copy", yield sys.call(CNODE_SLOT, copy, [free, WORD_BITS, src, WORD_BITS, 0xf], [CNODE_SLOT]));
          check(config, "Delete", yield sys.call(CNODE_SLOT, del, [free, WORD_BITS]));
          yield sys.nbsend(FIRST_COPY + random(filled), 0, [i]);
        }
        const p = point(target, rounds * 3, stop());
        if (best === null || p.nsPerOp < best.nsPerOp) best = p;
      }
      points.push(best!);
    }
  });
  b.resume(owner.tcb);
  b.start();
  sim.run(Number.MAX_SAFE_INTEGER);
  if (points.length !== counts.length) throw new Error(`bench-scaling (${config}): the CSpace run stopped early`);
  return points;
}

/**
 * `waiters` client threads each seL4_Call one endpoint; a lower-priority server answers with
 * ReplyRecv. The clients queue up first, and each answered client calls again and queues at the
 * tail, so the send queue stays `waiters - 1` long while `rounds` round trips are timed.
 */
export function benchEndpointQueue(config: KernelConfig, waiters: number, rounds = 20_000): ScalingPoint {
  // Each thread's TCB, CNode, paging structures, IPC buffer and stack take 28 KiB.
  const kernel = new Kernel({ config, memoryBytes: (16 << 20) + waiters * (96 << 10) });
  const sim = new InProcessSystem(kernel);
  const b = kernel.boot;
  const mcs = config === "mcs";
  const ep = b.createObject("Endpoint", { name: "ep" });
  const server = buildThread(kernel, { name: "server", priority: 50 });
  b.insertCap(server.cnode, EP_SLOT, b.cap(ep));
  const reply = mcs ? 3 : undefined;
  if (mcs) b.insertCap(server.cnode, 3, b.cap(b.createObject("Reply", { name: "reply" })));
  let served = 0;
  let stop = stopwatch();
  let timed = { ns: 0, cpuNs: 0 };
  sim.attach(server.tcb, function* (): Program {
    yield sys.recv(EP_SLOT, reply);
    stop = stopwatch();
    for (served = 1; served < rounds; served++) yield sys.replyRecv(EP_SLOT, 0, [served], reply);
    timed = stop();
  });
  const clients = [];
  for (let i = 0; i < waiters; i++) {
    const c = buildThread(kernel, { name: `client${i}`, priority: 100 });
    b.insertCap(c.cnode, EP_SLOT, b.cap(ep));
    sim.attach(c.tcb, function* (): Program {
      for (;;) yield sys.call(EP_SLOT, 0, [i]);
    });
    clients.push(c.tcb);
  }
  b.resume(server.tcb);
  for (const c of clients) b.resume(c);
  b.start();
  sim.run(Number.MAX_SAFE_INTEGER);
  if (served < rounds)
    throw new Error(`bench-scaling (${config}): ${served} of ${rounds} round trips with ${waiters} waiters`);
  // One round trip is two kernel entries: the server's ReplyRecv and the answered client's Call.
  return point(waiters, (rounds - 1) * 2, timed);
}
