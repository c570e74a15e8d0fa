// Test harness for the machine: compiles learner-style TypeScript with the real instrumentation,
// boots a small system through kernel.boot (one CSpace, VSpace and IPC buffer per thread, like
// capDL builds), and runs it on workers with runSystem.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import ts from "typescript";
import { createInstrumenter } from "../../src/build/instrument.js";
import { Kernel, type CNodeObj, type Config, type FrameObj, type KObject, type ObjectTypeName, type PagingObj,
  type SchedContextObj, type TCB } from "../../src/kernel/index.js";
import { sel4TypingsFile } from "../../src/build/typings.js";
import { runSystem, type RunResult } from "../../src/machine/run.js";

export const IPC_BUFFER_VADDR = 0x100000n;
const RADIX = 4;

/** Compiles `files` (name -> TS source) to CommonJS + source maps; throws on type errors. */
export function compileLearnerCode(files: Record<string, string>, config: Config): string {
  const root = mkdtempSync(join(tmpdir(), "sel4tut-machine-"));
  const src = join(root, "src");
  const out = join(root, "out");
  mkdirSync(src);
  const names = Object.entries(files).map(([name, text]) => {
    const path = join(src, name);
    writeFileSync(path, text);
    return path;
  });
  const options: ts.CompilerOptions = {
    module: ts.ModuleKind.CommonJS,
    target: ts.ScriptTarget.ES2022,
    strict: true,
    sourceMap: true,
    outDir: out,
    rootDir: src,
    types: [],
    lib: ["lib.es2022.d.ts"],
    baseUrl: src,
    paths: { sel4: [sel4TypingsFile(config)] },
  };
  const program = ts.createProgram(names, options);
  const errors = ts.getPreEmitDiagnostics(program);
  if (errors.length > 0) {
    throw new Error(ts.formatDiagnostics(errors, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => "\n" }));
  }
  program.emit(undefined, undefined, undefined, false, { before: [createInstrumenter(ts, { rootDir: src })] });
  return out;
}

export interface CapSpec {
  slot: number;
  object: string;
  rights?: number;
  badge?: number;
}

export interface ThreadDef {
  name: string;
  /** The thread's source; its file is `<name>.ts`. */
  source: string;
  priority?: number;
  caps?: CapSpec[];
  /** master: the fault-handler CPtr; MCS: the slot of `caps` whose cap is copied in as the fault EP. */
  faultEP?: number;
  /** MCS: budget/period in µs (default round robin 10 ms); `false` = passive (no SC). */
  sc?: { budgetUs: number; periodUs: number } | false;
}

export interface SystemDef {
  config: Config;
  objects?: Record<string, ObjectTypeName>;
  threads: ThreadDef[];
  /** Extra files the threads can import. */
  files?: Record<string, string>;
  simTimeLimitNs?: number;
  wallTimeLimitMs?: number;
  signal?: AbortSignal;
}

export interface Ran extends RunResult {
  output: string;
  /** Where the compiled threads are (for ip maps). */
  outDir: string;
}

export async function runLearnerSystem(def: SystemDef): Promise<Ran> {
  const files: Record<string, string> = { ...def.files };
  for (const t of def.threads) files[`${t.name}.ts`] = t.source;
  const out = compileLearnerCode(files, def.config);
  const chunks: string[] = [];
  const kernel = new Kernel({ config: def.config, memoryBytes: 16 << 20, onOutput: (s) => chunks.push(s) });
  const tcbs = boot(kernel, def);
  const result = await runSystem({
    kernel,
    threads: def.threads.map((t) => ({ tcb: tcbs.get(t.name)!, entry: join(out, `${t.name}.js`) })),
    simTimeLimitNs: def.simTimeLimitNs ?? 1e9,
    wallTimeLimitMs: def.wallTimeLimitMs ?? 30_000,
    displayRoot: join(out, ".."),
    ...(def.signal ? { signal: def.signal } : {}),
  });
  return { ...result, output: chunks.join(""), outDir: out };
}

function boot(kernel: Kernel, def: SystemDef): Map<string, TCB> {
  const b = kernel.boot;
  const objects = new Map<string, KObject>();
  for (const [name, type] of Object.entries(def.objects ?? {})) objects.set(name, b.createObject(type, { name }));
  const tcbs = new Map<string, TCB>();
  for (const t of def.threads) {
    const cnode = b.createObject("CNode", { name: `cnode_${t.name}`, sizeBits: RADIX }) as CNodeObj;
    const vspace = b.createObject("PML4", { name: `vspace_${t.name}` }) as PagingObj;
    const ipc = b.createObject("Frame4K", { name: `ipc_${t.name}` }) as FrameObj;
    const tcb = b.createObject("TCB", { name: `tcb_${t.name}` }) as TCB;
    objects.set(`cnode_${t.name}`, cnode);
    objects.set(`tcb_${t.name}`, tcb);
    b.mapFrame(vspace, ipc, IPC_BUFFER_VADDR, 3);
    const capOf = (c: CapSpec) => {
      const obj = objects.get(c.object);
      if (!obj) throw new Error(`unknown object ${c.object}`);
      return obj.kind === "CNode" ? b.cap(obj, { guardSize: 64 - RADIX }) : b.cap(obj, { rights: c.rights ?? 0xf, badge: c.badge ?? 0 });
    };
    for (const c of t.caps ?? []) b.insertCap(cnode, c.slot, capOf(c));
    let sc: SchedContextObj | undefined;
    if (def.config === "mcs" && t.sc !== false) {
      sc = b.createObject("SchedContext", { name: `sc_${t.name}`, sizeBits: 8 }) as SchedContextObj;
      b.configureSchedContext(sc, t.sc ?? { budgetUs: 10_000, periodUs: 10_000 });
    }
    const faultCap = t.caps?.find((c) => c.slot === t.faultEP);
    const faultEP = t.faultEP === undefined ? undefined : def.config === "mcs" ? capOf(faultCap!) : BigInt(t.faultEP);
    b.configureThread(tcb, {
      cspace: b.cap(cnode, { guardSize: 64 - RADIX }),
      vspace: b.cap(vspace),
      ipcBuffer: { frame: ipc, vaddr: IPC_BUFFER_VADDR },
      priority: t.priority ?? 254,
      mcp: t.priority ?? 254,
      ...(faultEP !== undefined ? { faultEP } : {}),
      ...(sc ? { sc } : {}),
    });
    tcbs.set(t.name, tcb);
  }
  for (const t of def.threads) b.resume(tcbs.get(t.name)!);
  return tcbs;
}
