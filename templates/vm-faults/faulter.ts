// The faulter: writes to a page it has, then to the next page, which is not mapped.
import { printf, readWord, writeWord } from "sel4";

const PROGNAME = "Faulter: ";
/** The system spec maps a frame here. */
const MAPPED_VADDR = 0x20000000;
/** The page after it: nothing is mapped there at boot. */
const UNMAPPED_VADDR = 0x20001000;

export function main(): number {
  writeWord(MAPPED_VADDR, 7);
  printf(PROGNAME + "wrote to the page at 0x%lx.\n", MAPPED_VADDR);
  printf(PROGNAME + "about to write to 0x%lx, where nothing is mapped.\n", UNMAPPED_VADDR);
  // A VM fault: the kernel stops us here and tells our fault handler. Once the handler replies,
  // the write runs again.
  writeWord(UNMAPPED_VADDR, 42);
  printf(PROGNAME + "read back %lu from the new page.\n", readWord(UNMAPPED_VADDR));
  printf(PROGNAME + "Finished execution.\n");
  return 0;
}
