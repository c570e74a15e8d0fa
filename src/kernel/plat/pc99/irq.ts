// pc99 IRQ numbering (include/plat/pc99/plat/machine.h): the kernel's IRQ n is CPU vector
// n + IRQ_INT_OFFSET. ISA IRQs 0..15 belong to the legacy PIC, which a build with the IOAPIC
// (pc99's default, KernelIRQController IOAPIC) leaves reserved; IOAPIC and MSI interrupts get
// IRQs irq_user_min..irq_user_max, chosen by the `vector` argument of GetIOAPIC and GetMSI.

/** The first IRQ vector: vectors below it are CPU exceptions. */
export const IRQ_INT_OFFSET = 0x20;
/** int_irq_user_min (vector 48) and int_irq_user_max (vector 155) as IRQ numbers. */
export const irq_user_min = 16;
export const irq_user_max = 155 - IRQ_INT_OFFSET;
/** The kernel's own timer (int_timer, vector 157); without an IOMMU or SMP it is also the last IRQ. */
export const irq_timer = 157 - IRQ_INT_OFFSET;
export const maxIRQ = irq_timer;
/** CONFIG_MAX_NUM_IOAPIC's machine: the simulated PC has one IOAPIC. */
export const NUM_IOAPICS = 1;
/** IRQ_CNODE_SLOT_BITS: intStateIRQNode has a slot for every IRQ. */
export const IRQ_CNODE_SLOT_BITS = 8;
/** PCI_BUS_MAX, PCI_DEV_MAX, PCI_FUNC_MAX (include/plat/pc99/plat/machine/pci.h). */
export const PCI_BUS_MAX = 255;
export const PCI_DEV_MAX = 31;
export const PCI_FUNC_MAX = 7;
