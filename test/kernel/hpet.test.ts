// The simulated HPET (QEMU's, hw/timer/hpet.c, on the IA-PC HPET specification's registers): a main
// counter at 100 MHz of simulated time, comparators that match in one-shot or periodic mode, and
// interrupts on IOAPIC pin 2, level-triggered (a status bit software clears) or edge-triggered.
import { describe, expect, it } from "vitest";
import {
  HPET,
  HPET_ENABLE_CNF,
  HPET_GCAP_ID,
  HPET_GEN_CONF,
  HPET_GEN_INT_STATUS,
  HPET_MAIN_COUNTER,
  HPET_PERIOD_FS,
  HPET_ROUTE_CAP,
  HPET_TN_COMPARATOR,
  HPET_TN_CONF,
  HPET_TN_INT_ENB_CNF,
  HPET_TN_INT_ROUTE_SHIFT,
  HPET_TN_INT_TYPE_CNF,
  HPET_TN_PER_INT_CAP,
  HPET_TN_SIZE_CAP,
  HPET_TN_TYPE_CNF,
  HPET_TN_VAL_SET_CNF,
} from "../../src/kernel/hardware/hpet.js";

const MS = 1_000_000;
const TICKS_PER_MS = 100_000n;
const ROUTE_PIN_2 = 2n << HPET_TN_INT_ROUTE_SHIFT;

/** An HPET whose IOAPIC pins are recorded: each change as "pin:high|low@ns". */
function hpet() {
  let now = 0;
  const lines: string[] = [];
  const device = new HPET((pin, high) => lines.push(`${pin}:${high ? "high" : "low"}@${now}`));
  return {
    device,
    lines,
    at(ns: number) {
      now = ns;
      device.sync(ns);
    },
    read: (offset: number) => device.read(offset, now),
    write: (offset: number, value: bigint) => device.write(offset, value, now),
    get now() {
      return now;
    },
  };
}

/** Timer 0 periodic every `ticks`, as a driver programs it (Linux's sequence; QEMU takes the first write as both). */
function periodic(h: ReturnType<typeof hpet>, ticks: bigint, level: boolean): void {
  h.write(
    HPET_TN_CONF,
    HPET_TN_INT_ENB_CNF | HPET_TN_TYPE_CNF | HPET_TN_VAL_SET_CNF | ROUTE_PIN_2 | (level ? HPET_TN_INT_TYPE_CNF : 0n),
  );
  h.write(HPET_TN_COMPARATOR, h.read(HPET_MAIN_COUNTER) + ticks);
  h.write(HPET_TN_COMPARATOR, ticks);
}

const always = () => true;

