// Where a program's image keeps its global data. A C program's initialised globals live in the
// ELF's data segment, which the loader maps before the program runs, so `&data` is an address
// another thread of the same VSpace can dereference. sel4tut's programs are TypeScript, with no
// ELF: the loader maps a data segment of this size at this address into every VSpace it creates
// (the root task's is inside the image seL4 maps for it), and the `sel4` module's staticWord()
// hands out its words.

/** The data segment's first byte: after the text, inside the 2 MiB the image's page table covers. */
export const DATA_SEGMENT_VADDR = 0x500000n;
/** 4 KiB pages in the data segment. */
export const DATA_SEGMENT_PAGES = 4;
/** Bytes in the data segment. */
export const DATA_SEGMENT_BYTES = DATA_SEGMENT_PAGES * 4096;
/**
 * Word 0 of the segment counts the words already initialised: the first thread to load the
 * program initialises them, as the loader copies an ELF's data once; a thread that starts in the
 * same VSpace later (created at run time) finds them initialised and keeps their values.
 */
export const DATA_SEGMENT_FIRST_WORD = DATA_SEGMENT_VADDR + 8n;
