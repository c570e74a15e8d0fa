// The client: calls the server through its badged endpoint cap, then waits on a slot that is
// empty at boot, which is a cap fault for its fault handler (the server) to repair.
import { printf, seL4_Call, seL4_Wait, seL4_GetMR, seL4_SetMR, seL4_MessageInfo_new } from "sel4";
import { client_ep_cap, spare_slot } from "./cspace_client";

export function main(): number {
  printf("client: calling the server with 21\n");
  seL4_SetMR(0, 21);
  seL4_Call(client_ep_cap, seL4_MessageInfo_new(0, 0, 0, 1));
  printf("client: the server answered %d\n", seL4_GetMR(0));

  printf("client: waiting for a message on spare_slot\n");
  // Nothing is in spare_slot yet: the kernel stops this receive and tells our fault endpoint.
  // Once the handler replies, the receive runs again.
  seL4_Wait(spare_slot);
  printf("client: got %d through spare_slot\n", seL4_GetMR(0));
  return 0;
}
