// seL4's IOAPIC driver (src/plat/pc99/machine/ioapic.c): checking GetIOAPIC's arguments,
// routing a pin to a vector (masked) and masking or unmasking it. It programs the simulated
// IOAPIC of the kernel's board; seL4 keeps a copy of each entry (ioredtbl_state), the model reads
// the chip's.
import { syscallError } from "../../api/failures.js";
import type { Word } from "../../api/types.js";
import type { KernelState } from "../../model/state.js";
import { IOAPIC_PINS } from "../../hardware/interrupt-controller.js";
import { NUM_IOAPICS } from "./irq.js";

/** printf's %ld / %d of a word cast to long or int. */
const asLong = (w: Word): string => BigInt.asIntN(64, w).toString();
const asInt = (w: Word): string => BigInt.asIntN(32, w).toString();

/** ioapic_decode_map_pin_to_vector: the IOAPIC, pin, trigger mode and polarity must exist. */
export function ioapicDecodeMapPinToVector(ioapic: Word, pin: Word, level: Word, polarity: Word): void {
  if (ioapic >= BigInt(NUM_IOAPICS)) {
    syscallError(
      { type: "RangeError", min: 0, max: NUM_IOAPICS - 1 },
      `Invalid IOAPIC ${asLong(ioapic)}, only have ${NUM_IOAPICS}`,
    );
  }
  if (pin >= BigInt(IOAPIC_PINS)) {
    syscallError(
      { type: "RangeError", min: 0, max: IOAPIC_PINS - 1 },
      `Invalid IOAPIC pin ${asLong(pin)}, there are ${IOAPIC_PINS} pins`,
    );
  }
  if (level !== 0n && level !== 1n)
    syscallError({ type: "RangeError", min: 0, max: 1 }, `Level should be 0 or 1, not ${asInt(level)}`);
  if (polarity !== 0n && polarity !== 1n) {
    syscallError({ type: "RangeError", min: 0, max: 1 }, `Polarity should be 0 or 1, not ${asInt(polarity)}`);
  }
}

/** ioapic_map_pin_to_vector: the pin now delivers `vector`, and stays masked until ioapic_mask unmasks it. */
export function ioapicMapPinToVector(
  ks: KernelState,
  pin: number,
  level: boolean,
  polarity: boolean,
  vector: number,
): void {
  ks.board.ioapic.writeRedirection(pin, { vector, masked: true, levelTriggered: level, activeLow: polarity });
}

/** ioapic_mask: requests for pins that do not exist are silently ignored. */
export function ioapicMask(ks: KernelState, mask: boolean, ioapic: number, pin: number): void {
  if (ioapic >= NUM_IOAPICS || pin >= IOAPIC_PINS) return;
  const entry = ks.board.ioapic.redirection(pin);
  ks.board.ioapic.writeRedirection(pin, { ...entry, masked: mask });
}
