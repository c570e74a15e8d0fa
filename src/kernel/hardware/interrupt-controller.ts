// The simulated PC's interrupt hardware: one IOAPIC with 24 input pins (QEMU's pc machine) and
// the CPU's local APIC. Not seL4 code: this is the hardware seL4's pc99 drivers program
// (src/plat/pc99/machine/ioapic.c writes the redirection table, the kernel's ackInterrupt is
// the local APIC's end-of-interrupt). Devices drive the pins; what reaches the CPU is a vector
// in the local APIC's request register, which the kernel takes on its next interrupt entry.

/** Input pins of the one IOAPIC (QEMU's pc machine; IOAPICVER reports 23 as the last entry). */
export const IOAPIC_PINS = 24;

/** One redirection-table entry, as ioapic_map_pin_to_vector and ioapic_mask write it. */
export interface Redirection {
  vector: number;
  masked: boolean;
  /** Level-triggered (seL4's `level` argument 1) or edge-triggered (0). */
  levelTriggered: boolean;
  /** Active low (seL4's `polarity` argument 1) or active high (0). */
  activeLow: boolean;
}

/**
 * The local APIC, reduced to what interrupts from the IOAPIC need: the vectors requested and not
 * yet taken (IRR), the one being handled (ISR), and the end-of-interrupt that tells the IOAPIC a
 * level-triggered vector was serviced. seL4 takes one interrupt per kernel entry and acknowledges
 * it before returning, so one in-service vector is all it ever has.
 */
export class LocalAPIC {
  private readonly requested = new Set<number>();
  private inService: number | null = null;

  constructor(private readonly onEndOfInterrupt: (vector: number) => void) {}

  raise(vector: number): void {
    this.requested.add(vector);
  }

  hasRequest(): boolean {
    return this.requested.size > 0;
  }

  /** The CPU takes the highest requested vector (x86 priority grows with the vector), or null. */
  accept(): number | null {
    if (this.requested.size === 0) return null;
    const vector = Math.max(...this.requested);
    this.requested.delete(vector);
    this.inService = vector;
    return vector;
  }

  /** EOI: the in-service interrupt is done (apic_ack_active_interrupt). */
  endOfInterrupt(): void {
    const vector = this.inService;
    this.inService = null;
    if (vector !== null) this.onEndOfInterrupt(vector);
  }
}

/**
 * The IOAPIC: each pin's redirection entry and input level. An edge-triggered pin delivers its
 * vector when its input becomes active while unmasked; an edge while masked is lost (the 82093AA
 * datasheet, which QEMU follows). A level-triggered pin delivers while its input is active and
 * unmasked, once until the local APIC's EOI for that vector (the Remote IRR bit), so a device
 * that still asserts its line after the EOI and an unmask interrupts again.
 */
export class IOAPIC {
  /** At reset every pin is masked with vector 0, as single_ioapic_init leaves them. */
  private readonly entries: Redirection[] = Array.from({ length: IOAPIC_PINS }, () => ({
    vector: 0,
    masked: true,
    levelTriggered: false,
    activeLow: false,
  }));
  private readonly lines: boolean[] = new Array<boolean>(IOAPIC_PINS).fill(false);
  private readonly remoteIRR: boolean[] = new Array<boolean>(IOAPIC_PINS).fill(false);

  constructor(private readonly lapic: LocalAPIC) {}

  redirection(pin: number): Readonly<Redirection> {
    return this.entries[pin]!;
  }

  /** A write to the redirection table: unmasking a level-triggered pin whose input is active delivers it. */
  writeRedirection(pin: number, entry: Redirection): void {
    this.entries[pin] = { ...entry };
    this.deliverLevel(pin);
  }

  /** A device drives pin `pin` high (true) or low. */
  setLine(pin: number, high: boolean): void {
    if (pin < 0 || pin >= IOAPIC_PINS) return; // not wired to this IOAPIC
    const wasActive = this.active(pin);
    this.lines[pin] = high;
    const e = this.entries[pin]!;
    if (e.levelTriggered) this.deliverLevel(pin);
    else if (!wasActive && this.active(pin) && !e.masked) this.lapic.raise(e.vector);
  }

  /** The local APIC's EOI reaches every level-triggered pin with that vector (Remote IRR cleared). */
  endOfInterrupt(vector: number): void {
    for (let pin = 0; pin < IOAPIC_PINS; pin++) {
      const e = this.entries[pin]!;
      if (e.levelTriggered && e.vector === vector && this.remoteIRR[pin]) {
        this.remoteIRR[pin] = false;
        this.deliverLevel(pin);
      }
    }
  }

  /** Whether the input becoming active now would reach the CPU: a device event on this pin matters. */
  wouldDeliver(pin: number): boolean {
    const e = this.entries[pin];
    if (e === undefined || e.masked) return false;
    return !(e.levelTriggered && (this.remoteIRR[pin] || this.active(pin)));
  }

  private active(pin: number): boolean {
    return this.lines[pin] !== this.entries[pin]!.activeLow;
  }

  private deliverLevel(pin: number): void {
    const e = this.entries[pin]!;
    if (!e.levelTriggered || e.masked || this.remoteIRR[pin] || !this.active(pin)) return;
    this.remoteIRR[pin] = true;
    this.lapic.raise(e.vector);
  }
}
