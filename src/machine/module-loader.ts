// Loads a thread's compiled learner code (CommonJS emitted by the build) inside its worker, in
// the thread's compartment (realm.ts), so its free names are the thread's globals and nothing of
// the worker's. `require("sel4")` gives this thread's libsel4 instance, relative specifiers give
// other compiled files of the build; nothing else is reachable, so a thread only sees seL4.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { RUNTIME_NAME } from "./ipmap.js";
import { evaluateIn } from "./realm.js";
import type { Runtime } from "./runtime.js";

interface LoadedModule {
  exports: unknown;
}

type ModuleFunction = (
  exports: unknown,
  require: (spec: string) => unknown,
  module: LoadedModule,
  runtime: Runtime,
) => void;

/**
 * The module wrapper, on the emitted file's first line so that its lines keep their numbers (only
 * line 1's columns move, by the wrapper's length: see `emittedPosition`). No __filename or
 * __dirname: they would show the host's paths.
 */
const WRAPPER_HEAD = `(function (exports, require, module, ${RUNTIME_NAME}) {`;

/** Where a frame of learner code is in the emitted file (1-based line and column). */
export interface EmittedPosition {
  file: string;
  line: number;
  column: number;
}

export class LearnerModules {
  private readonly compiled = new Map<string, ModuleFunction>();
  private readonly loaded = new Map<string, LoadedModule>();

  constructor(
    private readonly compartment: Compartment,
    private readonly sel4: unknown,
    private readonly runtime: Runtime,
    /** The build's output directory: relative imports never resolve outside it. */
    private readonly root: string,
  ) {}

  /**
   * The emitted file and position of a stack frame, when the frame is in a file this loader
   * compiled (learner code, as opposed to the machinery); null otherwise. A compartment
   * evaluates code as eval code named by its sourceURL, which is the emitted file's path.
   */
  emittedPosition = (site: NodeJS.CallSite): EmittedPosition | null => {
    const file = site.isEval() ? site.getScriptNameOrSourceURL() : null;
    const line = site.getLineNumber();
    const column = site.getColumnNumber();
    if (!file || line === null || column === null || !this.compiled.has(file)) return null;
    return { file, line, column: line === 1 ? Math.max(1, column - WRAPPER_HEAD.length) : column };
  };

  /** Reads and compiles a file without running it (the worker does this before its first turn). */
  compile(file: string, spec?: string): ModuleFunction {
    let fn = this.compiled.get(file);
    if (!fn) {
      // The build's output directory also holds its source maps, a package.json and its stamp:
      // only the JavaScript it emitted is the program.
      if (spec !== undefined && !file.endsWith(".js"))
        throw new Error(`Cannot import "${spec}": it is not one of your program's files`);
      const code = readFileSync(file, "utf8");
      fn = this.evaluate(file, code);
      this.compiled.set(file, fn);
    }
    return fn;
  }

  /**
   * The module's function, evaluated in the thread's compartment. ses refuses source text that
   * holds "<!--", "-->" or "import(" anywhere; the build spells them otherwise (evaluable.ts)
   * except where a literal must stay one, which the thread is told when it loads the file.
   */
  private evaluate(file: string, code: string): ModuleFunction {
    try {
      return evaluateIn(this.compartment, `${WRAPPER_HEAD}${code}\n})\n//# sourceURL=${file}\n`) as ModuleFunction;
    } catch (err) {
      const text = String(err instanceof Error ? err.message : err);
      const what = /SES_IMPORT_REJECTED/.test(text) ? '"import("' : '"<!--" or "-->"';
      const refusal = new Error(
        `this file cannot run in a seL4 thread: the text ${what} appears in a module name, a literal type or an enum member's name, where the build cannot spell it otherwise; write it differently`,
      );
      return () => {
        throw refusal;
      };
    }
  }

  require(file: string): unknown {
    const cached = this.loaded.get(file);
    if (cached) return cached.exports;
    const fn = this.compile(file);
    const module: LoadedModule = { exports: {} };
    this.loaded.set(file, module);
    fn.call(module.exports, module.exports, (spec) => this.requireFrom(file, spec), module, this.runtime);
    return module.exports;
  }

  private requireFrom(from: string, spec: string): unknown {
    if (spec === "sel4") return this.sel4;
    if (spec.startsWith("./") || spec.startsWith("../")) {
      const file = resolveRelative(this.root, from, spec);
      this.compile(file, spec);
      return this.require(file);
    }
    throw new Error(
      `Cannot import "${spec}" in a seL4 thread: only "sel4" and your own files (relative imports such as "./util") are available`,
    );
  }
}

function resolveRelative(root: string, from: string, spec: string): string {
  const base = resolve(dirname(from), spec);
  // Only the program's own compiled files: the message names neither the host path nor its content.
  if (!base.startsWith(root + sep)) throw new Error(`Cannot import "${spec}": it is outside your program's files`);
  const candidates = [base, `${base}.js`, base.replace(/\.ts$/, ".js"), resolve(base, "index.js")];
  for (const c of candidates) {
    if (existsSync(c) && statSync(c).isFile()) return c;
  }
  throw new Error(`Cannot find module "${spec}"`);
}
