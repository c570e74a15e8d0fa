// Reading a system spec (system.json, a capDL-like description of objects and of each
// thread's CSpace) and resolving it for one configuration. Every mistake is reported with the
// file, the line and the offending entry before anything boots.
import { readFileSync } from "node:fs";
import { objectTypeList, type ObjectTypeName } from "../kernel/api/constants.js";
import { FieldReader } from "../tutorial/fields.js";
import { KERNEL_CONFIGS, type KernelConfig } from "../tutorial/format.js";
import { parseJsonDocument, type JsonPath } from "../tutorial/json-source.js";
import {
  cnodeRadixFor, DEFAULT_PRIORITY, SC_SIZE_BITS,
  type PlanCap, type PlanMapping, type PlanObject, type PlanThread, type SystemPlan,
} from "./plan.js";

const ALL_TYPES = new Set<string>(objectTypeList("mcs"));
const FRAME_TYPES = new Set<string>(["Frame4K", "LargePage", "HugePage"]);
const MAX_RADIX = 16;
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

const OBJECT_KEYS = ["type", "sizeBits", "configs"] as const;
const THREAD_KEYS = ["source", "caps", "priority", "mcp", "passive", "cnodeSizeBits", "mappings", "faultEndpoint"] as const;
const CAP_KEYS = ["symbol", "object", "empty", "rights", "grantReply", "badge", "slot", "configs"] as const;
const MAPPING_KEYS = ["frame", "vaddr", "rights", "configs"] as const;

export function parseRights(text: string): number | null {
  if (!/^[RWG]*$/.test(text) || new Set(text).size !== text.length) return null;
  return (text.includes("W") ? 1 : 0) | (text.includes("R") ? 2 : 0) | (text.includes("G") ? 4 : 0);
}

function parseWord(v: unknown): bigint | null {
  if (typeof v === "number" && Number.isSafeInteger(v) && v >= 0) return BigInt(v);
  if (typeof v === "string" && /^(0x[0-9a-fA-F]+|\d+)$/.test(v)) {
    const b = BigInt(v);
    return b < 1n << 64n ? b : null;
  }
  return null;
}

/** Implicit per-thread objects, named as the capDL tooling names them. */
function implicitObjects(thread: string, passive: boolean, config: KernelConfig): PlanObject[] {
  const out: PlanObject[] = [
    { name: `tcb_${thread}`, type: "TCB" },
    { name: `cnode_${thread}`, type: "CNode" },
    { name: `vspace_${thread}`, type: "PML4" },
    { name: `ipc_buffer_${thread}`, type: "Frame4K" },
  ];
  if (config === "mcs" && !passive) out.push({ name: `sc_${thread}`, type: "SchedContext", sizeBits: SC_SIZE_BITS });
  return out;
}

export function loadSystemSpec(file: string, config: KernelConfig): SystemPlan {
  return resolveSystemSpec(file, readFileSync(file, "utf8"), config);
}

