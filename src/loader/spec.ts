// Reading a system spec (system.json, a capDL-like description of objects, CNodes and threads)
// and resolving it for one configuration. Every mistake is reported with the file, the line and
// the offending entry before anything boots. docs/authoring.md describes every field.
import { readFileSync } from "node:fs";
import {
  KERNEL_CONFIGS,
  type KernelConfig,
  objectTypeList,
  seL4_IPCBufferSizeBits,
  seL4_MaxUntypedBits,
  seL4_MinSchedContextBits,
  seL4_MinUntypedBits,
} from "../abi/constants.js";
import { FieldReader } from "../tutorial/fields.js";
import { schemaErrors } from "../tutorial/json-schemas.js";
import { errorAt, parseJsonDocument, type JsonDocument, type JsonPath } from "../tutorial/json-source.js";
import {
  cptrOf,
  DEFAULT_PRIORITY,
  DEFAULT_SC_BUDGET_US,
  SC_SIZE_BITS,
  SINGLETON_TYPES,
  type PlanCNode,
  type PlanEndpoint,
  type PlanObject,
  type PlanObjectType,
  type PlanThread,
  type SpecRef,
  type SystemPlan,
} from "./plan.js";
import { CAP_KEYS, CNodeFiller, MAX_RADIX, type CapContext } from "./spec-cspace.js";
import { readRootTask } from "./root-task.js";
import {
  checkDevices,
  checkMemory,
  MappingHolders,
  readMappings,
  threadLayout,
  USER_END,
  VSpaceRegions,
  type ThreadLayout,
} from "./spec-memory.js";
import {
  NAME,
  parseWord,
  readGuard,
  readScParams,
  readWord,
  SC_KEYS,
  settleGuard,
  type GuardSpec,
} from "./spec-values.js";

const ALL_TYPES: readonly string[] = [...objectTypeList("mcs"), ...SINGLETON_TYPES];
const MCS_ONLY = new Set<string>(["SchedContext", "Reply", "SchedControl"]);

const OBJECT_KEYS = [
  "type",
  "sizeBits",
  "configs",
  "caps",
  "guard",
  "guardSize",
  "budgetUs",
  "periodUs",
  "extraRefills",
  "badge",
  "paddr",
] as const;
const THREAD_KEYS = [
  "source",
  "caps",
  "priority",
  "mcp",
  "passive",
  "cnodeSizeBits",
  "cspace",
  "vspace",
  "sc",
  "mappings",
  "faultEndpoint",
  "timeoutEndpoint",
  "ipcBuffer",
] as const;
const CSPACE_KEYS = ["cnode", "guard", "guardSize"] as const;

/** The fields only some object types have, and the sizes each sized type accepts. */
const TYPE_FIELDS: Record<string, readonly string[]> = {
  CNode: ["sizeBits", "caps", "guard", "guardSize"],
  SchedContext: ["sizeBits", "budgetUs", "periodUs", "extraRefills", "badge"],
  Untyped: ["sizeBits", "paddr"],
  Frame4K: ["paddr"],
  LargePage: ["paddr"],
  HugePage: ["paddr"],
};
const SIZE_RANGE: Record<string, [number, number]> = {
  CNode: [1, MAX_RADIX],
  SchedContext: [seL4_MinSchedContextBits, 16],
  Untyped: [seL4_MinUntypedBits, seL4_MaxUntypedBits],
};

export function loadSystemSpec(file: string, config: KernelConfig): SystemPlan {
  return resolveSystemSpec(file, readFileSync(file, "utf8"), config);
}

/** A declared object as written, kept for the passes that need its fields. */
interface Declared {
  raw: Record<string, unknown>;
  path: JsonPath;
  guard: GuardSpec;
}

/** What the first pass over a thread learns: enough to create its objects and find its CSpace. */
interface ThreadHead {
  name: string;
  raw: Record<string, unknown>;
  path: JsonPath;
  passive: boolean;
  /** The root CNode object's name. */
  cnode: string;
  cspace: Record<string, unknown> | null;
  sc: string | null;
  /** The VSpace root (PML4) object's name. */
  vspace: string;
  /** Where the thread's IPC buffer and stack go in a VSpace that several threads share. */
  layout: ThreadLayout;
  /** Where the IPC buffer is; null: the thread has none. */
  ipcBufferVaddr: bigint | null;
}

export function resolveSystemSpec(file: string, text: string, config: KernelConfig): SystemPlan {
  const doc = parseJsonDocument(file, text);
  return new SpecResolver(doc, config).resolve();
}

