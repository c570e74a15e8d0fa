// The client: sends the server a number through its badged endpoint cap and waits for the answer.
import { printf, seL4_Call, seL4_GetMR, seL4_SetMR, seL4_MessageInfo_new } from "sel4";
import { ep_cap } from "./cspace_client";

export function main(): number {
  printf("client: calling the server with 21\n");
  seL4_SetMR(0, 21);
  //@task answer
  //@all
  // seL4_Call sends and then waits for the reply, which the server sends in task answer.
  seL4_Call(ep_cap, seL4_MessageInfo_new(0, 0, 0, 1));
  printf("client: the server answered %d\n", seL4_GetMR(0));
  //@end
  return 0;
}
