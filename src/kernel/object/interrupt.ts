// Interrupts (src/object/interrupt.c): the IRQ state table, IRQControl and IRQHandler
// invocations, and handleInterrupt, which turns an interrupt into a signal on the notification
// bound to its IRQ. An IRQ stays masked from its delivery until the handler acknowledges it.
import { syscallError } from "../api/failures.js";
import type { KernelState } from "../model/state.js";
import {
  Arch_decodeIRQControlInvocation,
  initX86IRQState,
  maskInterrupt,
  type X86IRQState,
} from "../arch/interrupt.js";
import {
  irq_timer,
  IRQ_CNODE_SLOT_BITS,
  IRQ_INT_OFFSET,
  irq_user_max,
  irq_user_min,
  maxIRQ,
} from "../plat/pc99/irq.js";
import { cteDelete, cteInsert, newCTE } from "./cdt.js";
import type { Invocation } from "./cnode.js";
import { sendSignal } from "./notification.js";
import { canSend } from "./objecttype.js";
import type { CNodeObj, CTE, IRQObj } from "./structures.js";

/** irq_state_t. */
enum IRQState {
  Inactive = 0,
  Signal = 1,
  Timer = 2,
  Reserved = 3,
}

export interface InterruptState {
  /** intStateIRQTable: what each IRQ is for. */
  readonly table: IRQState[];
  /** intStateIRQNode: the notification cap each IRQ signals, one slot per IRQ. */
  readonly node: CNodeObj;
  /** x86KSIRQState: where each IRQ comes from (IOAPIC pin or MSI). */
  readonly x86: X86IRQState[];
}

/**
 * init_irqs (src/arch/x86/kernel/boot.c) for an IOAPIC build without SMP or IOMMU: the kernel's
 * timer IRQ, the ISA range (the PIC is not used) and anything beyond the user range are reserved;
 * the user range starts inactive. The IRQ node is the kernel's own CNode, in no simulated memory.
 */
export function initIRQs(): InterruptState {
  const table: IRQState[] = [];
  for (let irq = 0; irq <= maxIRQ; irq++) {
    table.push(
      irq === irq_timer
        ? IRQState.Timer
        : irq >= irq_user_min && irq <= irq_user_max
          ? IRQState.Inactive
          : IRQState.Reserved,
    );
  }
  const node: CNodeObj = {
    kind: "CNode",
    id: -1,
    name: "intStateIRQNode",
    paddr: 0,
    sizeBits: IRQ_CNODE_SLOT_BITS,
    capCount: 0,
    live: true,
    radix: IRQ_CNODE_SLOT_BITS,
    slots: [],
  };
  for (let i = 0; i < 2 ** IRQ_CNODE_SLOT_BITS; i++) node.slots.push(newCTE(node, i));
  return { table, node, x86: initX86IRQState() };
}

export function isIRQActive(ks: KernelState, irq: number): boolean {
  return ks.interrupts.table[irq] !== IRQState.Inactive;
}

/** setIRQState: an IRQ is unmasked exactly while it is not Inactive. */
function setIRQState(ks: KernelState, state: IRQState, irq: number): void {
  ks.interrupts.table[irq] = state;
  maskInterrupt(ks, state === IRQState.Inactive, irq);
}

/**
 * decodeIRQControlInvocation. The generic IRQIssueIRQHandler (seL4_IRQControl_Get) names an ISA
 * IRQ, which only a build with the legacy PIC hands out: this one (IOAPIC) refuses it in
 * Arch_checkIRQ. Every other label is x86's (GetIOAPIC, GetMSI).
 */
export function decodeIRQControlInvocation(ks: KernelState, inv: Invocation, srcSlot: CTE): () => void {
  if (inv.label === "IRQIssueIRQHandler") {
    if (inv.args.length < 3 || inv.extraCaps.length < 1) syscallError({ type: "TruncatedMessage" }, "");
    return Arch_checkIRQ();
  }
  return Arch_decodeIRQControlInvocation(ks, inv, srcSlot);
}

/** Arch_checkIRQ with CONFIG_IRQ_IOAPIC: no ISA IRQ can be asked for by number. */
function Arch_checkIRQ(): never {
  return syscallError({ type: "IllegalOperation" }, "IRQControl: Illegal operation");
}