class SpecResolver {
  private readonly r: FieldReader;
  private readonly objects = new Map<string, PlanObject>();
  private readonly declared = new Map<string, Declared>();
  readonly missing = new Map<string, string>();
  private readonly objectPaths = new Map<string, JsonPath>();
  private readonly fillers = new Map<string, CNodeFiller>();
  private readonly ctx: CapContext;

  constructor(
    private readonly doc: JsonDocument,
    private readonly config: KernelConfig,
  ) {
    this.r = new FieldReader(doc, schemaErrors(doc, "system"));
    this.ctx = { r: this.r, objects: this.objects, missing: this.missing, ref: (p) => this.ref(p) };
  }

  resolve(): SystemPlan {
    const { r, config } = this;
    const top = r.object(this.doc.value, []) ?? {};
    if (top.rootTask !== undefined) {
      r.onlyKeys(top, [], ["schemaVersion", "rootTask"]);
      if (top.schemaVersion !== 1) r.error(["schemaVersion"], "schemaVersion must be 1");
      const plan = readRootTask(r, top.rootTask, this.doc.file, config);
      r.finish();
      return plan;
    }
    r.onlyKeys(top, [], ["schemaVersion", "objects", "threads", "rootTask"]);
    if (top.schemaVersion !== 1) r.error(["schemaVersion"], "schemaVersion must be 1");
    this.readObjects(r.object(top.objects ?? {}, ["objects"]) ?? {});
    const threadsRaw = r.object(top.threads ?? {}, ["threads"]) ?? {};
    if (Object.keys(threadsRaw).length === 0) r.error(["threads"], "the system needs at least one thread");
    const heads = this.readThreadHeads(threadsRaw);
    this.resolveCSpaces(heads);

    // Slots: each CNode object's own list, then the lists of the threads using it as root (file
    // order), then those threads' own TCB caps.
    for (const [name, d] of this.declared) {
      const filler = this.fillers.get(name);
      if (filler)
        for (const { entry, path } of this.listEntries(d.raw.caps, [...d.path, "caps"], CAP_KEYS))
          filler.add(entry, path);
    }
    for (const h of heads) {
      const filler = this.fillers.get(h.cnode);
      if (!filler) continue;
      filler.threads.push(h.name);
      for (const { entry, path } of this.listEntries(h.raw.caps, [...h.path, "caps"], CAP_KEYS))
        filler.add(entry, path);
    }
    for (const h of heads) this.fillers.get(h.cnode)?.addOwnTcb(h.name, h.path);
    const radix = new Map<string, number>();
    for (const [name, filler] of this.fillers) {
      const d = this.declared.get(name);
      const owner = heads.find((h) => h.cnode === name && !h.cspace?.cnode);
      const declaredRadix = d
        ? this.objects.get(name)!.sizeBits
        : owner
          ? r.optInteger(owner.raw, "cnodeSizeBits", owner.path, 1, MAX_RADIX)
          : undefined;
      const radixPath = d ? [...d.path, "sizeBits"] : owner ? [...owner.path, "cnodeSizeBits"] : ["objects", name];
      radix.set(name, filler.radix(declaredRadix, radixPath));
      this.objects.get(name)!.sizeBits = radix.get(name)!;
    }
    const guardDefault = (cnode: string): GuardSpec => this.declared.get(cnode)?.guard ?? {};
    for (const [name, d] of this.declared) if (radix.has(name)) settleGuard(r, d.guard, {}, radix.get(name)!, d.path);
    for (const filler of this.fillers.values()) filler.settleGuards((n) => radix.get(n) ?? 1, guardDefault);

    const regions = new Map<string, VSpaceRegions>();
    const regionsOf = (vspace: string) => regions.get(vspace) ?? regions.set(vspace, new VSpaceRegions()).get(vspace)!;
    // Every IPC buffer and stack of a VSpace first, so that a mapping of any thread that shares it is checked against them.
    for (const h of heads) {
      const where = h.raw.ipcBuffer !== undefined ? [...h.path, "ipcBuffer"] : h.path;
      for (const clash of regionsOf(h.vspace).addThread(h.name, h.ipcBufferVaddr, h.layout.stackVaddr))
        r.error(where, clash);
    }
    const holders = new MappingHolders(r, this.objects);
    const threads = heads.map((h) =>
      this.readThread(h, radix.get(h.cnode) ?? 1, guardDefault(h.cnode), regionsOf(h.vspace), holders),
    );
    checkMemory(r, this.objects, (n) => this.objectPaths.get(n) ?? ["objects", n], threads, config);
    checkDevices(r, this.objects, (n) => this.objectPaths.get(n) ?? ["objects", n], config);
    // Reported in the order they appear in the file, whichever pass found them.
    r.errors.sort((x, y) => x.line - y.line || x.column - y.column);
    r.finish();
    threads.sort((a, b) => (a.tcb < b.tcb ? -1 : a.tcb > b.tcb ? 1 : 0));
    const cnodes: PlanCNode[] = [...this.fillers.values()].map((f) => ({
      name: f.name,
      radix: radix.get(f.name)!,
      caps: f.caps,
      threads: f.threads,
    }));
    return { config, file: this.doc.file, objects: [...this.objects.values()], cnodes, threads };
  }

