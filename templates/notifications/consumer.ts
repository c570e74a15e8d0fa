// The consumer: shares a buffer with each producer by mapping the buffer's frame into the
// producer's VSpace, tells each producer where it is, then takes what they produce, told by the
// badge on one notification which buffer is full.
import {
  assert, printf, readWord, writeWord, ZF_LOGF_IFERR,
  seL4_CNode_Copy, seL4_ARCH_Page_Map, seL4_Send, seL4_SetMR, seL4_Signal, seL4_Wait, seL4_MessageInfo_new,
  seL4_AllRights, seL4_NoError, seL4_WordBits, seL4_ARCH_Default_VMAttributes,
} from "sel4";
import {
  buf1_empty, buf2_empty, full, endpoint, buf1_frame_cap, buf2_frame_cap, buf1_frame, buf2_frame,
  producer_1_vspace, producer_2_vspace, cnode, mapping_1, mapping_2,
} from "./cspace_consumer";

/** Where each producer finds its buffer, in its own VSpace. */
const BUF_VADDR = 0x5ff000;

export function main(): number {
  let error = seL4_NoError;

  // Set up shared memory with producer 1: first a copy of the frame cap (a cap maps a frame
  // into one VSpace only, and ours is mapped in ours), then map the copy into producer 1's VSpace.
  error = seL4_CNode_Copy(cnode, mapping_1, seL4_WordBits, cnode, buf1_frame_cap, seL4_WordBits, seL4_AllRights);
  ZF_LOGF_IFERR(error, "Failed to copy cap");
  error = seL4_ARCH_Page_Map(mapping_1, producer_1_vspace, BUF_VADDR, seL4_AllRights, seL4_ARCH_Default_VMAttributes);
  ZF_LOGF_IFERR(error, "Failed to map frame");

  //@task ntfn-shmem
  //@before
  // TODO ntfn-shmem: share buf2_frame_cap with producer_2 in the same way, through mapping_2.
  //@completed
  // Set up shared memory with producer 2.
  error = seL4_CNode_Copy(cnode, mapping_2, seL4_WordBits, cnode, buf2_frame_cap, seL4_WordBits, seL4_AllRights);
  ZF_LOGF_IFERR(error, "Failed to copy cap");
  error = seL4_ARCH_Page_Map(mapping_2, producer_2_vspace, BUF_VADDR, seL4_AllRights, seL4_ARCH_Default_VMAttributes);
  ZF_LOGF_IFERR(error, "Failed to map frame");
  //@end

  // Send each producer the buffer's address (in its VSpace).
  seL4_SetMR(0, BUF_VADDR);
  seL4_Send(endpoint, seL4_MessageInfo_new(0, 0, 0, 1));
  seL4_SetMR(0, BUF_VADDR);
  seL4_Send(endpoint, seL4_MessageInfo_new(0, 0, 0, 1));

  // A single-slot producer/consumer buffer each; we reach them at our own addresses.
  const buf1 = buf1_frame; // volatile long *buf1 = (long *) buf1_frame;
  const buf2 = buf2_frame;
  writeWord(buf1, 0);
  writeWord(buf2, 0);

  //@task ntfn-signal
  //@before
  // TODO ntfn-signal: signal both producers that their buffers are empty.
  //@completed
  seL4_Signal(buf1_empty);
  seL4_Signal(buf2_empty);
  //@end
  printf("Waiting for producer\n");
  for (let i = 0; i < 10; i++) {
    const badge = seL4_Wait(full).badge;
    printf("Got badge: %lx\n", badge);
    //@task ntfn-badge
    //@before
    // TODO ntfn-badge: use the badge to see which producer signalled (it may be both: badges OR
    // together), take its value out of its buffer and signal that producer's empty notification.
    //@completed
    if (badge & 0b01) {
      assert(readWord(buf1) === 1);
      writeWord(buf1, 0);
      seL4_Signal(buf1_empty);
    }
    if (badge & 0b10) {
      assert(readWord(buf2) === 2);
      writeWord(buf2, 0);
      seL4_Signal(buf2_empty);
    }
    //@end
  }

  printf("Success!\n");
  return 0;
}
