// The simulated PC the root task boots on: what the boot loader hands seL4 on x86_64
// (src/arch/x86/kernel/boot_sys.c parses it) and where the kernel and user images sit.
// The memory map is QEMU's for the official tutorials' simulate script (qemu-system-x86_64
// -m size=512M): RAM below 640 KiB, RAM from 1 MiB to just under 512 MiB, and firmware holes.
// The image sizes are simulated (there is no ELF here): fixed, plausible values, so every boot
// is the same (docs/fidelity.md).

/** A physical address range [start, end) in bytes; numbers, since x86_64 physical addresses stay below 2^47. */
export interface PhysRegion {
  readonly start: number;
  readonly end: number;
}

/** One entry of the BIOS (e820) memory map, as multiboot passes it on. */
export interface MemoryMapEntry extends PhysRegion {
  readonly usable: boolean;
}

/** QEMU's pc machine with 512 MiB of RAM (SeaBIOS's e820 table). */
export const PC99_MEMORY_MAP: readonly MemoryMapEntry[] = [
  { start: 0x0, end: 0x9fc00, usable: true },
  { start: 0x9fc00, end: 0xa0000, usable: false },
  { start: 0xf0000, end: 0x100000, usable: false },
  { start: 0x100000, end: 0x1ffe0000, usable: true },
  { start: 0x1ffe0000, end: 0x20000000, usable: false },
  { start: 0xfeffc000, end: 0xff000000, usable: false },
  { start: 0xfffc0000, end: 0x100000000, usable: false },
];

/** Bytes of simulated physical memory behind a root-task boot: all RAM of the map above. */
export const PC99_PHYS_MEMORY_BYTES = 0x20000000;

/** boot_sys.c HIGHMEM_PADDR: seL4 ignores RAM below 1 MiB (it stays device memory). */
export const HIGHMEM_PADDR = 0x100000;

/** x86_64 KERNEL_ELF_PADDR_BASE: the kernel image is loaded at 1 MiB. */
export const KERNEL_ELF_PADDR_BASE = 0x100000;

/** The kernel image: its boot-only part (code freed after boot) and its end. Simulated sizes. */
export const KERNEL_IMAGE = { start: KERNEL_ELF_PADDR_BASE, bootEnd: 0x110000, end: 0xa00000 } as const;

/**
 * The root task's ELF image: where it is linked (the x86_64 default, 4 MiB) and its size in
 * pages. Simulated: about what the tutorials' C root task occupies with its static stack and
 * muslc's 1 MiB static heap. The kernel moves it to just after the kernel image.
 */
export const USER_IMAGE = { vaddr: 0x400000n, pages: 0x140 } as const;

/** The top of the root task's static stack inside its image (sel4runtime starts main on it). */
export const USER_STACK_TOP = USER_IMAGE.vaddr + 0x13f000n;

/** pc99 platAddDevices: the MSI window at the top of the 32-bit space is never given out. */
export const MSI_REGION: PhysRegion = { start: 0xfffffff8, end: 0x100000000 };

/** CONFIG_PADDR_USER_DEVICE_TOP on x86_64 (KernelPaddrUserTop = 1 << 47). */
export const PADDR_USER_DEVICE_TOP = 2 ** 47;

/**
 * Bytes of extra boot information seL4 x86 writes after the boot info frame: the ACPI RSDP
 * (header + 36 bytes), the multiboot memory map (header + length + 50 entries of 24 bytes) and
 * the TSC frequency (header + 4 bytes). QEMU -nographic has no VBE mode and no framebuffer.
 */
export const EXTRA_BOOT_INFO_BYTES = 16 + 36 + (16 + 4 + 50 * 24) + (16 + 4);
