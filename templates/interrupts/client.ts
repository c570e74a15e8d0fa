// The client: asks the timer server to let it sleep for 2 seconds, and waits for the answer.
import { assert, printf, seL4_Call, seL4_GetMR, seL4_MessageInfo_get_length, seL4_MessageInfo_new, seL4_SetMR } from "sel4";
import { endpoint } from "./cspace_client";

/** How many seconds to sleep, sent in the first message register. */
const MSG_DATA = 0x2;

export function main(): number {
  printf("timer client: hey hey hey\n");

  // One word of message: the number of seconds.
  let tag = seL4_MessageInfo_new(0, 0, 0, 1);
  seL4_SetMR(0, MSG_DATA);

  // Send it and wait for the reply: the server answers once the time is up.
  tag = seL4_Call(endpoint, tag);

  assert(seL4_MessageInfo_get_length(tag) === 1);
  const msg = seL4_GetMR(0);
  assert(msg === 0);

  printf("timer client wakes up\n");
  return 0;
}
