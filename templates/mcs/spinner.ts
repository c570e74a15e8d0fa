// The spinner: prints and yields, for ever. It starts passive (no scheduling context), so it
// does nothing until the mcs thread binds one to it.
import { printf, seL4_Yield } from "sel4";

export function main(): number {
  for (;;) {
    printf("Yield\n");
    seL4_Yield();
  }
}
