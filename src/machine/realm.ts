// The realm learner code runs in: Hardened JavaScript (the `ses` package). lockdown() freezes
// every intrinsic of the worker's realm (Object.prototype, Array.prototype, Atomics, ...), so no
// thread can change what the machinery or another run relies on; each thread then gets a
// Compartment, a global object of its own that holds only what a seL4 thread has (sandbox.ts
// makes those globals). Code evaluated in a compartment reaches nothing else: no `process`, no
// host module, no Function constructor that would compile code in the worker's own scope.
/// <reference types="ses" />
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { requireWithCodeCache } from "./code-cache.js";

/**
 * ses as one CommonJS file (its dist/ses.cjs) through the V8 code cache: importing its ES modules
 * costs a worker about 40 ms, the cached file under 10 (docs/performance.md). Running it adds
 * lockdown, harden and Compartment to the worker's globals.
 */
function loadSes(): () => void {
  const require = createRequire(import.meta.url);
  const file = require.resolve("ses");
  const { version } = JSON.parse(readFileSync(join(dirname(file), "..", "package.json"), "utf8")) as {
    version: string;
  };
  return requireWithCodeCache(file, "ses", version).save;
}

/**
 * Each option is given explicitly (ses would otherwise take its defaults from LOCKDOWN_* variables
 * of the host's environment), and each is chosen for what sel4tut must keep:
 */
const LOCKDOWN_OPTIONS = {
  // Learner code reads `err.stack`, which stack.ts maps to its .ts file:line:column; "safe" would
  // leave it empty. Frames are filtered by stack.ts (learner frames only), not by ses.
  errorTaming: "unsafe",
  stackFiltering: "verbose",
  // The machinery's own uncaught errors end the worker as before (the machine reports them);
  // ses's handlers would print them to the worker's console instead.
  errorTrapping: "none",
  unhandledRejectionTrapping: "none",
  reporting: "none",
  // Prototype properties stay data properties: Node's inspect (console.log) names a Map "Map"
  // by reading its prototype's `constructor` as data, so the output stays what it was.
  overrideTaming: "min",
  // sandbox.ts fixes the locale (en-US) before lockdown; "safe" would turn toLocaleString() into
  // toString() and print 1234.5 where a C-locale host prints 1,234.5.
  localeTaming: "unsafe",
  // The worker's own console is the machinery's; threads get their own (sandbox.ts).
  consoleTaming: "unsafe",
  regExpTaming: "safe",
  domainTaming: "safe",
  evalTaming: "safe-eval",
  legacyRegeneratorRuntimeTaming: "safe",
  __hardenTaming__: "safe",
} as const;

let lockedDown = false;

/**
 * Freezes the worker's intrinsics; called once per worker, after the machinery has taken what it
 * needs of them and changed what it changes (sandbox.ts prepareIntrinsics), before any learner
 * code is evaluated.
 */
export function lockDownWorker(): void {
  if (lockedDown) return;
  const saveCodeCache = loadSes();
  lockdown(LOCKDOWN_OPTIONS);
  lockedDown = true;
  saveCodeCache(); // with the functions lockdown compiled
}

/** Frozen, with everything reachable from it (a thread's globals, so no thread can change them). */
export function hardened<T>(value: T): T {
  return harden(value);
}

/**
 * What ses puts in every compartment that is not a seL4 thread's: its own constructor and the
 * start compartment's lockdown and harden.
 */
const HOST_GLOBALS = ["Compartment", "lockdown", "harden"];

/** A fresh global object holding the intrinsics and `globals`, and nothing else. */
export function threadCompartment(globals: Record<string, unknown>): Compartment {
  const compartment = new Compartment({ globals, __options__: true });
  for (const name of HOST_GLOBALS) {
    if (!Reflect.deleteProperty(compartment.globalThis, name))
      throw new Error(`cannot remove ${name} from a thread's globals`);
  }
  return compartment;
}

/**
 * Makes the thread's global bindings constant (each data property of its global object
 * non-writable and non-configurable), before its first evaluation. ses then binds them as
 * constants around the evaluated code, so learner code reads `Math` or `Number` as a local
 * variable; a global it could reassign would be looked up through the compartment's `with`
 * scopes at every use (a lookup in the runtime instead of a variable read). Learner code can
 * still add globals of its own.
 */
export function constantGlobals(compartment: Compartment): void {
  const global = compartment.globalThis;
  for (const name of Object.getOwnPropertyNames(global)) {
    const desc = Object.getOwnPropertyDescriptor(global, name)!;
    if ("value" in desc && desc.configurable)
      Object.defineProperty(global, name, { value: desc.value, writable: false, configurable: false });
  }
}

/**
 * Evaluates a script in the compartment. Direct eval is refused by the build (src/compile/reach.ts)
 * and the thread's `eval` is a stand-in, so ses's textual test for one is not needed (it would
 * also refuse a string such as "eval(x)" that learner code prints).
 */
export function evaluateIn(compartment: Compartment, source: string): unknown {
  return compartment.evaluate(source, { __rejectSomeDirectEvalExpressions__: false });
}
