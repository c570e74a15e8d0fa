// MCS budgets measured in simulated time (src/kernel/sporadic.c, src/kernel/thread.c): how much
// CPU time a scheduling context's thread really gets, against the budget and period it was
// configured with. A periodic SC gives its budget once per period and never more in any window of
// one period (the sporadic-server rule), however often its thread blocks and wakes and whatever
// number of refills it has; a passive server runs only while a caller has lent it an SC, and only
// as long as that SC's budget lasts.
import { describe, expect, it } from "vitest";
import { sys } from "../support/in-process.js";
import { TestSystem } from "./fixtures.js";
import { REPLY, ipc, label, oneWay } from "./ipc-helpers.js";

const api = ipc("mcs");
const US = 1000;
const MS = 1000 * US;

/** Who ran when: the running thread after every kernel entry, with the kernel's time in ns. */
class Timeline {
  private readonly points: { at: number; thread: string }[] = [];

  constructor(private readonly s: TestSystem) {}

  run(resumeOrder: string[], maxSteps = 200_000): this {
    const k = this.s.kernel;
    for (const n of resumeOrder) k.boot.resume(this.s.tcb(n));
    k.boot.start();
    const note = () => this.points.push({ at: k.now, thread: k.currentThread()?.name.replace(/^tcb_/, "") ?? "idle" });
    note();
    this.s.sim.onEntry = note;
    this.s.sim.run(maxSteps);
    note();
    return this;
  }

  /** The intervals [from, to) during which `thread` ran. */
  runs(thread: string): [number, number][] {
    const out: [number, number][] = [];
    for (let i = 0; i + 1 < this.points.length; i++) {
      const { at, thread: t } = this.points[i]!;
      const next = this.points[i + 1]!.at;
      if (t === thread && next > at) out.push([at, next]);
    }
    return out;
  }

  /** ns of CPU time `thread` had in [from, to). */
  used(thread: string, from: number, to: number): number {
    return this.runs(thread).reduce((sum, [a, b]) => sum + Math.max(0, Math.min(b, to) - Math.max(a, from)), 0);
  }

  /** The most CPU time `thread` had in any window of `length` (windows starting where it starts to run suffice). */
  busiestWindow(thread: string, length: number): number {
    return Math.max(0, ...this.runs(thread).map(([start]) => this.used(thread, start, start + length)));
  }
}

describe("a periodic scheduling context, measured in simulated time", () => {
  for (const [budgetUs, periodUs] of [
    [2_000, 10_000],
    [3_000, 7_000],
    [250, 1_000],
  ] as const) {
    it(`gives a thread that always wants the CPU exactly ${budgetUs} µs in every period of ${periodUs} µs, and no more in any window of one period`, () => {
      const budget = budgetUs * US;
      const period = periodUs * US;
      const s = new TestSystem("mcs", [
        { name: "periodic", priority: 200, sc: { budgetUs, periodUs } },
        { name: "background", priority: 100, sc: { budgetUs: 1_000_000, periodUs: 1_000_000 } },
      ]);
      s.program("periodic", function* () {
        yield sys.spin(12 * budget);
      });
      s.program("background", function* () {
        yield sys.spin(13 * period);
      });
      const t = new Timeline(s).run(["background", "periodic"]);
      for (let k = 0; k < 12; k++) expect(t.used("periodic", k * period, (k + 1) * period)).toBe(budget);
      expect(t.busiestWindow("periodic", period)).toBe(budget);
      // The rest of each period is the background thread's.
      expect(t.used("background", 0, period)).toBe(period - budget);
    });
  }
});

