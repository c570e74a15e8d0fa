// Generic operations over capability kinds (src/object/objecttype.c): deriving, masking
// rights, badging/guard data, revocability, and the object a cap names.
import { RIGHT_GRANT, RIGHT_GRANT_REPLY, RIGHT_READ, RIGHT_WRITE } from "../../abi/constants.js";
import { syscallError } from "../api/failures.js";
import { cnodeCapDataGuard, cnodeCapDataGuardSize, type Word } from "../api/types.js";
import { NULL_CAP, type Cap, type CTE, type KObject } from "./structures.js";

/** The object a cap refers to (reply caps name the caller's TCB on master). */
export function capObject(cap: Cap): KObject | null {
  switch (cap.type) {
    case "Null":
      return null;
    case "Reply":
      return cap.tcb;
    default:
      return cap.obj;
  }
}

/**
 * maskCapRights: rights are only ever reduced (AND with the mask); caps without rights ignore it.
 * `report` receives the userError line a debug kernel prints on the way (see maskVMRights).
 */
export function maskCapRights(mask: number, cap: Cap, report: (message: string) => void = () => {}): Cap {
  switch (cap.type) {
    case "Endpoint":
      return { ...cap, rights: cap.rights & mask };
    case "Notification":
      return { ...cap, rights: cap.rights & mask & (RIGHT_READ | RIGHT_WRITE) };
    case "Reply":
      return { ...cap, canGrant: cap.canGrant && (mask & RIGHT_GRANT) !== 0 };
    case "ReplyObject":
      return { ...cap, canGrant: cap.canGrant && (mask & RIGHT_GRANT) !== 0 };
    case "Frame":
      return { ...cap, rights: maskVMRights(cap.rights, mask, report) };
    default:
      return cap;
  }
}

/**
 * x86 maskVMRights (src/arch/x86/kernel/vspace.c): a frame is kernel-only, read-only or read-write,
 * so write needs read. Asking a read-write frame for write without read gives a kernel-only frame,
 * and the debug kernel says so through `report` (the operation goes on).
 */
export function maskVMRights(vmRights: number, mask: number, report: (message: string) => void = () => {}): number {
  const canRead = (vmRights & RIGHT_READ) !== 0 && (mask & RIGHT_READ) !== 0;
  const canWrite = (vmRights & RIGHT_WRITE) !== 0 && (mask & RIGHT_WRITE) !== 0 && canRead;
  if ((vmRights & RIGHT_WRITE) !== 0 && (mask & (RIGHT_READ | RIGHT_WRITE)) === RIGHT_WRITE) {
    report("Attempted to make unsupported write only mapping");
  }
  return (canRead ? RIGHT_READ : 0) | (canWrite ? RIGHT_WRITE : 0);
}

/**
 * updateCapData: badge an endpoint/notification (only when not `preserve` and still unbadged),
 * or replace a CNode cap's guard. Returns the null cap when the result would be invalid.
 */
export function updateCapData(preserve: boolean, data: Word, cap: Cap): Cap {
  switch (cap.type) {
    case "Endpoint":
    case "Notification":
      if (!preserve && cap.badge === 0n) return { ...cap, badge: data };
      return NULL_CAP;
    case "CNode": {
      const guard = cnodeCapDataGuard(data);
      const guardSize = cnodeCapDataGuardSize(data);
      if (guardSize + cap.obj.radix > 64) return NULL_CAP;
      // The stored guard keeps only guardSize bits, as the cap's bitfield would.
      const mask = guardSize === 0 ? 0n : (1n << BigInt(guardSize)) - 1n;
      return { ...cap, guard: guard & mask, guardSize };
    }
    default:
      return cap;
  }
}

/**
 * deriveCap: what a copy of `cap` may be. Throws the errors seL4 gives; returns the null cap
 * for caps that cannot be copied at all (master reply caps, IRQControl, x86 IOPortControl).
 */
export function deriveCap(slot: CTE, cap: Cap): Cap {
  switch (cap.type) {
    case "Reply":
    case "IRQControl":
    case "IOPortControl":
      return NULL_CAP;
    case "Untyped":
      // ensureNoChildren: an untyped that has objects (or copies) below it cannot be copied.
      if (slot.children.size > 0) syscallError({ type: "RevokeFirst" }, "");
      return cap;
    case "PageTable":
    case "PageDirectory":
    case "PDPT":
      if (cap.obj.mappedIn === null) {
        syscallError(
          { type: "IllegalOperation" },
          cap.type === "PageTable"
            ? "Deriving an unmapped PT cap"
            : cap.type === "PDPT"
              ? "Deriving an unmapped PTPD cap"
              : "Deriving a PD cap without an assigned ASID",
        );
      }
      return cap;
    case "PML4":
      if (cap.obj.asid === null)
        syscallError({ type: "IllegalOperation" }, "Deriving a PML4 cap without an assigned ASID");
      return cap;
    case "Frame":
      // A derived frame cap is unmapped (x86 Arch_deriveCap clears the mapping).
      return { ...cap, mapping: null };
    default:
      return cap;
  }
}

/** isCapRevocable: whether a derived cap starts a new revocation subtree. */
export function isCapRevocable(derived: Cap, src: Cap): boolean {
  switch (derived.type) {
    case "Endpoint":
    case "Notification":
      return derived.badge !== (src as { badge?: Word }).badge;
    case "Untyped":
      return true;
    case "IRQHandler":
      // A handler cap made by IRQControl starts its own subtree; a copy of it does not.
      return src.type === "IRQControl";
    default:
      return false;
  }
}

export function capBadge(cap: Cap): Word {
  return cap.type === "Endpoint" || cap.type === "Notification" ? cap.badge : 0n;
}

function capRights(cap: Cap): number {
  switch (cap.type) {
    case "Endpoint":
    case "Notification":
    case "Frame":
      return cap.rights;
    case "Reply":
    case "ReplyObject":
      return cap.canGrant ? RIGHT_GRANT : 0;
    default:
      return 0;
  }
}

export const canSend = (cap: Cap) => (capRights(cap) & RIGHT_WRITE) !== 0;
export const canReceive = (cap: Cap) => (capRights(cap) & RIGHT_READ) !== 0;
export const canGrant = (cap: Cap) => (capRights(cap) & RIGHT_GRANT) !== 0;
export const canGrantReply = (cap: Cap) => (capRights(cap) & RIGHT_GRANT_REPLY) !== 0;

/** hasCancelSendRights: CancelBadgedSends needs an endpoint cap with all four rights. */
export function hasCancelSendRights(cap: Cap): boolean {
  return cap.type === "Endpoint" && (cap.rights & 0xf) === 0xf;
}

/**
 * An untyped cap's free index (bytes of its region already handed out). seL4 keeps it in the cap,
 * not the object: two caps to one untyped region carry their own. Caps are immutable values here,
 * so the index is attached to the cap value; a retype stores a new value in the slot.
 */
const untypedFreeIndex = new WeakMap<Cap, number>();

export function capFreeIndex(cap: Extract<Cap, { type: "Untyped" }>): number {
  return untypedFreeIndex.get(cap) ?? 0;
}

export function withFreeIndex(
  cap: Extract<Cap, { type: "Untyped" }>,
  freeIndex: number,
): Extract<Cap, { type: "Untyped" }> {
  const updated = { ...cap };
  untypedFreeIndex.set(updated, freeIndex);
  return updated;
}