  ref(path: JsonPath): SpecRef {
    const e = errorAt(this.doc, path, "");
    return { line: e.line, column: e.column, path: e.where };
  }

  private inConfig(obj: Record<string, unknown>, path: JsonPath): boolean {
    if (obj.configs === undefined) return true;
    const list = this.r.stringList(obj, "configs", path);
    list.forEach((c, n) => {
      if (!KERNEL_CONFIGS.includes(c as KernelConfig))
        this.r.error([...path, "configs", n], `unknown configuration "${c}"`);
    });
    return list.includes(this.config);
  }

  /** The object entries of an optional list that apply to this configuration. */
  listEntries(
    list: unknown,
    path: JsonPath,
    keys: readonly string[],
  ): { entry: Record<string, unknown>; path: JsonPath }[] {
    return this.r.array(list ?? [], path).flatMap((raw, n) => {
      const p: JsonPath = [...path, n];
      const entry = this.r.object(raw, p);
      if (!entry) return [];
      this.r.onlyKeys(entry, p, keys);
      return this.inConfig(entry, p) ? [{ entry, path: p }] : [];
    });
  }

  private readObjects(declared: Record<string, unknown>): void {
    const { r, config } = this;
    const singletons = new Map<string, string>();
    for (const [name, raw] of Object.entries(declared)) {
      const path = ["objects", name];
      const o = r.object(raw, path);
      if (!o) continue;
      r.onlyKeys(o, path, OBJECT_KEYS);
      if (!NAME.test(name)) r.error(path, `object name "${name}" must be an identifier`);
      const type = r.string(o, "type", path);
      if (!this.inConfig(o, path)) {
        this.missing.set(
          name,
          `object "${name}" does not exist on the ${config} configuration; limit the cap with the same "configs"`,
        );
        continue;
      }
      if (type === undefined) continue;
      if (!ALL_TYPES.includes(type)) {
        r.error([...path, "type"], `unknown object type "${type}" (one of: ${ALL_TYPES.join(", ")})`);
        continue;
      }
      if (MCS_ONLY.has(type) && config !== "mcs") {
        r.error(
          [...path, "type"],
          `the ${config} configuration has no ${type} objects; limit the object with "configs": ["mcs"]`,
        );
        continue;
      }
      for (const key of Object.keys(o)) {
        if (
          OBJECT_KEYS.includes(key as never) &&
          !["type", "configs"].includes(key) &&
          !(TYPE_FIELDS[type] ?? []).includes(key)
        ) {
          r.error(
            [...path, key],
            `"${key}" does not apply to a ${type} object${key === "sizeBits" ? ": its size is fixed" : ""}`,
          );
        }
      }
      if ((SINGLETON_TYPES as readonly string[]).includes(type)) {
        const other = singletons.get(type);
        if (other)
          r.error([...path, "type"], `the kernel has one ${type}; "${other}" is it already, so cap that object`);
        singletons.set(type, name);
      }
      const range = SIZE_RANGE[type];
      const sizeBits = range ? r.optInteger(o, "sizeBits", path, range[0], range[1]) : undefined;
      const obj: PlanObject = { name, type: type as PlanObjectType, at: this.ref(path) };
      if (sizeBits !== undefined) obj.sizeBits = sizeBits;
      if (type === "Untyped" && sizeBits === undefined)
        r.error(
          [...path, "sizeBits"],
          `an Untyped needs "sizeBits" (its size is 2^sizeBits bytes, ${range![0]}..${range![1]})`,
        );
      const paddr = readWord(r, o, "paddr", path, `"paddr" (the device memory's physical address)`);
      if (paddr !== undefined) obj.paddr = paddr;
      if (type === "SchedContext") {
        obj.sizeBits ??= SC_SIZE_BITS;
        // An SC object without parameters stays as a retype leaves it: unconfigured, so a thread
        // bound to it does not run until someone invokes SchedControl_Configure on it.
        if (SC_KEYS.some((k) => o[k] !== undefined)) obj.sc = readScParams(r, o, path, obj.sizeBits, null);
      }
      this.objects.set(name, obj);
      this.objectPaths.set(name, path);
      this.declared.set(name, { raw: o, path, guard: type === "CNode" ? readGuard(r, o, path) : {} });
      if (type === "CNode") this.fillers.set(name, new CNodeFiller(name, this.ctx));
    }
  }

