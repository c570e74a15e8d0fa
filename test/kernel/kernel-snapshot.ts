// A complete, readable picture of the kernel's state: every object's fields (registers included),
// the scheduler's globals and the CDT, one line per object. Two kernels that went through the
// same entries must produce the same text; the fastpath test compares a kernel built with the
// fastpath against one built without it.
import type { KernelState } from "../../src/kernel/model/state.js";
import type { KObject } from "../../src/kernel/object/structures.js";

/** Globals that are bookkeeping of the model rather than kernel state, or that cannot be printed. */
const SKIPPED_GLOBALS = new Set([
  "objects",
  "tcbs",
  "memory",
  "mem64",
  "mem32",
  "output",
  "config",
  "fastpath",
  "fastpathEntries",
]);

/** An entry of a long table that holds nothing: null, or a record of nulls (an empty queue). */
const EMPTY = /^(null|\{(\w+:null,?)*\})$/;

export function kernelSnapshot(ks: KernelState): string {
  // Objects and slots are named by position, so references print as names, not as nested copies.
  const names = new Map<object, string>();
  ks.objects.forEach((o, i) => {
    names.set(o, `${o.kind}#${i}`);
    const slots = (o as { slots?: unknown }).slots;
    if (Array.isArray(slots)) slots.forEach((cte, j) => names.set(cte as object, `${o.kind}#${i}[${j}]`));
  });
  // The kernel's IRQ node is no object of the store: its slots print by IRQ number.
  const irqNode = ks.interrupts.node;
  names.set(irqNode, "intStateIRQNode");
  irqNode.slots.forEach((cte, irq) => names.set(cte, `intStateIRQNode[${irq}]`));
  const show = (v: unknown, top: boolean): string => {
    if (typeof v === "bigint") return `${v}n`;
    if (typeof v === "string") return JSON.stringify(v);
    if (v === undefined || v === null || typeof v !== "object") return String(v);
    const name = names.get(v);
    if (name !== undefined && !top) return name;
    if (ArrayBuffer.isView(v)) {
      // Register files and the ready bitmap; a view of all memory is bookkeeping and must be skipped above.
      const words = v as unknown as ArrayLike<bigint | number>;
      if (words.length > 256) throw new Error(`kernelSnapshot: a ${words.length}-word memory view is not kernel state`);
      return `[${Array.from(words).join(",")}]`;
    }
    if (v instanceof Set || v instanceof Map) return `{${[...v].map((x) => show(x, false)).join(",")}}`;
    if (Array.isArray(v)) {
      // Long tables (ready queues, page tables) are mostly empty: only their used entries, by index.
      if (v.length <= 16) return `[${v.map((x) => show(x, false)).join(",")}]`;
      const used: string[] = [];
      v.forEach((x, i) => {
        if (x === null) return;
        const t = show(x, false);
        if (!EMPTY.test(t)) used.push(`${i}:${t}`);
      });
      return `[${used.join(",")}]`;
    }
    // Keys in creation order: objects of a kind are all made by one factory, so their orders agree.
    let out = "{";
    for (const k in v) out += `${k}:${show((v as Record<string, unknown>)[k], false)},`;
    return `${out}}`;
  };
  const lines: string[] = [];
  for (const k of Object.keys(ks).sort()) {
    if (!SKIPPED_GLOBALS.has(k)) lines.push(`${k} = ${show((ks as unknown as Record<string, unknown>)[k], false)}`);
  }
  ks.objects.forEach((o: KObject) => {
    lines.push(`${names.get(o)} = ${show(o, true)}`);
    const slots = (o as { slots?: unknown }).slots;
    if (Array.isArray(slots))
      slots.forEach((cte) => {
        if (cte.cap.type !== "Null") lines.push(`  ${names.get(cte)} = ${show(cte, true)}`);
      });
  });
  return lines.join("\n");
}

/** The first line where two snapshots differ, with both versions, for a failure message. */
export function firstDifference(a: string, b: string): string {
  const la = a.split("\n"),
    lb = b.split("\n");
  for (let i = 0; i < Math.max(la.length, lb.length); i++) {
    if (la[i] !== lb[i])
      return `  with the fastpath:    ${la[i] ?? "(nothing)"}\n  without the fastpath: ${lb[i] ?? "(nothing)"}`;
  }
  return "  (no difference)";
}
