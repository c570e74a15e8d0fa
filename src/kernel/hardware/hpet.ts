// The simulated PC's High Precision Event Timer, as QEMU's pc machine has it (hw/timer/hpet.c):
// one 64-bit main counter at 100 MHz (a 10 ns period), three comparators, interrupts routed
// to the IOAPIC. Not seL4 code and not used by seL4: it is a device for user-level drivers, which
// map its page (a device frame) and program it with 64-bit loads and stores. Its time is the
// simulated clock; nothing here reads a real one. docs/fidelity.md lists what it does not model.

/** Where the firmware puts the HPET on a PC (the ACPI HPET table's base address). */
export const HPET_BASE = 0xfed00000;
/** The register block: one 4 KiB page, of which 0x400 bytes decode. */
export const HPET_BYTES = 0x400;
/** COUNTER_CLK_PERIOD in femtoseconds (QEMU: 10 ns). */
export const HPET_PERIOD_FS = 10_000_000n;
const NS_PER_TICK = 10;
const TIMERS = 3;

// Register offsets (IA-PC HPET specification 1.0a, section 2.3).
export const HPET_GCAP_ID = 0x000;
export const HPET_GEN_CONF = 0x010;
export const HPET_GEN_INT_STATUS = 0x020;
export const HPET_MAIN_COUNTER = 0x0f0;
/** Timer N's configuration and comparator registers are at these offsets + 0x20 * N (its FSB route at 0x110 reads 0). */
export const HPET_TN_CONF = 0x100;
export const HPET_TN_COMPARATOR = 0x108;

// General configuration bits.
export const HPET_ENABLE_CNF = 1n << 0n;
const HPET_LEG_RT_CNF = 1n << 1n;
// Timer configuration bits.
export const HPET_TN_INT_TYPE_CNF = 1n << 1n; // 1: level-triggered
export const HPET_TN_INT_ENB_CNF = 1n << 2n;
export const HPET_TN_TYPE_CNF = 1n << 3n; // 1: periodic
export const HPET_TN_PER_INT_CAP = 1n << 4n;
export const HPET_TN_SIZE_CAP = 1n << 5n;
export const HPET_TN_VAL_SET_CNF = 1n << 6n;
export const HPET_TN_INT_ROUTE_SHIFT = 9n;
/**
 * The configuration bits software may write (QEMU's HPET_TN_CFG_WRITE_MASK): besides those above,
 * Tn_32MODE_CNF (bit 8) and Tn_FSB_EN_CNF (bit 14), which are kept but change nothing here.
 */
const TN_WRITABLE = 0x7f4en;
/** Tn_INT_ROUTE_CAP: on QEMU's pc (i440fx) machine every comparator reaches IOAPIC pin 2 only. */
export const HPET_ROUTE_CAP = 1n << 2n;

/**
 * GCAP_ID: QEMU's 0x8086a001 (vendor 8086, legacy-replacement capable, 64-bit counter, revision 1),
 * the number of the last timer in bits 8..12, the period in the upper half.
 */
const GCAP_ID = (HPET_PERIOD_FS << 32n) | 0x8086a001n | (BigInt(TIMERS - 1) << 8n);

const WORD_MASK = (1n << 64n) - 1n;
/** Counter ticks whose simulated time is still exact in a double (2^53 ns). */
const MAX_TICKS = BigInt(Math.floor(Number.MAX_SAFE_INTEGER / NS_PER_TICK));

interface Comparator {
  config: bigint;
  /** The counter value of the next match. */
  comparator: bigint;
  /** Periodic mode: what each match adds to the comparator. */
  period: bigint;
  /** A match is still to come: a write arms it; a one-shot match disarms it. */
  armed: boolean;
}

/** `line(pin, high)`: the HPET drives IOAPIC input `pin`. */
export type InterruptLine = (pin: number, high: boolean) => void;

