// The root task: maps a frame at TEST_VADDR, with the paging structures it needs, then reads and
// writes it through its own address space.
import {
  alloc_object, assert, platsupport_get_bootinfo, printf, readWord, writeWord, ZF_LOGF_IF,
  seL4_CanRead, seL4_CapInitThreadVSpace, seL4_FailedLookup, seL4_MappingFailedLookupLevel, seL4_NoError,
  seL4_ReadWrite, seL4_X86_4K, seL4_X86_Default_VMAttributes, seL4_X86_PDPTObject, seL4_X86_PDPT_Map,
  seL4_X86_PageDirectoryObject, seL4_X86_PageDirectory_Map, seL4_X86_PageTableObject, seL4_X86_PageTable_Map,
  seL4_X86_Page_Map,
} from "sel4";

/** 640 GiB: PML4 entry 1, far from the root task's own image. */
const TEST_VADDR = 0xa000000000;

export function main(): number {
  const info = platsupport_get_bootinfo();
  let error: number;
  // Four objects retyped out of the boot untypeds, each cap in a free slot of the root CNode.
  const frame = alloc_object(info, seL4_X86_4K, 0);
  const pdpt = alloc_object(info, seL4_X86_PDPTObject, 0);
  const pd = alloc_object(info, seL4_X86_PageDirectoryObject, 0);
  const pt = alloc_object(info, seL4_X86_PageTableObject, 0);

  // map a PDPT at TEST_VADDR
  error = seL4_X86_PDPT_Map(pdpt, seL4_CapInitThreadVSpace, TEST_VADDR, seL4_X86_Default_VMAttributes);

  //@task mapping-pd always
  //@before
  // TODO mapping-pd: map the page directory pd at TEST_VADDR.
  //@completed
  error = seL4_X86_PageDirectory_Map(pd, seL4_CapInitThreadVSpace, TEST_VADDR, seL4_X86_Default_VMAttributes);
  assert(error === seL4_NoError);
  //@end

  //@task mapping-pt always
  //@before
  // TODO mapping-pt: map the page table pt at TEST_VADDR.
  //@completed
  error = seL4_X86_PageTable_Map(pt, seL4_CapInitThreadVSpace, TEST_VADDR, seL4_X86_Default_VMAttributes);
  assert(error === seL4_NoError);
  //@end

  // map a read-only page at TEST_VADDR
  error = seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, TEST_VADDR, seL4_CanRead, seL4_X86_Default_VMAttributes);
  if (error === seL4_FailedLookup) {
    printf("Missing intermediate paging structure at level %lu\n", seL4_MappingFailedLookupLevel());
  }
  ZF_LOGF_IF(error !== seL4_NoError, "Failed to map page");

  // C: seL4_Word *x = (seL4_Word *) TEST_VADDR; readWord and writeWord are *x through our VSpace.
  printf("Read x: %lu\n", readWord(TEST_VADDR));

  //@task mapping-remap always
  //@before
  // TODO mapping-remap: map frame again at TEST_VADDR, this time with seL4_ReadWrite.
  //@completed
  error = seL4_X86_Page_Map(frame, seL4_CapInitThreadVSpace, TEST_VADDR, seL4_ReadWrite, seL4_X86_Default_VMAttributes);
  assert(error === seL4_NoError);
  //@end

  // write to the page we mapped
  printf("Set x to 5\n");
  writeWord(TEST_VADDR, 5);

  printf("Success!\n");
  return 0;
}
