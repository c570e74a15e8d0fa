// Loads a thread's compiled learner code (CommonJS emitted by the build) inside its worker.
// `require("sel4")` gives this thread's libsel4 instance, relative specifiers give other
// compiled files of the build; nothing else is reachable, so a thread only sees seL4.
import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { compileFunction } from "node:vm";
import { RUNTIME_NAME } from "./ipmap.js";
import type { Runtime } from "./runtime.js";

interface LoadedModule {
  exports: unknown;
}

type ModuleFunction = (
  exports: unknown,
  require: (spec: string) => unknown,
  module: LoadedModule,
  __filename: string,
  __dirname: string,
  runtime: Runtime,
) => void;

const WRAPPER_PARAMS = ["exports", "require", "module", "__filename", "__dirname", RUNTIME_NAME];

export class LearnerModules {
  private readonly compiled = new Map<string, ModuleFunction>();
  private readonly loaded = new Map<string, LoadedModule>();

  constructor(
    private readonly sel4: unknown,
    private readonly runtime: Runtime,
    /** The build's output directory: relative imports never resolve outside it. */
    private readonly root: string,
  ) {}

  /** True for files this loader has compiled (learner code, as opposed to the machinery). */
  isLearnerFile = (file: string): boolean => this.compiled.has(file);

  /** Reads and compiles a file without running it (the worker does this before its first turn). */
  compile(file: string): ModuleFunction {
    let fn = this.compiled.get(file);
    if (!fn) {
      const code = readFileSync(file, "utf8");
      fn = compileFunction(code, WRAPPER_PARAMS, { filename: file }) as unknown as ModuleFunction;
      this.compiled.set(file, fn);
    }
    return fn;
  }

  require(file: string): unknown {
    const cached = this.loaded.get(file);
    if (cached) return cached.exports;
    const fn = this.compile(file);
    const module: LoadedModule = { exports: {} };
    this.loaded.set(file, module);
    fn.call(
      module.exports,
      module.exports,
      (spec) => this.requireFrom(file, spec),
      module,
      file,
      dirname(file),
      this.runtime,
    );
    return module.exports;
  }

  private requireFrom(from: string, spec: string): unknown {
    if (spec === "sel4") return this.sel4;
    if (spec.startsWith("./") || spec.startsWith("../")) return this.require(resolveRelative(this.root, from, spec));
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
