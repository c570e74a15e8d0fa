// Machine words, message-info words and cap-rights words, as libsel4 lays them out.
import { seL4_MsgMaxLength } from "../../abi/constants.js";

export type Word = bigint;
export const WORD_MASK = (1n << 64n) - 1n;
const WORD_MIN_SIGNED = -(1n << 63n);

/**
 * Converts a value crossing the kernel boundary into a 64-bit word. Negative integers become
 * two's complement (CPtr -1 has all 64 bits set), as a C caller's seL4_Word would.
 * Values that no 64-bit register could hold are rejected rather than silently wrapped.
 */
export function toWord(x: number | bigint, what = "word"): Word {
  let v: bigint;
  if (typeof x === "bigint") {
    v = x;
  } else if (typeof x === "number" && Number.isInteger(x)) {
    // Integral doubles convert exactly; one above 2^53 is the value the caller's literal rounded to.
    v = BigInt(x);
  } else {
    throw new TypeError(`${what}: expected an integer, got ${String(x)}`);
  }
  // The range of a C seL4_Word (unsigned) or of a signed 64-bit value written for one.
  if (v < WORD_MIN_SIGNED || v > WORD_MASK) throw new TypeError(`${what}: ${x} does not fit in 64 bits`);
  return v & WORD_MASK;
}

/** A word as a learner-facing number: the signed value when that is a safe integer (so -1 round-trips). */
export function wordToNumber(w: Word): number {
  if (w <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(w);
  const signed = w - (1n << 64n);
  if (signed >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(signed);
  return Number(w);
}

export interface MessageInfo {
  label: Word;
  capsUnwrapped: number;
  extraCaps: number;
  length: number;
}

/** seL4_MessageInfo_t: label 63..12, capsUnwrapped 11..9, extraCaps 8..7, length 6..0. */
export function messageInfoFromWord(w: Word): MessageInfo {
  const length = Number(w & 0x7fn);
  return {
    label: w >> 12n,
    capsUnwrapped: Number((w >> 9n) & 0x7n),
    extraCaps: Number((w >> 7n) & 0x3n),
    // messageInfoFromWord in the kernel clamps over-long messages to seL4_MsgMaxLength.
    length: length > seL4_MsgMaxLength ? seL4_MsgMaxLength : length,
  };
}

export function wordFromMessageInfo(mi: MessageInfo): Word {
  return (
    ((mi.label & ((1n << 52n) - 1n)) << 12n) |
    (BigInt(mi.capsUnwrapped & 7) << 9n) |
    (BigInt(mi.extraCaps & 3) << 7n) |
    BigInt(mi.length & 0x7f)
  );
}

/** seL4_CNode_CapData: guard in bits 63..6, guard size in bits 5..0. */
export function cnodeCapDataGuard(data: Word): Word {
  return data >> 6n;
}
export function cnodeCapDataGuardSize(data: Word): number {
  return Number(data & 0x3fn);
}
