// Filling CNodes from a system spec: reading cap entries, numbering their slots as the capDL
// tooling does (from 1, in declaration order, explicit slots allowed, slot 0 included), sizing
// each CNode and settling the guards of CNode caps once every radix is known.
import type { FieldReader } from "../tutorial/fields.js";
import type { JsonPath } from "../tutorial/json-source.js";
import { cnodeRadixFor, rightsText, WORD_BITS, type PlanCap, type PlanObject, type SpecRef } from "./plan.js";
import { NAME, readGuard, readRights, readWord, settleGuard, type GuardSpec } from "./spec-values.js";

/** Largest CNode radix a spec may ask for (65536 slots, 2 MiB of the simulated memory). */
export const MAX_RADIX = 16;
export const CAP_KEYS = [
  "symbol",
  "object",
  "empty",
  "rights",
  "grantReply",
  "badge",
  "guard",
  "guardSize",
  "slot",
  "configs",
] as const;

const BADGED = new Set(["Endpoint", "Notification"]);

/** What every CNode filler needs to read caps. */
export interface CapContext {
  r: FieldReader;
  objects: Map<string, PlanObject>;
  /** Names that exist only on the other configuration (or not for this thread), with the reason. */
  missing: Map<string, string>;
  ref: (path: JsonPath) => SpecRef;
}

interface PendingGuard {
  cap: PlanCap;
  own: GuardSpec;
  path: JsonPath;
}

/** One CNode being filled. */
export class CNodeFiller {
  readonly caps: PlanCap[] = [];
  readonly threads: string[] = [];
  private readonly bySlot = new Map<number, string>();
  private readonly symbols = new Set<string>();
  private readonly guards: PendingGuard[] = [];
  private readonly paths = new Map<PlanCap, JsonPath>();
  private next = 1;

  constructor(
    readonly name: string,
    private readonly ctx: CapContext,
  ) {}

  /** One cap entry of a `caps` list. */
  add(c: Record<string, unknown>, path: JsonPath): void {
    const { r } = this.ctx;
    const symbol = r.optString(c, "symbol", path) ?? null;
    if (symbol !== null) {
      if (!NAME.test(symbol)) r.error([...path, "symbol"], `symbol "${symbol}" must be an identifier`);
      if (this.symbols.has(symbol))
        r.error([...path, "symbol"], `symbol "${symbol}" is declared twice in CNode ${this.name}`);
      this.symbols.add(symbol);
    }
    const empty = r.optBoolean(c, "empty", path) ?? false;
    const object = empty ? null : this.objectOf(c, path);
    if (empty) {
      for (const key of ["object", "rights", "grantReply", "badge", "guard", "guardSize"]) {
        if (c[key] !== undefined) r.error([...path, key], `an empty slot holds no cap, so it has no "${key}"`);
      }
    }
    const type = object === null ? undefined : this.ctx.objects.get(object)?.type;
    let rights = readRights(r, c, path, "");
    if (r.optBoolean(c, "grantReply", path)) {
      if (type !== undefined && type !== "Endpoint")
        r.error([...path, "grantReply"], `"grantReply" is an endpoint right; "${object}" is a ${type}`);
      rights |= 8;
    }
    const badge = readWord(r, c, "badge", path, "badge") ?? 0n;
    if (c.badge !== undefined && type !== undefined && !BADGED.has(type)) {
      r.error([...path, "badge"], `only endpoint and notification caps carry a badge; "${object}" is a ${type}`);
    }
    const own = readGuard(r, c, path);
    if ((own.guard !== undefined || own.guardSize !== undefined) && type !== undefined && type !== "CNode") {
      r.error(
        [...path, c.guard !== undefined ? "guard" : "guardSize"],
        `only CNode caps carry a guard; "${object}" is a ${type}`,
      );
    }
    const slot = this.slotOf(c, path, symbol ?? object ?? "an empty slot");
    const cap: PlanCap = { slot, symbol, object, rights, badge, at: this.ctx.ref(path) };
    this.caps.push(cap);
    this.paths.set(cap, path);
    if (type === "CNode") this.guards.push({ cap, own, path });
  }

  /** capDL's cap to the thread's own TCB, after every declared slot, without a symbol. */
  addOwnTcb(thread: string, path: JsonPath): void {
    const slot = this.maxSlot() + 1;
    this.bySlot.set(slot, `thread ${thread}'s own TCB cap`);
    const cap: PlanCap = {
      slot,
      symbol: null,
      object: `tcb_${thread}`,
      rights: 0,
      badge: 0n,
      ownTcbOf: thread,
      at: this.ctx.ref(path),
    };
    this.caps.push(cap);
  }

