// A driver for the simulated PC's HPET (High Precision Event Timer): the library the timer server
// uses, as the official tutorial's timer.c uses its zynq7000 TTC driver (same five functions). The
// HPET is memory-mapped: each register is a 64-bit word in its page, which timer.ts maps at
// `reg_base`. Its main counter runs at the simulated clock's pace; each of its comparators
// interrupts when the counter reaches it, on IOAPIC pin 2.
import { assert, readWord, writeWord } from "sel4";

export interface timer_drv_t {
  /** Where the HPET's register page is mapped. */
  reg_base: number;
  /** Which of the HPET's comparators this driver uses. */
  timer_id: number;
  /** The main counter's period, in femtoseconds (from the capabilities register). */
  period_fs: number;
}

/** The IOAPIC input the HPET's comparators reach on this machine (their Tn_INT_ROUTE_CAP has only bit 2). */
export const TIMER_IOAPIC_PIN = 2;

// Registers (offsets in the page) and their bits, from the IA-PC HPET specification.
const GCAP_ID = 0x000; // capabilities: number of comparators in bits 8..12, counter period (fs) in 32..63
const GEN_CONF = 0x010; // bit 0: the main counter runs
const GEN_INT_STATUS = 0x020; // bit n: comparator n's level-triggered interrupt is active; write 1 to clear
const MAIN_COUNTER = 0x0f0;
const TN_CONF = (n: number) => 0x100 + 0x20 * n;
const TN_COMPARATOR = (n: number) => 0x108 + 0x20 * n;

const ENABLE_CNF = 1;
const TN_INT_TYPE_LEVEL = 1 << 1; // level-triggered: the line stays active until the status bit is cleared
const TN_INT_ENB = 1 << 2;
const TN_TYPE_PERIODIC = 1 << 3;
const TN_VAL_SET = 1 << 6; // the next comparator write sets the comparator itself, not only the period
const TN_INT_ROUTE_SHIFT = 9;

const FS_PER_NS = 1_000_000;

function get_register(timer_drv: timer_drv_t, offset: number): number {
  return readWord(timer_drv.reg_base + offset);
}

function set_register(timer_drv: timer_drv_t, offset: number, value: number): void {
  writeWord(timer_drv.reg_base + offset, value);
}

/** Comparator `timer_id`: interrupts off, level-triggered, routed to TIMER_IOAPIC_PIN; the counter stopped. */
export function timer_init(timer_drv: timer_drv_t, timer_id: number, reg_base: number): number {
  assert(reg_base !== 0);
  timer_drv.reg_base = reg_base;
  timer_drv.timer_id = timer_id;
  const capabilities = get_register(timer_drv, GCAP_ID);
  const last_timer = Math.floor(capabilities / 2 ** 8) % 32;
  assert(0 <= timer_id && timer_id <= last_timer);
  timer_drv.period_fs = Math.floor(capabilities / 2 ** 32);

  set_register(timer_drv, GEN_CONF, 0);
  set_register(timer_drv, TN_CONF(timer_id), TN_INT_TYPE_LEVEL | (TIMER_IOAPIC_PIN << TN_INT_ROUTE_SHIFT));
  set_register(timer_drv, GEN_INT_STATUS, 1 << timer_id);
  return 0;
}

/**
 * Interrupt `ns` nanoseconds from now, and every `ns` after that if `periodic`. Returns -1 when
 * `ns` is shorter than one tick of the counter.
 */
export function timer_set_timeout(timer_drv: timer_drv_t, ns: number, periodic: boolean): number {
  const ticks = Math.floor((ns * FS_PER_NS) / timer_drv.period_fs);
  if (ticks < 1) return -1;
  const id = timer_drv.timer_id;
  const route = TIMER_IOAPIC_PIN << TN_INT_ROUTE_SHIFT;
  if (periodic) {
    // With VAL_SET the first write sets the first match, the second one the period.
    set_register(timer_drv, TN_CONF(id), TN_INT_ENB | TN_INT_TYPE_LEVEL | TN_TYPE_PERIODIC | TN_VAL_SET | route);
    set_register(timer_drv, TN_COMPARATOR(id), get_register(timer_drv, MAIN_COUNTER) + ticks);
    set_register(timer_drv, TN_COMPARATOR(id), ticks);
  } else {
    set_register(timer_drv, TN_CONF(id), TN_INT_ENB | TN_INT_TYPE_LEVEL | route);
    set_register(timer_drv, TN_COMPARATOR(id), get_register(timer_drv, MAIN_COUNTER) + ticks);
  }
  return 0;
}

/** Clear the comparator's interrupt at the device: the line to the IOAPIC goes inactive. */
export function timer_handle_irq(timer_drv: timer_drv_t): number {
  set_register(timer_drv, GEN_INT_STATUS, 1 << timer_drv.timer_id);
  return 0;
}

/** Start the main counter. */
export function timer_start(timer_drv: timer_drv_t): number {
  set_register(timer_drv, GEN_CONF, get_register(timer_drv, GEN_CONF) | ENABLE_CNF);
  return 0;
}

/** Stop the main counter: no comparator matches while it stands still. */
export function timer_stop(timer_drv: timer_drv_t): number {
  set_register(timer_drv, GEN_CONF, get_register(timer_drv, GEN_CONF) & ~ENABLE_CNF);
  return 0;
}
