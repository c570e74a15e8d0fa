// Producer 1: its full cap carries badge 1 (0b01).
import { produce } from "./producer";
import { empty, full, endpoint } from "./cspace_producer_1";

export function main(): number {
  produce(1, empty, full, endpoint);
  return 0;
}
