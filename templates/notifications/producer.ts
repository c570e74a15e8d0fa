// What both producers run: wait for the consumer to say where the shared buffer is, then, a
// hundred times, wait until the buffer is empty, put our id in it and signal that it is full.
import { CONFIG_KERNEL_MCS, printf, readWord, writeWord, seL4_GetMR, seL4_Recv, seL4_Signal, seL4_Wait, type seL4_CPtr } from "sel4";

export function produce(id: number, empty: seL4_CPtr, full: seL4_CPtr, endpoint: seL4_CPtr): void {
  // The consumer sends the buffer's address in our VSpace (C: seL4_Recv(endpoint, NULL)).
  if (CONFIG_KERNEL_MCS) {
    seL4_Wait(endpoint);
  } else {
    seL4_Recv(endpoint);
  }
  const buf = seL4_GetMR(0); // volatile long *buf = (volatile long *) seL4_GetMR(0);
  // Look at the buffer once: a producer whose buffer is not mapped faults here, straight away.
  readWord(buf);

  for (let i = 0; i < 100; i++) {
    seL4_Wait(empty);
    printf("%d: produce\n", id);
    writeWord(buf, id); // *buf = id;
    seL4_Signal(full);
  }
}
