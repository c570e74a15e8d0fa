// Test harness for the machine: compiles learner-style TypeScript with the real instrumentation,
// boots a small system (test/support/system.ts, with the capDL loader's code) and runs it on workers with runSystem.
import { mkdtempSync, mkdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type * as TS from "typescript";
import { loadTypeScript } from "../../src/compile/load-typescript.js";
import { createInstrumenter } from "../../src/compile/instrument.js";
import { Kernel } from "../../src/kernel/index.js";
import type { KernelConfig, ObjectTypeName } from "../../src/abi/constants.js";
import { sel4TypingsFile } from "../../src/compile/typings.js";
import { runSystem, type RunResult } from "../../src/machine/run.js";
import { bootTestbed, type ThreadSpec } from "../support/system.js";

/** The compiler the build uses (typed as its namespace, as src/compile takes it). */
const ts = loadTypeScript();

export { IPC_BUFFER_VADDR } from "../support/system.js";

/** Compiles `files` (name -> TS source) to CommonJS + source maps; throws on type errors. */
function compileLearnerCode(files: Record<string, string>, config: KernelConfig): string {
  const root = mkdtempSync(join(tmpdir(), "sel4tut-machine-"));
  const src = join(root, "src");
  const out = join(root, "out");
  mkdirSync(src);
  const names = Object.entries(files).map(([name, text]) => {
    const path = join(src, name);
    writeFileSync(path, text);
    return path;
  });
  const options: TS.CompilerOptions = {
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
    throw new Error(
      ts.formatDiagnostics(errors, {
        getCanonicalFileName: (f) => f,
        getCurrentDirectory: () => root,
        getNewLine: () => "\n",
      }),
    );
  }
  program.emit(undefined, undefined, undefined, false, { before: [createInstrumenter(ts, { rootDir: src })] });
  return out;
}

interface ThreadDef extends ThreadSpec {
  /** The thread's source; its file is `<name>.ts`. */
  source: string;
}

export interface SystemDef {
  config: KernelConfig;
  objects?: Record<string, ObjectTypeName>;
  threads: ThreadDef[];
  /** Extra files the threads can import. */
  files?: Record<string, string>;
  simTimeLimitNs?: number;
  wallTimeLimitMs?: number;
  signal?: AbortSignal;
  maxThreads?: number;
  wallClock?: () => number;
  /** Sees the output as it comes (the whole of it is in the result too). */
  onOutput?: (text: string) => void;
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
  const kernel = new Kernel({
    config: def.config,
    memoryBytes: 16 << 20,
    onOutput: (s) => {
      chunks.push(s);
      def.onOutput?.(s);
    },
  });
  const tcbs = bootTestbed(kernel, def.objects ?? {}, def.threads);
  const result = await runSystem({
    kernel,
    threads: def.threads.map((t) => ({ tcb: tcbs.get(t.name)!, entry: join(out, `${t.name}.js`) })),
    simTimeLimitNs: def.simTimeLimitNs ?? 1e9,
    wallTimeLimitMs: def.wallTimeLimitMs ?? 300_000,
    displayRoot: join(out, ".."),
    ...(def.signal ? { signal: def.signal } : {}),
    ...(def.maxThreads !== undefined ? { maxThreads: def.maxThreads } : {}),
    ...(def.wallClock ? { wallClock: def.wallClock } : {}),
  });
  return { ...result, output: chunks.join(""), outDir: out };
}