export class HPET {
  private generalConfig = 0n;
  private status = 0n;
  /** The counter value at `since` (ns of simulated time); it counts from there while enabled. */
  private counterBase = 0n;
  private since = 0;
  private readonly timers: Comparator[] = Array.from({ length: TIMERS }, () => ({
    config: HPET_TN_PER_INT_CAP | HPET_TN_SIZE_CAP | (HPET_ROUTE_CAP << 32n),
    comparator: WORD_MASK,
    period: 0n,
    armed: false,
  }));

  constructor(private readonly line: InterruptLine) {}

  private get enabled(): boolean {
    return (this.generalConfig & HPET_ENABLE_CNF) !== 0n;
  }

  counterAt(now: number): bigint {
    if (!this.enabled) return this.counterBase;
    return (this.counterBase + BigInt(Math.floor((now - this.since) / NS_PER_TICK))) & WORD_MASK;
  }

  /** Bring the comparators up to `now`: every match since the last call happens now. */
  sync(now: number): void {
    if (!this.enabled) return;
    const counter = this.counterAt(now);
    this.timers.forEach((t, n) => {
      if (!t.armed || counter < t.comparator) return;
      if ((t.config & HPET_TN_TYPE_CNF) !== 0n && t.period > 0n) {
        // Periodic: the comparator moves on by whole periods past the counter (QEMU's hpet_timer).
        t.comparator = (t.comparator + ((counter - t.comparator) / t.period + 1n) * t.period) & WORD_MASK;
      } else {
        t.armed = false;
      }
      this.fire(n);
    });
  }

  /**
   * The simulated time of the next match whose interrupt would reach the CPU, or null. `reaches`
   * says whether an interrupt on an IOAPIC pin would be delivered now: a match on a masked pin
   * changes only state that `sync` computes when software next looks.
   */
  nextEvent(now: number, reaches: (pin: number) => boolean): number | null {
    if (!this.enabled) return null;
    const counter = this.counterAt(now);
    let next: number | null = null;
    this.timers.forEach((t, n) => {
      const pin = this.wiredPin(n);
      if (!t.armed || (t.config & HPET_TN_INT_ENB_CNF) === 0n || pin === null || !reaches(pin)) return;
      if (t.comparator - this.counterBase > MAX_TICKS) return; // beyond any simulated run
      // The counter reaches the comparator at the first ns at which base + floor((ns - since) / 10) does.
      const at = t.comparator <= counter ? now : this.since + Number(t.comparator - this.counterBase) * NS_PER_TICK;
      if (next === null || at < next) next = at;
    });
    return next;
  }

  /** A 64-bit load at `offset` in the register block. */
  read(offset: number, now: number): bigint {
    this.sync(now);
    switch (offset) {
      case HPET_GCAP_ID:
        return GCAP_ID;
      case HPET_GEN_CONF:
        return this.generalConfig;
      case HPET_GEN_INT_STATUS:
        return this.status;
      case HPET_MAIN_COUNTER:
        return this.counterAt(now);
      default:
        break;
    }
    const t = this.timerAt(offset);
    if (t === null) return 0n; // reserved registers read as zero
    switch ((offset - HPET_TN_CONF) % 0x20) {
      case 0x00:
        return t.config;
      case 0x08:
        return t.comparator;
      default:
        return 0n; // FSB route: no FSB delivery on this machine
    }
  }