/** invokeIRQControl: the IRQ becomes active (and unmasked); its handler cap is derived from IRQControl. */
export function invokeIRQControl(ks: KernelState, irq: number, handlerSlot: CTE, controlSlot: CTE): void {
  setIRQState(ks, IRQState.Signal, irq);
  const obj: IRQObj = {
    kind: "IRQ",
    irq,
    id: ks.nextObjectId(),
    name: `irq_${irq}`,
    paddr: 0,
    sizeBits: 0,
    capCount: 0,
    live: true,
  };
  ks.objects.push(obj);
  cteInsert({ type: "IRQHandler", obj }, controlSlot, handlerSlot);
}

/** decodeIRQHandlerInvocation: Ack, SetNotification, Clear. */
export function decodeIRQHandlerInvocation(ks: KernelState, inv: Invocation, irq: number): () => void {
  switch (inv.label) {
    case "IRQAckIRQ":
      return () => maskInterrupt(ks, false, irq);
    case "IRQSetIRQHandler": {
      const slot = inv.extraCaps[0];
      if (slot === undefined) return syscallError({ type: "TruncatedMessage" }, "");
      const ntfnCap = slot.cap;
      if (ntfnCap.type !== "Notification" || !canSend(ntfnCap)) {
        syscallError(
          { type: "InvalidCapability", capNumber: 0 },
          ntfnCap.type !== "Notification"
            ? "IRQSetHandler: provided cap is not an notification capability."
            : "IRQSetHandler: caller does not have send rights on the endpoint.",
        );
      }
      return () => {
        // The IRQ's slot gets the very cap (badge and rights as given), as a child of it in the MDB.
        const irqSlot = irqNodeSlot(ks, irq);
        cteDelete(ks, irqSlot);
        cteInsert(ntfnCap, slot, irqSlot);
      };
    }
    case "IRQClearIRQHandler":
      return () => cteDelete(ks, irqNodeSlot(ks, irq));
    default:
      return syscallError({ type: "IllegalOperation" }, "IRQHandler: Illegal operation.");
  }
}

function irqNodeSlot(ks: KernelState, irq: number): CTE {
  return ks.interrupts.node.slots[irq]!;
}

/** finaliseCap of the last IRQHandler cap: deletingIRQHandler, then (postCapDeletion) deletedIRQHandler. */
export function deletingIRQHandler(ks: KernelState, irq: number): void {
  cteDelete(ks, irqNodeSlot(ks, irq));
  setIRQState(ks, IRQState.Inactive, irq);
}

/**
 * handleInterrupt: an active IRQ signals its notification with the badge of the cap bound to it
 * (debug kernels with CONFIG_IRQ_REPORTING print when none is bound), and is masked until the
 * handler's Ack; every interrupt is then acknowledged at the interrupt controller.
 */
export function handleInterrupt(ks: KernelState, irq: number): void {
  if (irq > maxIRQ) {
    ks.print(`Received IRQ ${irq}, which is above the platforms maxIRQ of ${maxIRQ}\n`);
    maskInterrupt(ks, true, irq);
    ackInterrupt(ks);
    return;
  }
  switch (ks.interrupts.table[irq]) {
    case IRQState.Signal: {
      const cap = irqNodeSlot(ks, irq).cap;
      if (cap.type === "Notification" && canSend(cap)) sendSignal(ks, cap.obj, cap.badge);
      else ks.print(`Undelivered IRQ: ${irq}\n`);
      maskInterrupt(ks, true, irq);
      break;
    }
    case IRQState.Inactive:
      maskInterrupt(ks, true, irq);
      ks.print(`Received disabled IRQ: ${irq}\n`);
      break;
    default:
      // The kernel's timer has its own path in the model; reserved IRQs have no handler on pc99.
      break;
  }
  ackInterrupt(ks);
}

/** ackInterrupt (include/plat/pc99/plat/machine/interrupt.h): the local APIC's end of interrupt. */
function ackInterrupt(ks: KernelState): void {
  ks.board.lapic.endOfInterrupt();
}

/** getActiveIRQ: the IRQ of the vector the CPU takes from the local APIC, or null when none is waiting. */
export function getActiveIRQ(ks: KernelState): number | null {
  const vector = ks.board.lapic.accept();
  return vector === null ? null : vector - IRQ_INT_OFFSET;
}