export function resolveSystemSpec(file: string, text: string, config: KernelConfig): SystemPlan {
  const doc = parseJsonDocument(file, text);
  const r = new FieldReader(doc);
  const top = r.object(doc.value, []) ?? {};
  r.onlyKeys(top, [], ["schemaVersion", "objects", "threads"]);
  if (top.schemaVersion !== 1) r.error(["schemaVersion"], "schemaVersion must be 1");

  const inConfig = (obj: Record<string, unknown>, path: JsonPath): boolean => {
    if (obj.configs === undefined) return true;
    const list = r.stringList(obj, "configs", path);
    list.forEach((c, n) => {
      if (!KERNEL_CONFIGS.includes(c as KernelConfig)) r.error([...path, "configs", n], `unknown configuration "${c}"`);
    });
    return list.includes(config);
  };

  // Declared objects; `excluded` remembers the ones that exist only in the other configuration.
  const objects = new Map<string, PlanObject>();
  const excluded = new Set<string>();
  const declared = r.object(top.objects ?? {}, ["objects"]) ?? {};
  for (const [name, raw] of Object.entries(declared)) {
    const path = ["objects", name];
    const o = r.object(raw, path);
    if (!o) continue;
    r.onlyKeys(o, path, OBJECT_KEYS);
    if (!NAME.test(name)) r.error(path, `object name "${name}" must be an identifier`);
    const type = r.string(o, "type", path);
    const sizeBits = r.optInteger(o, "sizeBits", path, 0, 47);
    if (!inConfig(o, path)) {
      excluded.add(name);
      continue;
    }
    if (type === undefined) continue;
    if (!ALL_TYPES.has(type)) {
      r.error([...path, "type"], `unknown object type "${type}" (one of: ${[...ALL_TYPES].join(", ")})`);
    } else if (!objectTypeList(config).includes(type as ObjectTypeName)) {
      r.error([...path, "type"],
        `the ${config} configuration has no ${type} objects; limit the object with "configs": ["mcs"]`);
    } else {
      objects.set(name, { name, type: type as ObjectTypeName, ...(sizeBits !== undefined ? { sizeBits } : {}) });
    }
  }

  const threadsRaw = r.object(top.threads ?? {}, ["threads"]) ?? {};
  if (Object.keys(threadsRaw).length === 0) r.error(["threads"], "the system needs at least one thread");
  // Implicit objects first, so caps may name any thread's TCB, CNode or VSpace.
  const passiveOf = new Map<string, boolean>();
  for (const [name, raw] of Object.entries(threadsRaw)) {
    const t = r.object(raw, ["threads", name]);
    const passive = t ? r.optBoolean(t, "passive", ["threads", name]) ?? false : false;
    passiveOf.set(name, passive);
    if (!NAME.test(name)) r.error(["threads", name], `thread name "${name}" must be an identifier`);
    for (const o of implicitObjects(name, passive, config)) {
      if (objects.has(o.name)) r.error(["objects", o.name], `"${o.name}" is the name of thread ${name}'s own ${o.type}`);
      objects.set(o.name, o);
    }
  }

  const threads: PlanThread[] = [];
  const sources = new Map<string, string>();
  for (const [name, raw] of Object.entries(threadsRaw)) {
    const path: JsonPath = ["threads", name];
    const t = r.object(raw, path);
    if (!t) continue;
    r.onlyKeys(t, path, THREAD_KEYS);
    const source = r.string(t, "source", path) ?? `${name}.ts`;
    if (!/^[\w.-]+\.ts$/.test(source)) r.error([...path, "source"], `"${source}" must be a .ts file name in the exercise directory`);
    const other = sources.get(source);
    if (other) r.error([...path, "source"], `threads ${other} and ${name} cannot share ${source}: each thread's module has its own main()`);
    sources.set(source, name);
    const caps = readCaps(r, t, path, objects, excluded, inConfig);
    const declaredRadix = r.optInteger(t, "cnodeSizeBits", path, 1, MAX_RADIX);
    const maxDeclared = caps.reduce((m, c) => Math.max(m, c.slot), 0);
    // capDL puts the thread's own TCB cap in the next slot after everything declared.
    caps.push({ slot: maxDeclared + 1, symbol: null, object: `tcb_${name}`, rights: 0, badge: 0n });
    const radix = declaredRadix ?? cnodeRadixFor(maxDeclared + 1);
    if (radix > MAX_RADIX) r.error([...path, "caps"], `slot ${maxDeclared + 1} is out of range: at most ${2 ** MAX_RADIX - 1}`);
    for (const [n, c] of caps.entries()) {
      if (c.slot >= 2 ** radix) {
        const where = c.symbol === null ? [...path, "cnodeSizeBits"] : [...path, "caps", n];
        r.error(where, `slot ${c.slot}${c.symbol ? ` ("${c.symbol}")` : " (the thread's own TCB cap)"} is out of range for a CNode of ${radix} bits (slots 0..${2 ** radix - 1})`);
      }
    }
    const symbols = new Set(caps.map((c) => c.symbol));
    const faultEndpoint = r.optString(t, "faultEndpoint", path) ?? null;
    if (faultEndpoint !== null && !symbols.has(faultEndpoint)) {
      r.error([...path, "faultEndpoint"], `"${faultEndpoint}" is not one of thread ${name}'s caps`);
    }
    const cnode = objects.get(`cnode_${name}`);
    if (cnode) cnode.sizeBits = radix;
    threads.push({
      name, source, radix, caps, faultEndpoint,
      tcb: `tcb_${name}`, cnode: `cnode_${name}`, vspace: `vspace_${name}`, ipcBuffer: `ipc_buffer_${name}`,
      sc: config === "mcs" && !passiveOf.get(name) ? `sc_${name}` : null,
      priority: r.optInteger(t, "priority", path, 0, 255) ?? DEFAULT_PRIORITY,
      mcp: r.optInteger(t, "mcp", path, 0, 255) ?? DEFAULT_PRIORITY,
      mappings: readMappings(r, t, path, objects, inConfig),
    });
  }
  r.finish();
  threads.sort((a, b) => (a.tcb < b.tcb ? -1 : a.tcb > b.tcb ? 1 : 0));
  return { config, file, objects: [...objects.values()], threads };
}