  /** First pass: names, CSpace roots and scheduling contexts, and each thread's own objects. */
  private readThreadHeads(threadsRaw: Record<string, unknown>): ThreadHead[] {
    const { r, config } = this;
    const heads: ThreadHead[] = [];
    const vspaceUsers = new Map<string, number>();
    for (const [name, raw] of Object.entries(threadsRaw)) {
      const path: JsonPath = ["threads", name];
      if (!NAME.test(name)) r.error(path, `thread name "${name}" must be an identifier`);
      const t = r.object(raw, path);
      if (!t) continue;
      r.onlyKeys(t, path, THREAD_KEYS);
      const passive = r.optBoolean(t, "passive", path) ?? false;
      let cspace: Record<string, unknown> | null = null;
      if (typeof t.cspace === "string") cspace = { cnode: t.cspace };
      else if (t.cspace !== undefined) {
        cspace = r.object(t.cspace, [...path, "cspace"]) ?? null;
        if (cspace) r.onlyKeys(cspace, [...path, "cspace"], CSPACE_KEYS);
      }
      const cnodeName = cspace && typeof cspace.cnode === "string" ? cspace.cnode : `cnode_${name}`;
      if (cspace?.cnode !== undefined && typeof cspace.cnode !== "string")
        r.error([...path, "cspace", "cnode"], `"cnode" must be the name of a CNode object`);
      if (cspace?.cnode !== undefined && t.cnodeSizeBits !== undefined) {
        r.error(
          [...path, "cnodeSizeBits"],
          `"cnodeSizeBits" sizes the thread's own CNode; its CSpace root is "${cnodeName}", so give that object a "sizeBits"`,
        );
      }
      // "sc": the name of a SchedContext object, or the parameters of the thread's own.
      const sc = typeof t.sc === "string" ? t.sc : null;
      const scParams = t.sc === undefined || sc !== null ? {} : (r.object(t.sc, [...path, "sc"]) ?? {});
      if (passive && t.sc !== undefined)
        r.error([...path, "sc"], `a passive thread has no scheduling context; drop "sc" or "passive"`);
      // "vspace": the name of a PML4 object (another thread's vspace_<thread>, say) to share.
      const sharedVSpace = t.vspace === undefined ? null : (r.string(t, "vspace", path) ?? null);
      const vspace = sharedVSpace ?? `vspace_${name}`;
      const layout = threadLayout(vspaceUsers.get(vspace) ?? 0);
      vspaceUsers.set(vspace, (vspaceUsers.get(vspace) ?? 0) + 1);
      const ipcBufferVaddr = this.readIpcBuffer(t, path, layout.ipcBufferVaddr);
      heads.push({ name, raw: t, path, passive, cnode: cnodeName, cspace, sc, vspace, layout, ipcBufferVaddr });

      const own: PlanObject[] = [{ name: `tcb_${name}`, type: "TCB" }];
      if (cspace?.cnode === undefined) own.push({ name: `cnode_${name}`, type: "CNode" });
      else
        this.missing.set(`cnode_${name}`, `thread ${name} has no "cnode_${name}": its CSpace root is "${cnodeName}"`);
      if (sharedVSpace === null) own.push({ name: `vspace_${name}`, type: "PML4" });
      else
        this.missing.set(`vspace_${name}`, `thread ${name} has no "vspace_${name}": its VSpace is "${sharedVSpace}"`);
      if (ipcBufferVaddr !== null) own.push({ name: `ipc_buffer_${name}`, type: "Frame4K" });
      else this.missing.set(`ipc_buffer_${name}`, `thread ${name} has no IPC buffer ("ipcBuffer": false)`);
      if (config === "mcs" && !passive && sc === null) {
        r.onlyKeys(scParams, [...path, "sc"], SC_KEYS);
        own.push({
          name: `sc_${name}`,
          type: "SchedContext",
          sizeBits: SC_SIZE_BITS,
          sc: readScParams(r, scParams, [...path, "sc"], SC_SIZE_BITS, DEFAULT_SC_BUDGET_US),
        });
      } else {
        this.missing.set(
          `sc_${name}`,
          config !== "mcs"
            ? `"sc_${name}" is thread ${name}'s scheduling context, which exists only on MCS; limit the cap with "configs": ["mcs"]`
            : passive
              ? `thread ${name} is passive: it has no scheduling context "sc_${name}"`
              : `thread ${name} runs on "${sc}", so it has no "sc_${name}"`,
        );
      }
      for (const o of own) {
        o.at = this.ref(path);
        if (this.objects.has(o.name))
          r.error(["objects", o.name], `"${o.name}" is the name of thread ${name}'s own ${o.type}`);
        this.objects.set(o.name, o);
        this.objectPaths.set(o.name, path);
        if (o.type === "CNode") this.fillers.set(o.name, new CNodeFiller(o.name, this.ctx));
      }
    }
    return heads;
  }

