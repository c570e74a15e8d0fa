// The root task: the first (and here the only) program seL4 runs after it boots.
import { printf } from "sel4";

export function main(): number {
  printf("Hello, World!\n");
  //@task hello-world-mod
  //@before
  // TODO hello-world-mod: print "Second hello" on a line of its own.
  //@completed

  printf("Second hello\n");
  //@end
  return 0;
}
