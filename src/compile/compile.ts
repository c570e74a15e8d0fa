// Type-check learner TypeScript against one configuration's sel4 typings and emit CommonJS
// JavaScript with source maps, through the TypeScript compiler API. Only called when the
// build is out of date: `typescript` is loaded here, lazily.
import type * as TS from "typescript";
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import type { KernelConfig } from "../abi/constants.js";
import { blankForConfig, isUnusedImport } from "./blank.js";
import { toBuildDiagnostic, type BuildDiagnostic } from "./diagnostics.js";
import { reachDiagnostics } from "./reach.js";
import { synchronousDiagnostics } from "./synchronous.js";
import { evaluableText } from "./evaluable.js";
import { createInstrumenter } from "./instrument.js";
import { loadTypeScript, saveTypeScriptCache } from "./load-typescript.js";
import { holds } from "../tutorial/state-file.js";

export interface CompileInput {
  exerciseDir: string;
  config: KernelConfig;
  /** Learner files: name relative to the exercise directory -> text as the learner wrote it. */
  sources: ReadonlyMap<string, string>;
  /** Modules sel4tut generates (cspace_<thread>.ts), seen as if they sat in the exercise directory. */
  generated: ReadonlyMap<string, string>;
  typingsFile: string;
  outDir: string;
  /** Extra notes for diagnostics about particular names (say, a cap only the other configuration has). */
  extraNotes?: ReadonlyMap<string, string>;
}

export interface CompileOutput {
  ok: boolean;
  diagnostics: BuildDiagnostic[];
  written: string[];
}

function compilerOptions(ts: typeof TS, input: CompileInput): TS.CompilerOptions {
  return {
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.CommonJS,
    moduleResolution: ts.ModuleResolutionKind.Node10,
    lib: ["lib.es2022.d.ts"],
    types: [],
    strict: true,
    noFallthroughCasesInSwitch: true,
    // Emit happens only once the learner's diagnostics are empty (compileWith); the compiler's own
    // check would also count the ignored ones (UNUSED_IMPORT_CODES).
    noEmitOnError: false,
    sourceMap: true,
    inlineSources: true,
    // The emitted code is evaluated by ses, which refuses `-->` and `<!--` anywhere in it (see
    // evaluable.ts); comments are not needed to run it (the source map has the source).
    removeComments: true,
    rootDir: input.exerciseDir,
    outDir: input.outDir,
    paths: { sel4: [input.typingsFile] },
    skipLibCheck: true,
    forceConsistentCasingInFileNames: true,
    newLine: ts.NewLineKind.LineFeed,
  };
}

export async function compileExercise(input: CompileInput): Promise<CompileOutput> {
  try {
    const { output, writes } = compileWith(loadTypeScript(), input);
    // Side by side: on a busy disk each write waits on its own, not one after the other.
    await Promise.all(
      writes.map(async ({ file, data }) => {
        await mkdir(dirname(file), { recursive: true });
        await writeFile(file, data);
      }),
    );
    return output;
  } finally {
    saveTypeScriptCache();
  }
}

/**
 * "Module has no exported member": harmless for an import nothing uses (the emitted code drops
 * it), such as seL4_Reply in an MCS build of a task whose reply code is still to be written.
 */
const UNUSED_IMPORT_CODES = new Set([2305, 2724]);

/** Parsed library/typings files shared by every compile in this process (keyed by path and target). */
const sharedSourceFiles = new Map<string, TS.SourceFile>();

/**
 * The last program built for each configuration, with its output directory. `watch` builds the
 * same exercise after every save: the compiler reuses what did not change (the parsed and bound
 * files that read the same, module resolution). One per configuration, so a process that builds
 * many exercises (the tests) holds no more than two.
 */
const lastProgram = new Map<KernelConfig, { outDir: string; program: TS.Program }>();

/** A file the emit produced whose content changed. */
interface PendingWrite {
  file: string;
  data: string;
}

