// Host APIs a learner may reach for out of habit (console, process, timers, Node modules, fetch)
// do not exist in a seL4 thread. The compiler's stock advice for them ("include 'dom' in 'lib'",
// "npm i @types/node") would lead away from seL4, so the build says instead what a seL4 thread
// has for the job. The runtime refuses the same names (src/machine/sandbox.ts) for code that gets
// past the compiler.
import type * as TS from "typescript";

/** "Cannot find name": plain, with the compiler's suggested library, with its suggested @types package. */
const MISSING_NAME_CODES = new Set([2304, 2552, 2580, 2582, 2583, 2584, 2591, 2592, 2593]);
/** "Cannot find module", with and without the compiler's advice about module resolution. */
const MISSING_MODULE_CODES = new Set([2307, 2792]);

/** Why a seL4 thread lacks a host API, and what it has for the job. */
interface Advice {
  why: string;
  instead: string;
}

const PRINT =
  'print with printf from "sel4", as the C tutorials do: its text goes to the kernel\'s debug console in program order';
const MODULES =
  'import what you need from "sel4" or from the exercise\'s own files (import { ... } from "./util" for util.ts)';
const NO_EVENT_LOOP: Advice = {
  why: "a seL4 thread runs synchronously and never returns to an event loop, so a callback would never run",
  instead:
    "to wait for another thread, block in the kernel (seL4_Recv or seL4_Wait); to let other threads run, call seL4_Yield(); " +
    "Date.now() reads the simulated clock (milliseconds since boot)",
};
const NO_NETWORK: Advice = {
  why: "seL4 has no network in the kernel; on a real system a network stack is a user-level server",
  instead: "talk to other threads by IPC (seL4_Call, seL4_Send, seL4_Recv)",
};
const NO_LOADER: Advice = { why: "a seL4 thread has no module loader of its own", instead: MODULES };
const NO_FILES: Advice = { why: "a seL4 thread has no file system", instead: "put what you need in your code" };
const NO_PAGE: Advice = { why: "a seL4 thread is not a web page", instead: PRINT };

const NO_PROCESS = "a seL4 thread has no process (no exit, environment, command line or streams)";
const END_THREAD = "to end the thread, return from main(); to stop the whole system, call seL4_DebugHalt()";
const PROCESS_MEMBERS: Record<string, Advice> = {
  exit: { why: NO_PROCESS, instead: END_THREAD },
  env: { why: NO_PROCESS, instead: "put settings in your code" },
  argv: { why: NO_PROCESS, instead: "put settings in your code" },
  stdout: { why: NO_PROCESS, instead: PRINT },
  stderr: { why: NO_PROCESS, instead: PRINT },
  nextTick: NO_EVENT_LOOP,
};

/** Host globals a learner may reach for, by name. */
const HOST_GLOBALS: Record<string, Advice> = {
  console: { why: "a seL4 thread has no console object", instead: PRINT },
  process: { why: NO_PROCESS, instead: END_THREAD },
  require: NO_LOADER,
  module: NO_LOADER,
  exports: {
    why: "a seL4 thread has no module loader of its own",
    instead: "export what other files need with export, as in any TypeScript module",
  },
  __dirname: NO_FILES,
  __filename: NO_FILES,
  fetch: NO_NETWORK,
  XMLHttpRequest: NO_NETWORK,
  WebSocket: NO_NETWORK,
  crypto: {
    why: "a seL4 thread has no entropy source, so runs could not repeat",
    instead: "use Math.random(), which is seeded per thread, so every run draws the same numbers",
  },
  window: NO_PAGE,
  document: NO_PAGE,
};
for (const timer of [
  "setTimeout",
  "setInterval",
  "setImmediate",
  "queueMicrotask",
  "clearTimeout",
  "clearInterval",
  "clearImmediate",
]) {
  HOST_GLOBALS[timer] = NO_EVENT_LOOP;
}

/** What a Node module would be for, and what a seL4 thread does instead. */
function moduleAdvice(spec: string): Advice {
  const bare = spec.replace(/^node:/, "");
  if (["net", "http", "https", "http2", "dgram", "tls", "dns"].includes(bare))
    return { ...NO_NETWORK, instead: `${NO_NETWORK.instead}; ${MODULES}` };
  if (["fs", "fs/promises", "path", "os", "readline"].includes(bare)) {
    return {
      why: "a seL4 thread has no file system or operating system below it, only the capabilities the kernel gave it",
      instead: MODULES,
    };
  }
  if (["child_process", "worker_threads", "cluster"].includes(bare)) {
    return {
      why: "a seL4 thread cannot start processes; a new thread is a TCB made from untyped memory (seL4_Untyped_Retype) and set up with seL4_TCB_Configure",
      instead: MODULES,
    };
  }
  return { why: "only the sel4 module and the exercise's own files exist there", instead: MODULES };
}

function sentence(head: string, advice: Advice, suggestion = ""): string {
  return `${head}: ${advice.why}.${suggestion} Instead, ${advice.instead}.`;
}

function nodeAt<T extends TS.Node>(
  ts: typeof TS,
  sf: TS.SourceFile,
  pos: number,
  is: (n: TS.Node) => n is T,
): T | undefined {
  let found: T | undefined;
  const visit = (node: TS.Node): void => {
    if (pos < node.getStart(sf) || pos >= node.end) return;
    if (is(node)) found = node;
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** The compiler's spelling suggestion, kept in every message ("Did you mean 'x'?"). */
function suggestionOf(compilerMessage: string): string {
  const m = /Did you mean [^?]*\?/.exec(compilerMessage);
  return m ? ` ${m[0]}` : "";
}

function unavailableName(ts: typeof TS, sf: TS.SourceFile, pos: number, compilerMessage: string): string | null {
  const id = nodeAt(ts, sf, pos, ts.isIdentifier);
  if (!id) return null;
  const name = id.text;
  let advice = HOST_GLOBALS[name];
  if (advice === undefined) return null;
  const parent = id.parent;
  if (name === "process" && ts.isPropertyAccessExpression(parent) && parent.expression === id) {
    advice = PROCESS_MEMBERS[parent.name.text] ?? advice;
  }
  return sentence(`Cannot find name '${name}'`, advice, suggestionOf(compilerMessage));
}

function unavailableModule(ts: typeof TS, sf: TS.SourceFile, pos: number): string | null {
  const literal = nodeAt(ts, sf, pos, ts.isStringLiteral);
  if (!literal) return null;
  const spec = literal.text;
  // A relative import of a file that is not there is an ordinary mistake: the compiler's text says it.
  if (spec.startsWith(".") || spec === "sel4") return null;
  return sentence(`Cannot import '${spec}' in a seL4 thread`, moduleAdvice(spec));
}

/** The build's message for a compiler diagnostic about a host API, or null when it is about something else. */
export function hostApiMessage(ts: typeof TS, d: TS.Diagnostic, compilerMessage: string): string | null {
  if (!d.file || d.start === undefined) return null;
  if (MISSING_NAME_CODES.has(d.code)) return unavailableName(ts, d.file, d.start, compilerMessage);
  if (MISSING_MODULE_CODES.has(d.code)) return unavailableModule(ts, d.file, d.start);
  return null;
}