describe("the simulated HPET", () => {
  it("identifies itself as QEMU's: vendor 8086, three 64-bit timers, a 10 ns period, each routable to IOAPIC pin 2 only", () => {
    const h = hpet();
    const id = h.read(HPET_GCAP_ID);
    expect(id >> 32n).toBe(HPET_PERIOD_FS);
    expect((id >> 16n) & 0xffffn).toBe(0x8086n);
    expect(Number((id >> 8n) & 0x1fn) + 1).toBe(3);
    expect(h.read(HPET_TN_CONF) >> 32n).toBe(HPET_ROUTE_CAP);
    expect(HPET_ROUTE_CAP).toBe(1n << 2n);
    expect(h.read(HPET_TN_CONF) & (HPET_TN_PER_INT_CAP | HPET_TN_SIZE_CAP)).toBe(
      HPET_TN_PER_INT_CAP | HPET_TN_SIZE_CAP,
    );
  });

  it("counts simulated time at 100 MHz only while enabled, and keeps its count while stopped", () => {
    const h = hpet();
    h.at(5 * MS);
    expect(h.read(HPET_MAIN_COUNTER)).toBe(0n);
    h.write(HPET_GEN_CONF, HPET_ENABLE_CNF);
    h.at(7 * MS);
    expect(h.read(HPET_MAIN_COUNTER)).toBe(2n * TICKS_PER_MS);
    h.write(HPET_GEN_CONF, 0n);
    h.at(9 * MS);
    expect(h.read(HPET_MAIN_COUNTER)).toBe(2n * TICKS_PER_MS);
  });

  it("matches a periodic comparator every period: level-triggered, the line stays high until the status bit is cleared", () => {
    const h = hpet();
    h.write(HPET_GEN_CONF, HPET_ENABLE_CNF);
    periodic(h, TICKS_PER_MS, true);
    expect(h.device.nextEvent(h.now, always)).toBe(1 * MS);
    h.at(1 * MS);
    expect(h.read(HPET_GEN_INT_STATUS)).toBe(1n);
    expect(h.device.nextEvent(h.now, always)).toBe(2 * MS);
    h.write(HPET_GEN_INT_STATUS, 1n);
    h.at(2 * MS);
    expect(h.lines).toEqual(["2:high@1000000", "2:low@1000000", "2:high@2000000"]);
  });

  it("pulses the line for an edge-triggered comparator, and sets no status bit", () => {
    const h = hpet();
    h.write(HPET_GEN_CONF, HPET_ENABLE_CNF);
    periodic(h, TICKS_PER_MS, false);
    h.at(1 * MS);
    expect(h.lines).toEqual(["2:high@1000000", "2:low@1000000"]);
    expect(h.read(HPET_GEN_INT_STATUS)).toBe(0n);
  });

  it("catches up with missed periods in one match, the comparator landing on the next period after now", () => {
    const h = hpet();
    h.write(HPET_GEN_CONF, HPET_ENABLE_CNF);
    periodic(h, TICKS_PER_MS, false);
    h.at(5.5 * MS);
    expect(h.lines).toHaveLength(2);
    expect(h.read(HPET_TN_COMPARATOR)).toBe(6n * TICKS_PER_MS);
  });

  it("fires a one-shot comparator once, and at once when it is already behind the counter (as QEMU does)", () => {
    const h = hpet();
    h.write(HPET_GEN_CONF, HPET_ENABLE_CNF);
    h.at(1 * MS);
    h.write(HPET_TN_CONF, HPET_TN_INT_ENB_CNF | ROUTE_PIN_2);
    h.write(HPET_TN_COMPARATOR, h.read(HPET_MAIN_COUNTER) + TICKS_PER_MS);
    expect(h.device.nextEvent(h.now, always)).toBe(2 * MS);
    h.at(3 * MS);
    expect(h.device.nextEvent(h.now, always)).toBeNull();
    h.write(HPET_TN_COMPARATOR, 0n);
    expect(h.device.nextEvent(h.now, always)).toBe(3 * MS);
    h.at(3 * MS);
    expect(h.lines).toHaveLength(4);
  });

  it("reaches no pin for a route outside Tn_INT_ROUTE_CAP, nor with interrupts disabled, nor when the pin would not deliver", () => {
    const h = hpet();
    h.write(HPET_GEN_CONF, HPET_ENABLE_CNF);
    h.write(HPET_TN_CONF, HPET_TN_INT_ENB_CNF | (5n << HPET_TN_INT_ROUTE_SHIFT));
    h.write(HPET_TN_COMPARATOR, TICKS_PER_MS);
    expect(h.device.nextEvent(h.now, always)).toBeNull();
    h.write(HPET_TN_CONF, ROUTE_PIN_2);
    h.write(HPET_TN_COMPARATOR, 2n * TICKS_PER_MS);
    expect(h.device.nextEvent(h.now, always)).toBeNull();
    h.write(HPET_TN_CONF, HPET_TN_INT_ENB_CNF | ROUTE_PIN_2);
    expect(h.device.nextEvent(h.now, () => false)).toBeNull();
    h.at(3 * MS);
    expect(h.lines).toEqual(["2:high@3000000", "2:low@3000000"]);
  });
});
