// x86 interrupts (src/arch/x86/object/interrupt.c and the pc99 maskInterrupt in
// include/plat/pc99/plat/machine/interrupt.h): seL4_IRQControl_GetIOAPIC and GetMSI, and where
// each IRQ comes from, which decides how it is masked.
import { syscallError } from "../api/failures.js";
import type { Word } from "../api/types.js";
import type { KernelState } from "../model/state.js";
import { lookupTargetSlot } from "../kernel/cspace.js";
import type { Invocation } from "../object/cnode.js";
import { invokeIRQControl, isIRQActive } from "../object/interrupt.js";
import type { CTE } from "../object/structures.js";
import { ioapicDecodeMapPinToVector, ioapicMapPinToVector, ioapicMask } from "../plat/pc99/ioapic.js";
import {
  IRQ_INT_OFFSET,
  irq_timer,
  irq_user_max,
  irq_user_min,
  maxIRQ,
  PCI_BUS_MAX,
  PCI_DEV_MAX,
  PCI_FUNC_MAX,
} from "../plat/pc99/irq.js";

/** x86_irq_state_t: free, an IOAPIC pin (with its mask bit), an MSI, or reserved. */
export type X86IRQState =
  | { type: "free" }
  | { type: "ioapic"; ioapic: number; pin: number; level: boolean; polarity: boolean; masked: boolean }
  | { type: "msi"; pciBus: number; pciDev: number; pciFunc: number; handle: Word }
  | { type: "reserved" };

/** Arch_irqStateInit: the kernel timer's IRQ is reserved, the others free. */
export function initX86IRQState(): X86IRQState[] {
  return Array.from({ length: maxIRQ + 1 }, (_, irq): X86IRQState =>
    irq === irq_timer ? { type: "reserved" } : { type: "free" },
  );
}

/** printf's %ld of a word cast to long. */
const asLong = (w: Word): string => BigInt.asIntN(64, w).toString();

/**
 * Arch_decodeIRQControlInvocation: the common arguments (destination slot, then the vector, an
 * offset from irq_user_min) in seL4's order of checks, then the IOAPIC's or the MSI's own.
 */
export function Arch_decodeIRQControlInvocation(ks: KernelState, inv: Invocation, srcSlot: CTE): () => void {
  const { label, args, extraCaps } = inv;
  if (label !== "X86IRQIssueIRQHandlerIOAPIC" && label !== "X86IRQIssueIRQHandlerMSI") {
    syscallError({ type: "IllegalOperation" }, "IRQControl: Illegal operation");
  }
  if (args.length < 7 || extraCaps.length < 1)
    syscallError({ type: "TruncatedMessage" }, "IRQControl: Truncated message");
  const [index, depth] = [args[0]!, args[1]!];
  const cnodeCap = extraCaps[0]!.cap;
  const vectorArg = args[6]!;
  if (vectorArg > BigInt(irq_user_max - irq_user_min)) {
    syscallError(
      { type: "RangeError", min: 0, max: irq_user_max - irq_user_min },
      `IRQControl: Invalid irq ${asLong(vectorArg)} should be between 0-${irq_user_max - irq_user_min}`,
    );
  }
  const irq = Number(vectorArg) + irq_user_min;
  if (isIRQActive(ks, irq)) syscallError({ type: "RevokeFirst" }, `IRQControl: IRQ ${irq} is already active.`);
  const vector = irq + IRQ_INT_OFFSET;
  const destSlot = lookupTargetSlot(cnodeCap, index, depth);
  if (destSlot.cap.type !== "Null") syscallError({ type: "DeleteFirst" }, "");

  if (label === "X86IRQIssueIRQHandlerIOAPIC") {
    const [ioapic, pin, level, polarity] = [args[2]!, args[3]!, args[4]!, args[5]!];
    ioapicDecodeMapPinToVector(ioapic, pin, level, polarity);
    return () => {
      const state: X86IRQState = {
        type: "ioapic",
        ioapic: Number(ioapic),
        pin: Number(pin),
        level: level === 1n,
        polarity: polarity === 1n,
        masked: true,
      };
      ioapicMapPinToVector(ks, state.pin, state.level, state.polarity, vector);
      ks.interrupts.x86[irq] = state;
      invokeIRQControl(ks, irq, destSlot, srcSlot);
    };
  }
  const [pciBus, pciDev, pciFunc, handle] = [args[2]!, args[3]!, args[4]!, args[5]!];
  // The MSI's own checks print nothing.
  if (pciBus > BigInt(PCI_BUS_MAX)) syscallError({ type: "RangeError", min: 0, max: PCI_BUS_MAX }, "");
  if (pciDev > BigInt(PCI_DEV_MAX)) syscallError({ type: "RangeError", min: 0, max: PCI_DEV_MAX }, "");
  if (pciFunc > BigInt(PCI_FUNC_MAX)) syscallError({ type: "RangeError", min: 0, max: PCI_FUNC_MAX }, "");
  return () => {
    ks.interrupts.x86[irq] = {
      type: "msi",
      pciBus: Number(pciBus),
      pciDev: Number(pciDev),
      pciFunc: Number(pciFunc),
      handle,
    };
    invokeIRQControl(ks, irq, destSlot, srcSlot);
  };
}

/**
 * maskInterrupt (pc99): only IOAPIC pins can be masked. ISA IRQs would be the PIC's, which this
 * build does not use; an MSI cannot be masked at all, so it interrupts again without an Ack.
 */
export function maskInterrupt(ks: KernelState, disable: boolean, irq: number): void {
  if (irq < irq_user_min || irq > irq_user_max) return;
  const state = ks.interrupts.x86[irq]!;
  if (state.type !== "ioapic") return;
  ioapicMask(ks, disable, state.ioapic, state.pin);
  state.masked = disable;
}