  /** A 64-bit store at `offset` in the register block. */
  write(offset: number, value: bigint, now: number): void {
    this.sync(now);
    switch (offset) {
      case HPET_GEN_CONF:
        return this.writeGeneralConfig(value & (HPET_ENABLE_CNF | HPET_LEG_RT_CNF), now);
      case HPET_GEN_INT_STATUS: {
        // Writing 1 clears a level-triggered interrupt's status bit, and the line goes low.
        this.timers.forEach((_, n) => {
          if ((value >> BigInt(n)) & 1n) this.lower(n, this.wiredPin(n));
        });
        return;
      }
      case HPET_MAIN_COUNTER:
        this.counterBase = value;
        this.since = now;
        return;
      default:
        break;
    }
    const t = this.timerAt(offset);
    if (t === null) return;
    switch ((offset - HPET_TN_CONF) % 0x20) {
      case 0x00: {
        const n = this.timers.indexOf(t);
        const before = this.wiredPin(n);
        t.config = (t.config & ~TN_WRITABLE) | (value & TN_WRITABLE);
        // Interrupts disabled, made edge-triggered or rerouted: a level-triggered line that was high goes low.
        const level =
          (t.config & (HPET_TN_INT_ENB_CNF | HPET_TN_INT_TYPE_CNF)) === (HPET_TN_INT_ENB_CNF | HPET_TN_INT_TYPE_CNF);
        if (!level || this.wiredPin(n) !== before) this.lower(n, before);
        return;
      }
      case 0x08:
        this.writeComparator(t, value);
        return;
      default:
        return;
    }
  }

  /**
   * QEMU's comparator write: a one-shot timer (or a periodic one with Tn_VAL_SET_CNF) takes the
   * value as its next match; a periodic one also takes it as its period. Tn_VAL_SET_CNF clears.
   * A match at or below the counter happens at once (QEMU), not after the counter wraps.
   */
  private writeComparator(t: Comparator, value: bigint): void {
    const periodic = (t.config & HPET_TN_TYPE_CNF) !== 0n;
    if (!periodic || (t.config & HPET_TN_VAL_SET_CNF) !== 0n) t.comparator = value;
    if (periodic) t.period = value;
    t.config &= ~HPET_TN_VAL_SET_CNF;
    t.armed = true;
  }

  private writeGeneralConfig(value: bigint, now: number): void {
    const wasEnabled = this.enabled;
    const counter = this.counterAt(now);
    this.generalConfig = value;
    if (wasEnabled === this.enabled) return;
    // The counter stops where it is and starts again from there.
    this.counterBase = counter;
    this.since = now;
  }

  /**
   * The IOAPIC pin timer `n` drives, or null when it reaches none: legacy replacement puts timer 0
   * on pin 2 and timer 1 on pin 8; otherwise Tn_INT_ROUTE_CNF, and only the pins in
   * Tn_INT_ROUTE_CAP are wired. FSB (MSI) delivery is not offered (no Tn_FSB_INT_DEL_CAP).
   */
  private wiredPin(n: number): number | null {
    if ((this.generalConfig & HPET_LEG_RT_CNF) !== 0n && n < 2) return n === 0 ? 2 : 8;
    const pin = Number((this.timers[n]!.config >> HPET_TN_INT_ROUTE_SHIFT) & 0x1fn);
    return ((HPET_ROUTE_CAP >> BigInt(pin)) & 1n) === 1n ? pin : null;
  }

  /** A comparator match: a level-triggered interrupt sets its status bit and holds the line high; an edge pulses it. */
  private fire(n: number): void {
    const t = this.timers[n]!;
    const pin = this.wiredPin(n);
    if ((t.config & HPET_TN_INT_ENB_CNF) === 0n || pin === null) return;
    if ((t.config & HPET_TN_INT_TYPE_CNF) !== 0n) {
      this.status |= 1n << BigInt(n);
      this.line(pin, true);
    } else {
      this.line(pin, true);
      this.line(pin, false);
    }
  }

  /** Drop timer `n`'s level-triggered interrupt: its status bit clears and its line goes low. */
  private lower(n: number, pin: number | null): void {
    if (((this.status >> BigInt(n)) & 1n) === 0n) return;
    this.status &= ~(1n << BigInt(n));
    if (pin !== null) this.line(pin, false);
  }

  private timerAt(offset: number): Comparator | null {
    if (offset < HPET_TN_CONF) return null;
    const n = Math.floor((offset - HPET_TN_CONF) / 0x20);
    return this.timers[n] ?? null;
  }
}
