// Reading the scalar values of a system spec: rights, words (badges, CPtrs, addresses), CNode
// guards and scheduling-context parameters, each checked against what seL4 accepts.
import { seL4_CoreSchedContextBytes, seL4_GuardBits, seL4_RefillSizeBytes } from "../abi/constants.js";
import type { FieldReader } from "../tutorial/fields.js";
import type { JsonPath } from "../tutorial/json-source.js";
import { WORD_BITS, type ScParams } from "./plan.js";

export const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** MIN_BUDGET_US of x86 (2 × 10 µs WCET); the kernel model refuses shorter budgets and periods. */
export const SC_MIN_BUDGET_US = 20;
/** The model's MAX_PERIOD_US (one hour; docs/fidelity.md). */
export const SC_MAX_PERIOD_US = 3_600_000_000;
/** The refills that budget and period take; extra refills come on top. */
const MIN_REFILLS = 2;

/** The most refills an SC of 2^sizeBits bytes holds beyond MIN_REFILLS, as SchedControl_Configure checks it. */
export function maxExtraRefillsFor(sizeBits: number): number {
  return Math.floor((2 ** sizeBits - seL4_CoreSchedContextBytes) / seL4_RefillSizeBytes) - MIN_REFILLS;
}

function parseRights(text: string): number | null {
  if (!/^[RWG]*$/.test(text) || new Set(text).size !== text.length) return null;
  return (text.includes("W") ? 1 : 0) | (text.includes("R") ? 2 : 0) | (text.includes("G") ? 4 : 0);
}

/** A machine word written as a non-negative JSON number (exact below 2^53) or a decimal/hex string. */
export function parseWord(v: unknown): bigint | null {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^(0x[0-9a-fA-F]+|\d+)$/.test(v)) {
    const b = BigInt(v);
    return b < 1n << 64n ? b : null;
  }
  return null;
}

export function hex(w: bigint): string {
  return `0x${w.toString(16)}`;
}

/** A word field; reports `what` when it is not one. */
export function readWord(
  r: FieldReader,
  obj: Record<string, unknown>,
  key: string,
  path: JsonPath,
  what: string,
): bigint | undefined {
  if (obj[key] === undefined) return undefined;
  const w = parseWord(obj[key]);
  if (w === null)
    r.error([...path, key], `${what} must be a non-negative integer below 2^64 (a number, or a string such as "0x61")`);
  return w ?? undefined;
}

/** The rights letters of a cap or mapping; `fallback` when absent. */
export function readRights(r: FieldReader, obj: Record<string, unknown>, path: JsonPath, fallback: string): number {
  const text = r.optString(obj, "rights", path) ?? fallback;
  const bits = parseRights(text);
  if (bits !== null) return bits;
  r.error(
    [...path, "rights"],
    `rights "${text}" must be letters from R, W, G, each at most once (for example "RW" or "RWG")`,
  );
  return 0;
}

export interface GuardSpec {
  guard?: bigint;
  guardSize?: number;
}

/** `guard` and `guardSize` of a CNode object, cap or CSpace root (checked against the radix later). */
export function readGuard(r: FieldReader, obj: Record<string, unknown>, path: JsonPath): GuardSpec {
  const guard = readWord(r, obj, "guard", path, "guard");
  const guardSize = r.optInteger(obj, "guardSize", path, 0, WORD_BITS - 1);
  return { ...(guard !== undefined ? { guard } : {}), ...(guardSize !== undefined ? { guardSize } : {}) };
}

/**
 * The guard a CNode cap ends up with: what it says, else what its CNode object says, else guard 0
 * of 64 − radix bits (capdl_linker's choice, so that every CPtr resolves at depth seL4_WordBits).
 * Reports a guard that does not fit, at `path` when the cap sets part of it (an object's own
 * default is checked once, at the object).
 */
export function settleGuard(
  r: FieldReader,
  own: GuardSpec,
  objectDefault: GuardSpec,
  radix: number,
  path: JsonPath,
): { guard: bigint; guardSize: number } {
  const guardSize = own.guardSize ?? objectDefault.guardSize ?? WORD_BITS - radix;
  const guard = own.guard ?? objectDefault.guard ?? 0n;
  if (own.guard === undefined && own.guardSize === undefined) return { guard, guardSize };
  if (guardSize + radix > WORD_BITS) {
    r.error(
      [...path, "guardSize"],
      `guardSize ${guardSize} + radix ${radix} is more than ${WORD_BITS} bits: at most ${WORD_BITS - radix} for this CNode`,
    );
  } else if (guard >= 1n << BigInt(Math.min(guardSize, seL4_GuardBits))) {
    const room =
      guardSize > seL4_GuardBits
        ? `${seL4_GuardBits} bits (seL4_GuardBits: seL4 stores no more)`
        : `guardSize ${guardSize} bits`;
    r.error([...path, "guard"], `guard ${hex(guard)} does not fit in ${room}`);
  }
  return { guard, guardSize };
}

export const SC_KEYS = ["budgetUs", "periodUs", "extraRefills", "badge"] as const;

/**
 * budgetUs / periodUs / extraRefills / badge, checked as seL4_SchedControl_Configure checks them.
 * A missing period equals the budget (a round-robin SC). A missing budget is `fallbackUs` (a
 * thread's own SC: capDL's default, 10 ms), or, with no fallback (an SC object), an error.
 */
export function readScParams(
  r: FieldReader,
  obj: Record<string, unknown>,
  path: JsonPath,
  sizeBits: number,
  fallbackUs: number | null,
): ScParams {
  const range = `an integer number of microseconds from ${SC_MIN_BUDGET_US} (MIN_BUDGET_US) to ${SC_MAX_PERIOD_US}`;
  const time = (key: string): number | undefined => {
    const v = obj[key];
    if (v === undefined) return undefined;
    if (typeof v === "number" && Number.isInteger(v) && v >= SC_MIN_BUDGET_US && v <= SC_MAX_PERIOD_US) return v;
    r.error([...path, key], `"${key}" must be ${range}`);
    return undefined;
  };
  if (obj.budgetUs === undefined && fallbackUs === null) {
    r.error(
      path,
      `a SchedContext configured by the loader needs "budgetUs" (leave out every scheduling field to keep it unconfigured)`,
    );
  }
  const budgetUs = time("budgetUs") ?? fallbackUs ?? SC_MIN_BUDGET_US;
  const periodUs = time("periodUs") ?? (obj.budgetUs === undefined ? (fallbackUs ?? budgetUs) : budgetUs);
  if (budgetUs > periodUs)
    r.error(
      [...path, "budgetUs"],
      `budget ${budgetUs} µs is longer than the period ${periodUs} µs; seL4 requires budget <= period`,
    );
  const maxExtra = Math.max(0, maxExtraRefillsFor(sizeBits));
  const extraRefills = r.optInteger(obj, "extraRefills", path, 0, maxExtra) ?? 0;
  const badge = readWord(r, obj, "badge", path, "the scheduling context's badge") ?? 0n;
  return { budgetUs, periodUs, extraRefills, badge };
}