  maxSlot(): number {
    return this.caps.reduce((m, c) => Math.max(m, c.slot), 0);
  }

  /**
   * The CNode's radix: the declared one, else capdl_linker's. Reports caps that do not fit;
   * `radixPath` is the field that sets (or would set) the size.
   */
  radix(declared: number | undefined, radixPath: JsonPath): number {
    const { r } = this.ctx;
    const max = this.maxSlot();
    const radix = declared ?? cnodeRadixFor(max);
    if (radix > MAX_RADIX) {
      r.error(
        radixPath,
        `CNode ${this.name} needs slot ${max}, more than a CNode of at most ${MAX_RADIX} bits holds (slots up to ${2 ** MAX_RADIX - 1})`,
      );
      return MAX_RADIX;
    }
    for (const c of this.caps) {
      if (c.slot < 2 ** radix) continue;
      const path = this.paths.get(c) ?? radixPath;
      const what =
        c.symbol !== null
          ? ` ("${c.symbol}")`
          : c.ownTcbOf !== undefined
            ? ` (thread ${c.ownTcbOf}'s own TCB cap)`
            : "";
      r.error(path, `slot ${c.slot}${what} is out of range for a CNode of ${radix} bits (slots 0..${2 ** radix - 1})`);
    }
    return radix;
  }

  /** Guards of the CNode caps in this CNode, once every CNode's radix is known. */
  settleGuards(radixOf: (cnode: string) => number, defaults: (cnode: string) => GuardSpec): void {
    for (const { cap, own, path } of this.guards) {
      const target = cap.object!;
      const g = settleGuard(this.ctx.r, own, defaults(target), radixOf(target), path);
      cap.guard = g.guard;
      cap.guardSize = g.guardSize;
    }
  }

  private objectOf(c: Record<string, unknown>, path: JsonPath): string | null {
    const { r, objects, missing } = this.ctx;
    const name = r.string(c, "object", path);
    if (name === undefined) return null;
    if (objects.has(name)) return name;
    const why = missing.get(name);
    r.error([...path, "object"], why ?? `unknown object "${name}" (declared: ${[...objects.keys()].join(", ")})`);
    return null;
  }

  private slotOf(c: Record<string, unknown>, path: JsonPath, what: string): number {
    const { r } = this.ctx;
    const explicit = r.optInteger(c, "slot", path, -(2 ** 31), 2 ** 31);
    let slot = explicit ?? this.next;
    // Only the root task's CNode has a slot seL4 keeps null (seL4_CapNull); the capDL loader
    // fills any slot of the CNodes it creates, slot 0 included.
    if (explicit !== undefined && explicit < 0) {
      r.error([...path, "slot"], `slot ${explicit} is out of range: slots are numbered from 0`);
      slot = this.next;
    } else if (explicit !== undefined && explicit >= 2 ** MAX_RADIX) {
      r.error([...path, "slot"], `slot ${explicit} is out of range: a CNode has at most 2^${MAX_RADIX} slots`);
      slot = this.next;
    }
    while (explicit === undefined && this.bySlot.has(slot)) slot++;
    const holder = this.bySlot.get(slot);
    if (holder !== undefined) r.error([...path, "slot"], `slot ${slot} already holds ${holder}: two caps in one slot`);
    this.bySlot.set(slot, what === "an empty slot" ? "an empty slot" : `"${what}"`);
    this.next = Math.max(this.next, slot + 1);
    return slot;
  }
}

/** One line describing a cap, for generated modules; a CNode cap's guard only when it is not capdl_linker's. */
export function describeCap(cap: PlanCap, objects: Map<string, PlanObject>): string {
  if (cap.object === null) return "empty at boot";
  const obj = objects.get(cap.object);
  const parts = [`${obj?.type} "${cap.object}"`];
  if (cap.rights) parts.push(`rights ${rightsText(cap.rights)}`);
  if (cap.badge) parts.push(`badge 0x${cap.badge.toString(16)}`);
  const defaultGuard = cap.guard === 0n && cap.guardSize === WORD_BITS - (obj?.sizeBits ?? 0);
  if (cap.guardSize !== undefined && !defaultGuard)
    parts.push(`guard 0x${(cap.guard ?? 0n).toString(16)} of ${cap.guardSize} bits`);
  return parts.join(", ");
}