describe("a sporadic thread: one that blocks and wakes many times in a period", () => {
  /**
   * `bursty` (3 ms every 10 ms) wakes every millisecond, when `ticker` signals, and wants 0.4 ms
   * each time: 40% of the CPU on an SC that allows 30%. Each wake-up after a partial run leaves a
   * refill behind, so its refill list is what limits it.
   */
  function bursty(extraRefills: number) {
    const s = new TestSystem("mcs", [
      { name: "ticker", priority: 250, sc: { budgetUs: 50, periodUs: 1_000 } },
      { name: "bursty", priority: 200, sc: { budgetUs: 3_000, periodUs: 10_000, extraRefills } },
      { name: "background", priority: 100, sc: { budgetUs: 1_000_000, periodUs: 1_000_000 } },
    ]);
    oneWay(s, "Notification", "tick", "ticker", "bursty", 3);
    let mostRefills = 0;
    s.program("ticker", function* () {
      for (let i = 0; i < 200; i++) {
        yield sys.signal(3);
        yield sys.yield(); // the rest of its budget: the next signal comes one period later
      }
    });
    s.program("bursty", function* () {
      for (;;) {
        yield api.wait(3);
        yield sys.spin(400 * US);
        mostRefills = Math.max(mostRefills, s.tcb("bursty").sc!.refills.length);
      }
    });
    s.program("background", function* () {
      yield sys.spin(400 * MS);
    });
    const t = new Timeline(s).run(["background", "bursty", "ticker"]);
    return { t, mostRefills, maxRefills: s.tcb("bursty").sc!.maxRefills };
  }

  for (const extraRefills of [0, 6]) {
    it(`never gets more than its budget in any window of one period (${extraRefills} extra refills)`, () => {
      const { t, mostRefills, maxRefills } = bursty(extraRefills);
      expect(t.busiestWindow("bursty", 10 * MS)).toBe(3 * MS);
      expect(maxRefills).toBe(2 + extraRefills);
      expect(mostRefills).toBeLessThanOrEqual(maxRefills);
      expect(mostRefills).toBeGreaterThan(1);
    });
  }

  it("with 6 extra refills gets its whole budget every period; with none, merged refills come late and it gets less", () => {
    const perPeriod = (extraRefills: number) => {
      const { t } = bursty(extraRefills);
      return Array.from({ length: 16 }, (_, k) => t.used("bursty", (k + 2) * 10 * MS, (k + 3) * 10 * MS));
    };
    // A run that crosses a period boundary counts in two periods: within a microsecond.
    for (const used of perPeriod(6)) expect(Math.abs(used - 3 * MS)).toBeLessThanOrEqual(US);
    // With only two refills, each wake-up after a partial run merges its refill into the last one,
    // moved later (schedule_used): the thread waits for budget it has not used, about 20% of it here.
    const few = perPeriod(0);
    for (const used of few) expect(used).toBeLessThanOrEqual(3 * MS);
    const average = few.reduce((a, b) => a + b, 0) / few.length;
    expect(average).toBeLessThan(2.6 * MS);
    expect(average).toBeGreaterThan(2.2 * MS);
  });
});

describe("a passive server", () => {
  it("runs only while a caller has lent it its SC, and only as long as the caller's budget lasts", () => {
    const s = new TestSystem("mcs", [
      { name: "server", priority: 150 },
      { name: "client", priority: 100, sc: { budgetUs: 1_000, periodUs: 10_000 } },
      { name: "background", priority: 50, sc: { budgetUs: 1_000_000, periodUs: 1_000_000 } },
    ]);
    const ep = s.create("Endpoint", "ep");
    s.give("server", 3, ep);
    s.give("server", REPLY, s.create("Reply", "server_reply"));
    s.give("client", 3, ep);
    s.give("client", 4, s.tcb("client").sc!);
    s.give("client", 5, s.tcb("server").sc!);
    let consumedUs = -1n;
    s.program("server", function* () {
      let r = yield api.recv(3);
      for (;;) {
        yield sys.spin(2_500 * US); // each request takes 2.5 ms of work
        r = yield api.replyRecv(3, 0, [r.mrs[0]! + 1n]);
      }
    });
    s.program("client", function* () {
      // The server (higher priority) ran first and now waits: take its SC away, then call it.
      expect((yield sys.call(5, label("mcs", "SchedContextUnbind"))).label).toBe(0n);
      yield sys.call(3, 0, [1]);
      consumedUs = (yield sys.call(4, label("mcs", "SchedContextConsumed"))).mrs[0]!;
    });
    s.program("background", function* () {
      yield sys.spin(60 * MS);
    });
    const t = new Timeline(s).run(["background", "client", "server"]);
    // After its first wait, the server runs only on the client's SC: 2.5 ms of work on a budget
    // of 1 ms every 10 ms takes three of the client's periods, and the background thread runs
    // in between although it has the lowest priority.
    const [boot, ...work] = t.runs("server").map(([a, b]) => [Math.round(a / US), Math.round(b / US)] as const);
    expect(boot).toEqual([0, 0]);
    expect(work.map(([a, b]) => [a, b])).toEqual([
      [0, 1_000],
      [10_000, 11_000],
      [20_000, 20_500],
    ]);
    expect(t.used("background", 1 * MS, 10 * MS)).toBeGreaterThan(9 * MS - US);
    expect(t.used("server", 21 * MS, 60 * MS)).toBe(0);
    // The server's work was the client's time: it is in the client's SC's consumed time.
    expect(Number(consumedUs)).toBeGreaterThanOrEqual(2_500);
    expect(s.tcb("server").sc).toBeNull();
  });
});