  /**
   * "ipcBuffer": false for none (the thread's messages then carry only the 4 register MRs), or
   * the buffer's address (1 KiB aligned, as seL4_TCB_SetIPCBuffer requires); default 0x10000000,
   * or the page after the previous thread's in a shared VSpace.
   */
  private readIpcBuffer(t: Record<string, unknown>, path: JsonPath, defaultVaddr: bigint): bigint | null {
    const v = t.ipcBuffer;
    if (v === undefined) return defaultVaddr;
    if (v === false) return null;
    const vaddr = parseWord(v);
    if (vaddr === null || vaddr % (1n << BigInt(seL4_IPCBufferSizeBits)) !== 0n || vaddr >= USER_END) {
      this.r.error(
        [...path, "ipcBuffer"],
        `"ipcBuffer" must be false (no IPC buffer) or a 1 KiB-aligned user address such as "0x10000000"`,
      );
      return defaultVaddr;
    }
    return vaddr;
  }

  /** Every thread's root must be a CNode; every named SC a SchedContext bound to one thread only. */
  private resolveCSpaces(heads: ThreadHead[]): void {
    const { r, config } = this;
    const scUsers = new Map<string, string>();
    for (const h of heads) {
      if (h.cspace?.cnode !== undefined && typeof h.cspace.cnode === "string") {
        const target = this.objects.get(h.cnode);
        const where = typeof h.raw.cspace === "string" ? [...h.path, "cspace"] : [...h.path, "cspace", "cnode"];
        if (!target)
          r.error(
            where,
            this.missing.get(h.cnode) ?? `unknown object "${h.cnode}": the CSpace root must be a CNode object`,
          );
        else if (target.type !== "CNode") r.error(where, `"${h.cnode}" is a ${target.type}, not a CNode`);
      }
      if (h.raw.vspace !== undefined) {
        const target = this.objects.get(h.vspace);
        const where = [...h.path, "vspace"];
        if (!target)
          r.error(
            where,
            this.missing.get(h.vspace) ??
              `unknown object "${h.vspace}": the VSpace root must be a PML4 object (another thread's "vspace_<thread>", say)`,
          );
        else if (target.type !== "PML4")
          r.error(where, `"${h.vspace}" is a ${target.type}, not a PML4 (the x86_64 VSpace root)`);
      }
      if (h.sc === null || config !== "mcs") continue;
      const target = this.objects.get(h.sc);
      if (!target)
        r.error(
          [...h.path, "sc"],
          this.missing.get(h.sc) ??
            `unknown object "${h.sc}": "sc" names a SchedContext object, or gives the parameters of the thread's own`,
        );
      else if (target.type !== "SchedContext")
        r.error([...h.path, "sc"], `"${h.sc}" is a ${target.type}, not a SchedContext`);
      const other = scUsers.get(h.sc);
      if (other)
        r.error([...h.path, "sc"], `"${h.sc}" is already thread ${other}'s scheduling context; an SC runs one thread`);
      scUsers.set(h.sc, h.name);
    }
  }