/** The object entries of an optional list that apply to this configuration. */
function listEntries(
  r: FieldReader, list: unknown, path: JsonPath, keys: readonly string[],
  inConfig: (o: Record<string, unknown>, p: JsonPath) => boolean,
): { entry: Record<string, unknown>; path: JsonPath; n: number }[] {
  return r.array(list ?? [], path).flatMap((raw, n) => {
    const p: JsonPath = [...path, n];
    const entry = r.object(raw, p);
    if (!entry) return [];
    r.onlyKeys(entry, p, keys);
    return inConfig(entry, p) ? [{ entry, path: p, n }] : [];
  });
}

function readCaps(
  r: FieldReader, t: Record<string, unknown>, path: JsonPath, objects: Map<string, PlanObject>,
  excluded: Set<string>, inConfig: (o: Record<string, unknown>, p: JsonPath) => boolean,
): PlanCap[] {
  const caps: PlanCap[] = [];
  const bySlot = new Map<number, string>();
  const symbols = new Set<string>();
  let next = 1;
  for (const { entry: c, path: cpath, n } of listEntries(r, t.caps, [...path, "caps"], CAP_KEYS, inConfig)) {
    const symbol = r.string(c, "symbol", cpath) ?? `#${n}`;
    if (!NAME.test(symbol)) r.error([...cpath, "symbol"], `symbol "${symbol}" must be an identifier`);
    if (symbols.has(symbol)) r.error([...cpath, "symbol"], `symbol "${symbol}" is declared twice in this CSpace`);
    symbols.add(symbol);
    const empty = r.optBoolean(c, "empty", cpath) ?? false;
    const objectName = empty ? null : r.string(c, "object", cpath) ?? null;
    if (empty && c.object !== undefined) r.error([...cpath, "object"], "an empty slot has no object");
    if (objectName !== null && !objects.has(objectName)) {
      r.error([...cpath, "object"], excluded.has(objectName)
        ? `object "${objectName}" does not exist on this configuration; limit the cap with the same "configs"`
        : `unknown object "${objectName}" (declared: ${[...objects.keys()].join(", ")})`);
    }
    const rightsText = r.optString(c, "rights", cpath) ?? "";
    let rights = parseRights(rightsText);
    if (rights === null) {
      r.error([...cpath, "rights"], `rights "${rightsText}" must be letters from R, W, G`);
      rights = 0;
    }
    if (r.optBoolean(c, "grantReply", cpath)) rights |= 8;
    const badge = c.badge === undefined ? 0n : parseWord(c.badge);
    if (badge === null) r.error([...cpath, "badge"], "badge must be a non-negative integer or a hex string below 2^64");
    const explicit = r.optInteger(c, "slot", cpath, -(2 ** 31), 2 ** 31);
    let slot = explicit ?? next;
    if (explicit !== undefined && explicit < 1) {
      r.error([...cpath, "slot"], `slot ${explicit} is out of range: slot 0 stays null, so slots start at 1`);
      slot = next;
    }
    while (explicit === undefined && bySlot.has(slot)) slot++;
    const holder = bySlot.get(slot);
    if (holder !== undefined) r.error([...cpath, "slot"], `slot ${slot} already holds "${holder}": two caps in one slot`);
    bySlot.set(slot, symbol);
    next = Math.max(next, slot + 1);
    caps.push({ slot, symbol, object: objectName, rights, badge: badge ?? 0n });
  }
  return caps;
}

function readMappings(
  r: FieldReader, t: Record<string, unknown>, path: JsonPath, objects: Map<string, PlanObject>,
  inConfig: (o: Record<string, unknown>, p: JsonPath) => boolean,
): PlanMapping[] {
  const out: PlanMapping[] = [];
  for (const { entry: m, path: mpath } of listEntries(r, t.mappings, [...path, "mappings"], MAPPING_KEYS, inConfig)) {
    const frame = r.string(m, "frame", mpath) ?? "";
    const obj = objects.get(frame);
    if (!obj) r.error([...mpath, "frame"], `unknown object "${frame}"`);
    else if (!FRAME_TYPES.has(obj.type)) r.error([...mpath, "frame"], `"${frame}" is a ${obj.type}, not a frame`);
    const vaddr = parseWord(m.vaddr);
    if (vaddr === null || vaddr % 4096n !== 0n || vaddr >= 1n << 47n) {
      r.error([...mpath, "vaddr"], "vaddr must be a 4 KiB-aligned user address (a hex string such as \"0x20000000\")");
    }
    const rights = parseRights(r.optString(m, "rights", mpath) ?? "RW");
    if (rights === null) r.error([...mpath, "rights"], "rights must be letters from R, W, G");
    out.push({ frame, vaddr: vaddr ?? 0n, rights: rights ?? 0 });
  }
  return out;
}

/** Validates a spec on every configuration a tutorial supports (the first error set wins). */
export function checkSystemSpec(file: string, configs: readonly KernelConfig[]): void {
  for (const c of configs) loadSystemSpec(file, c);
}

