// seL4_MessageInfo_t: one word, label 63..12, capsUnwrapped 11..9, extraCaps 8..7, length 6..0
// (libsel4 mode_include/64/sel4/shared_types.bf). Learners get an opaque value, as C code gets a struct; the accessors below
// are the generated libsel4 ones, and setters return a new value like their C counterparts.
import { argWord, wordToNumber } from "./words.js";

export class MessageInfo {
  constructor(readonly word: bigint) {
    Object.freeze(this);
  }
}

interface Field {
  shift: bigint;
  bits: bigint;
}

const FIELDS = {
  label: { shift: 12n, bits: 52n },
  capsUnwrapped: { shift: 9n, bits: 3n },
  extraCaps: { shift: 7n, bits: 2n },
  length: { shift: 0n, bits: 7n },
} satisfies Record<string, Field>;

type FieldName = keyof typeof FIELDS;

export function infoArg(fn: string, arg: string, x: unknown): MessageInfo {
  if (x instanceof MessageInfo) return x;
  throw new TypeError(`${fn}: argument '${arg}' must be a seL4_MessageInfo_t (made by seL4_MessageInfo_new)`);
}

function withField(word: bigint, field: Field, value: bigint): bigint {
  const mask = ((1n << field.bits) - 1n) << field.shift;
  return (word & ~mask) | ((value << field.shift) & mask);
}

function getField(word: bigint, field: Field): bigint {
  return (word >> field.shift) & ((1n << field.bits) - 1n);
}

export function seL4_MessageInfo_new(
  label: unknown,
  capsUnwrapped: unknown,
  extraCaps: unknown,
  length: unknown,
): MessageInfo {
  const fn = "seL4_MessageInfo_new";
  let w = 0n;
  w = withField(w, FIELDS.label, argWord(fn, "label", label));
  w = withField(w, FIELDS.capsUnwrapped, argWord(fn, "capsUnwrapped", capsUnwrapped));
  w = withField(w, FIELDS.extraCaps, argWord(fn, "extraCaps", extraCaps));
  w = withField(w, FIELDS.length, argWord(fn, "length", length));
  return new MessageInfo(w);
}

/** seL4_MessageInfo_get_<field> and seL4_MessageInfo_set_<field> for every field. */
export function messageInfoAccessors(): Record<string, (...args: unknown[]) => unknown> {
  const out: Record<string, (...args: unknown[]) => unknown> = {};
  for (const name of Object.keys(FIELDS) as FieldName[]) {
    const field = FIELDS[name];
    const get = `seL4_MessageInfo_get_${name}`;
    const set = `seL4_MessageInfo_set_${name}`;
    out[get] = (info: unknown) => wordToNumber(getField(infoArg(get, "info", info).word, field));
    out[set] = (info: unknown, value: unknown) =>
      new MessageInfo(withField(infoArg(set, "info", info).word, field, argWord(set, "v", value)));
  }
  return out;
}