  private readThread(
    h: ThreadHead,
    radix: number,
    rootDefault: GuardSpec,
    regions: VSpaceRegions,
    holders: MappingHolders,
  ): PlanThread {
    const { r, config } = this;
    const { name, raw: t, path } = h;
    const source = r.optString(t, "source", path) ?? `${name}.ts`;
    if (!/^[\w.-]+\.ts$/.test(source))
      r.error([...path, "source"], `"${source}" must be a .ts file name in the exercise directory`);
    const cspacePath = [...path, "cspace"];
    const root = settleGuard(r, h.cspace ? readGuard(r, h.cspace, cspacePath) : {}, rootDefault, radix, cspacePath);
    const caps = this.fillers.get(h.cnode)?.caps ?? [];
    const thread: PlanThread = {
      name,
      source,
      radix,
      tcb: `tcb_${name}`,
      cnode: h.cnode,
      cspaceGuard: root.guard,
      cspaceGuardSize: root.guardSize,
      vspace: h.vspace,
      ipcBuffer: h.ipcBufferVaddr === null ? null : `ipc_buffer_${name}`,
      ipcBufferVaddr: h.ipcBufferVaddr,
      stackVaddr: h.layout.stackVaddr,
      sc: config !== "mcs" || h.passive ? null : (h.sc ?? `sc_${name}`),
      priority: r.optInteger(t, "priority", path, 0, 255) ?? DEFAULT_PRIORITY,
      mcp: r.optInteger(t, "mcp", path, 0, 255) ?? DEFAULT_PRIORITY,
      caps,
      mappings: readMappings(
        this,
        r,
        t,
        path,
        this.objects,
        regions,
        holders.claimIn(caps, h.cnode),
        new Set(caps.flatMap((c) => (c.symbol === null ? [] : [c.symbol]))),
      ),
      faultEndpoint: null,
      timeoutEndpoint: null,
      at: this.ref(path),
    };
    thread.faultEndpoint = this.readEndpoint(thread, t, path, "faultEndpoint", "fault");
    if (config === "mcs") thread.timeoutEndpoint = this.readEndpoint(thread, t, path, "timeoutEndpoint", "timeout");
    return thread;
  }

  /**
   * A fault or timeout endpoint: the symbol of a cap in the thread's CSpace root, or a CPtr. Master
   * keeps the CPtr (looked up when the thread faults, so it may name an empty slot); MCS installs
   * the cap, which seL4_TCB_SetSpace requires to be an endpoint cap with Write and Grant or GrantReply.
   */
  private readEndpoint(
    thread: PlanThread,
    t: Record<string, unknown>,
    path: JsonPath,
    key: string,
    what: string,
  ): PlanEndpoint | null {
    const { r } = this;
    const v = t[key];
    if (v === undefined) return null;
    const at = [...path, key];
    let ep: PlanEndpoint;
    if (typeof v === "string" && NAME.test(v)) {
      const cap = thread.caps.find((c) => c.symbol === v);
      if (!cap) {
        r.error(at, `"${v}" is not one of the caps in thread ${thread.name}'s CSpace root (${thread.cnode})`);
        return null;
      }
      ep = { cptr: cptrOf(thread, cap.slot), cap: cap.object === null ? null : cap };
    } else {
      const cptr = parseWord(v);
      if (cptr === null) {
        r.error(
          at,
          `"${key}" must be the symbol of a cap in the thread's CSpace, or a CPtr (a number, or a string such as "0x5")`,
        );
        return null;
      }
      ep = { cptr, cap: thread.caps.find((c) => c.object !== null && cptrOf(thread, c.slot) === cptr) ?? null };
    }
    if (this.config !== "mcs") return ep;
    const cap = ep.cap;
    const type = cap ? this.objects.get(cap.object!)?.type : undefined;
    if (!cap) {
      r.error(
        at,
        `on MCS the loader installs the ${what} endpoint cap itself, and ${JSON.stringify(v)} names no cap in ${thread.cnode}`,
      );
    } else if (type !== "Endpoint" || (cap.rights & 1) === 0 || (cap.rights & (4 | 8)) === 0) {
      r.error(
        at,
        `on MCS a ${what} endpoint must be an endpoint cap with Write and Grant or GrantReply (as seL4_TCB_SetSpace checks); ` +
          `"${cap.symbol ?? cap.object}" is ${type === "Endpoint" ? "an endpoint cap without them" : `a ${type} cap`}`,
      );
    }
    return ep;
  }
}

/** Validates a spec on every configuration a tutorial supports (the first error set wins). */
export function checkSystemSpec(file: string, configs: readonly KernelConfig[]): void {
  for (const c of configs) loadSystemSpec(file, c);
}
