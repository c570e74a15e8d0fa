// C printf formatting for learner code. Integer conversions follow C's types: without a length
// modifier %d/%i/%u/%x/%X/%o/%c take a 32-bit int (a larger word is truncated, as C would),
// `l`, `ll`, `z`, `j` and `t` take 64 bits. %p prints 0 for a null value and 0x plus lowercase
// hex otherwise, as the seL4 user-level printf does.

interface Spec {
  flags: string;
  width: number | null;
  precision: number | null;
  length: string;
  conversion: string;
}

const SPEC = /%([-+ #0]*)(\*|\d+)?(?:\.(\*|\d*))?(hh|h|ll|l|z|j|t|L)?([diuxXocsp%])?/y;

export function formatC(fmt: string, args: readonly unknown[], fn = "printf"): string {
  let out = "";
  let next = 0;
  const take = (spec: string): unknown => {
    if (next >= args.length) {
      throw new TypeError(
        `${fn}: format ${JSON.stringify(fmt)} needs an argument for ${spec} (argument ${next + 2} is missing)`,
      );
    }
    return args[next++];
  };
  let i = 0;
  while (i < fmt.length) {
    const pct = fmt.indexOf("%", i);
    if (pct < 0) {
      out += fmt.slice(i);
      break;
    }
    out += fmt.slice(i, pct);
    SPEC.lastIndex = pct;
    const m = SPEC.exec(fmt);
    if (!m || !m[5])
      throw new TypeError(
        `${fn}: unsupported conversion in format ${JSON.stringify(fmt)} at ${JSON.stringify(fmt.slice(pct, pct + 4))}`,
      );
    i = SPEC.lastIndex;
    const text = m[0];
    if (m[5] === "%") {
      out += "%";
      continue;
    }
    const spec: Spec = { flags: m[1] ?? "", width: null, precision: null, length: m[4] ?? "", conversion: m[5] };
    if (m[2] === "*") {
      const w = toInt(take(text), fn, text);
      spec.width = Math.abs(w);
      if (w < 0) spec.flags += "-";
    } else if (m[2] !== undefined) {
      spec.width = Number(m[2]);
    }
    if (m[3] === "*") {
      const p = toInt(take(text), fn, text);
      spec.precision = p < 0 ? null : p;
    } else if (m[3] !== undefined) {
      spec.precision = Number(m[3] || "0");
    }
    out += convert(spec, take(text), fn, text);
  }
  return out;
}

function convert(spec: Spec, arg: unknown, fn: string, text: string): string {
  switch (spec.conversion) {
    case "s": {
      let s = arg === null || arg === undefined ? "(null)" : String(arg);
      if (spec.precision !== null) s = s.slice(0, spec.precision);
      return pad(spec, "", s);
    }
    case "c":
      return pad(
        spec,
        "",
        typeof arg === "string" ? arg.charAt(0) : String.fromCharCode(Number(BigInt.asUintN(8, toBig(arg, fn, text)))),
      );
    case "p": {
      const v = BigInt.asUintN(64, toBig(arg, fn, text));
      return pad(spec, "", v === 0n ? "0" : "0x" + v.toString(16));
    }
    default:
      return integer(spec, toBig(arg, fn, text));
  }
}

function integer(spec: Spec, raw: bigint): string {
  const bits = lengthBits(spec.length);
  const signed = spec.conversion === "d" || spec.conversion === "i";
  const v = signed ? BigInt.asIntN(bits, raw) : BigInt.asUintN(bits, raw);
  const negative = v < 0n;
  const magnitude = negative ? -v : v;
  const radix = spec.conversion === "o" ? 8 : spec.conversion === "x" || spec.conversion === "X" ? 16 : 10;
  let digits = magnitude.toString(radix);
  if (spec.conversion === "X") digits = digits.toUpperCase();
  if (spec.precision !== null) {
    // C: precision 0 with value 0 prints no digits at all.
    digits = spec.precision === 0 && magnitude === 0n ? "" : digits.padStart(spec.precision, "0");
  }
  let prefix = negative
    ? "-"
    : signed && spec.flags.includes("+")
      ? "+"
      : signed && spec.flags.includes(" ")
        ? " "
        : "";
  if (spec.flags.includes("#") && magnitude !== 0n) {
    if (radix === 16) prefix += spec.conversion === "X" ? "0X" : "0x";
    if (radix === 8 && !digits.startsWith("0")) digits = "0" + digits;
  }
  return pad(spec, prefix, digits, spec.precision === null);
}

/** Width padding: spaces on the left (or right with `-`), or zeros after the sign with `0`. */
function pad(spec: Spec, prefix: string, body: string, zeroAllowed = false): string {
  const width = spec.width ?? 0;
  const len = prefix.length + body.length;
  if (len >= width) return prefix + body;
  const fill = width - len;
  if (spec.flags.includes("-")) return prefix + body + " ".repeat(fill);
  if (zeroAllowed && spec.flags.includes("0")) return prefix + "0".repeat(fill) + body;
  return " ".repeat(fill) + prefix + body;
}

function lengthBits(length: string): number {
  switch (length) {
    case "hh":
      return 8;
    case "h":
      return 16;
    case "":
      return 32;
    default:
      return 64;
  }
}

function toBig(arg: unknown, fn: string, spec: string): bigint {
  if (typeof arg === "bigint") return arg;
  if (typeof arg === "boolean") return arg ? 1n : 0n;
  if (typeof arg === "number" && Number.isInteger(arg)) return BigInt(arg);
  throw new TypeError(
    `${fn}: ${spec} needs an integer argument, got ${typeof arg === "string" ? JSON.stringify(arg) : String(arg)}`,
  );
}

function toInt(arg: unknown, fn: string, spec: string): number {
  return Number(BigInt.asIntN(32, toBig(arg, fn, spec)));
}
