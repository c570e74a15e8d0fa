// Words at the learner API boundary: arguments are `number | bigint`, results are `number`
// (docs/architecture.md "Words"). Bad arguments are caught here with the function and argument
// named, before anything reaches the kernel.

const WORD_MASK = (1n << 64n) - 1n;
const TWO_64 = 1n << 64n;

/** An argument as a 64-bit word; negative numbers become two's complement (CPtr -1 = all ones). */
export function argWord(fn: string, arg: string, x: unknown): bigint {
  if (typeof x === "bigint") {
    if (x < -(1n << 63n) || x > WORD_MASK) throw badArg(fn, arg, `does not fit in 64 bits (got ${x})`);
    return x & WORD_MASK;
  }
  if (typeof x === "boolean") return x ? 1n : 0n;
  if (typeof x !== "number") throw badArg(fn, arg, `must be a number or bigint, got ${describe(x)}`);
  if (!Number.isInteger(x)) throw badArg(fn, arg, `must be an integer, got ${String(x)}`);
  if (Math.abs(x) >= 2 ** 64) throw badArg(fn, arg, `does not fit in 64 bits (got ${x})`);
  return BigInt(x) & WORD_MASK;
}

/** A small integer argument (an index, a count) checked against an inclusive range. */
export function argIndex(fn: string, arg: string, x: unknown, min: number, max: number): number {
  if (typeof x === "bigint") x = Number(x);
  if (typeof x !== "number" || !Number.isInteger(x) || x < min || x > max) {
    throw badArg(fn, arg, `must be an integer in ${min}..${max}, got ${describe(x)}`);
  }
  return x;
}

export function argString(fn: string, arg: string, x: unknown): string {
  if (typeof x !== "string") throw badArg(fn, arg, `must be a string, got ${describe(x)}`);
  return x;
}

/** A word as the learner sees it: signed when that is a safe integer (so -1 round-trips). */
export function wordToNumber(w: bigint): number {
  if (w <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(w);
  const signed = w - TWO_64;
  if (signed >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(signed);
  return Number(w);
}

export function badArg(fn: string, arg: string, what: string): TypeError {
  return new TypeError(`${fn}: argument '${arg}' ${what}`);
}

export function describe(x: unknown): string {
  if (typeof x === "string") return JSON.stringify(x);
  if (typeof x === "function") return "a function";
  if (x === null) return "null";
  if (typeof x === "object") return "an object";
  return String(x);
}
