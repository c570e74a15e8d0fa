// The simulated PC's devices together: the interrupt controllers and the memory-mapped devices a
// user-level driver can reach through a device frame. Not seL4 code. The kernel model owns one
// board, as seL4 runs on one machine: MMU loads and stores that land on a device's registers go
// to the device, and the kernel's interrupt entry asks the local APIC which vector came in.
import { HPET, HPET_BASE, HPET_BYTES } from "./hpet.js";
import { IOAPIC, LocalAPIC } from "./interrupt-controller.js";

interface MappedDevice {
  readonly base: number;
  readonly bytes: number;
  read(offset: number, now: number): bigint;
  write(offset: number, value: bigint, now: number): void;
}

export class Board {
  readonly lapic: LocalAPIC;
  readonly ioapic: IOAPIC;
  readonly hpet: HPET;
  private readonly devices: MappedDevice[];

  constructor() {
    this.lapic = new LocalAPIC((vector) => this.ioapic.endOfInterrupt(vector));
    this.ioapic = new IOAPIC(this.lapic);
    this.hpet = new HPET((pin, high) => this.ioapic.setLine(pin, high));
    const hpet = this.hpet;
    this.devices = [
      {
        base: HPET_BASE,
        bytes: HPET_BYTES,
        read: (offset, now) => hpet.read(offset, now),
        write: (offset, value, now) => hpet.write(offset, value, now),
      },
    ];
  }

  /** Devices catch up with the simulated clock: what happened since they were last looked at happens now. */
  sync(now: number): void {
    this.hpet.sync(now);
  }

  /** The simulated time of the next interrupt that would reach the CPU: now if one is waiting, or null. */
  nextInterrupt(now: number): number | null {
    if (this.lapic.hasRequest()) return now;
    return this.hpet.nextEvent(now, (pin) => this.ioapic.wouldDeliver(pin));
  }

  /** A 64-bit load from physical address `paddr` outside RAM: a device register, or all ones (nothing answers). */
  read(paddr: number, now: number): bigint {
    const d = this.deviceAt(paddr);
    return d === null ? 0xffffffffffffffffn : d.read(paddr - d.base, now);
  }

  /** A 64-bit store to physical address `paddr` outside RAM: a device register, or lost. */
  write(paddr: number, value: bigint, now: number): void {
    const d = this.deviceAt(paddr);
    if (d !== null) d.write(paddr - d.base, value, now);
  }

  private deviceAt(paddr: number): MappedDevice | null {
    return this.devices.find((d) => paddr >= d.base && paddr < d.base + d.bytes) ?? null;
  }
}