function compileWith(ts: typeof TS, input: CompileInput): { output: CompileOutput; writes: PendingWrite[] } {
  const options = compilerOptions(ts, input);
  const abs = (name: string) => resolve(input.exerciseDir, name);
  const original = new Map<string, string>();
  const seen = new Map<string, string>();
  for (const [name, text] of input.sources) {
    original.set(abs(name), text);
    seen.set(abs(name), blankForConfig(ts, abs(name), text, input.config));
  }
  const virtual = new Set<string>();
  for (const [name, text] of input.generated) {
    virtual.add(abs(name));
    seen.set(abs(name), text);
  }

  const last = lastProgram.get(input.config);
  const oldProgram = last?.outDir === input.outDir ? last.program : undefined;
  const host = ts.createCompilerHost(options, true);
  // As tsc does: skip JSDoc that cannot change a type error (in .ts and .d.ts files, all of it),
  // which is a third of the time spent parsing the default library.
  host.jsDocParsingMode = ts.JSDocParsingMode.ParseForTypeErrors;
  const baseGetSourceFile = host.getSourceFile.bind(host);
  const baseFileExists = host.fileExists.bind(host);
  const baseReadFile = host.readFile.bind(host);
  host.fileExists = (f) => seen.has(resolve(f)) || baseFileExists(f);
  host.readFile = (f) => seen.get(resolve(f)) ?? baseReadFile(f);
  host.getSourceFile = (f, lang, onError, create) => {
    const text = seen.get(resolve(f));
    if (text !== undefined) {
      const before = oldProgram?.getSourceFile(f);
      return before?.text === text ? before : ts.createSourceFile(f, text, lang, true);
    }
    // Library and typings files never change while a process runs: parse them once per process
    // (a check of both configurations, or the test matrix, builds many programs).
    const key = `${resolve(f)}\0${typeof lang === "object" ? lang.languageVersion : lang}`;
    let sf = sharedSourceFiles.get(key);
    if (sf === undefined) {
      sf = baseGetSourceFile(f, lang, onError, create);
      if (sf !== undefined) sharedSourceFiles.set(key, sf);
    }
    return sf;
  };
  const written: string[] = [];
  const writes: PendingWrite[] = [];
  host.writeFile = (f, data) => {
    // A rebuild after an edit emits every file again: only those whose output changed are written.
    if (!holds(f, data)) writes.push({ file: f, data });
    written.push(f);
  };

  const program = ts.createProgram({
    rootNames: [...seen.keys()],
    options,
    host,
    ...(oldProgram ? { oldProgram } : {}),
  });
  lastProgram.set(input.config, { outDir: input.outDir, program });
  const learnerFile = (sf: TS.SourceFile | undefined) => !!sf && original.has(resolve(sf.fileName));
  const raw = ts
    .getPreEmitDiagnostics(program)
    .filter((d) => !d.file || learnerFile(d.file) || virtual.has(resolve(d.file.fileName)))
    .filter(
      (d) =>
        !(UNUSED_IMPORT_CODES.has(d.code) && d.file && d.start !== undefined && isUnusedImport(ts, d.file, d.start)),
    );
  if (raw.length === 0) {
    const checker = program.getTypeChecker();
    for (const sf of program.getSourceFiles())
      if (learnerFile(sf)) raw.push(...synchronousDiagnostics(ts, sf, checker), ...reachDiagnostics(ts, sf));
  }
  const forLearner = (d: TS.Diagnostic) =>
    toBuildDiagnostic(ts, d, input.exerciseDir, (f) => original.get(resolve(f)), input.config, input.extraNotes);
  const diagnostics = raw.map(forLearner);
  if (diagnostics.length > 0) return { output: { ok: false, diagnostics, written }, writes };

  const instrument = createInstrumenter(ts, { rootDir: input.exerciseDir });
  const evaluable = evaluableText(ts);
  const learnerOnly: TS.TransformerFactory<TS.SourceFile> = (ctx) => {
    const inner = instrument(ctx);
    const rewrite = evaluable(ctx);
    return (sf) => (virtual.has(resolve(sf.fileName)) ? sf : rewrite(inner(sf)));
  };
  const result = program.emit(undefined, undefined, undefined, false, { before: [learnerOnly] });
  const emitDiagnostics = result.diagnostics.map(forLearner);
  // The exercise may sit below a package.json that says "type": "module"; the output is CommonJS.
  const marker = join(input.outDir, "package.json");
  if (!existsSync(marker)) host.writeFile(marker, '{ "type": "commonjs" }\n', false);
  const ok = emitDiagnostics.length === 0 && !result.emitSkipped;
  return { output: { ok, diagnostics: emitDiagnostics, written }, writes };
}
