// Client 1: four words for the server to print.
import { client } from "./client";
import { endpoint, cnode, badged_endpoint } from "./cspace_client_1";

const messages = ["quick", "fox", "over", "lazy"];

export function main(): number {
  client(1, messages, { endpoint, cnode, badged_endpoint });
  return 0;
}
