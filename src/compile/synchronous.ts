// A seL4 thread runs synchronously: it never returns to an event loop, so an `await` (or anything
// an async function waits for) would never resume, and a promise's then/catch/finally callback
// would never run, silently. The build refuses them in learner code with a diagnostic at the
// keyword or method, as the compiler would report an error.
import type * as TS from "typescript";

/** Code of these diagnostics: not a TypeScript error number, so they print as sel4tut's own. */
export const SYNCHRONOUS_THREAD_CODE = 0;

const why = (verb: string) =>
  `a seL4 thread runs synchronously and never returns to an event loop, so it would never ${verb}. ` +
  "Call the seL4 functions directly: they return once the kernel has done the work (a thread that must wait blocks in seL4_Recv or seL4_Wait).";

const PROMISE_CALLBACKS = new Set(["then", "catch", "finally"]);

/** `p.then(...)` and friends on a value whose type is a promise (its name, as the checker prints it). */
function isPromiseCallback(ts: typeof TS, checker: TS.TypeChecker, node: TS.Node): node is TS.PropertyAccessExpression {
  if (!ts.isPropertyAccessExpression(node) || !PROMISE_CALLBACKS.has(node.name.text)) return false;
  if (!ts.isCallExpression(node.parent) || node.parent.expression !== node) return false;
  const symbol = checker.getTypeAtLocation(node.expression).getSymbol();
  return symbol !== undefined && (symbol.name === "Promise" || symbol.name === "PromiseLike");
}

export function synchronousDiagnostics(ts: typeof TS, sf: TS.SourceFile, checker: TS.TypeChecker): TS.Diagnostic[] {
  const out: TS.Diagnostic[] = [];
  /** An error at `length` characters from the start of `at` (the keyword or method name). */
  const report = (at: TS.Node, length: number, what: string, verb = "resume") =>
    out.push({
      category: ts.DiagnosticCategory.Error,
      code: SYNCHRONOUS_THREAD_CODE,
      file: sf,
      start: at.getStart(sf),
      length,
      messageText: `${what} cannot be used here: ${why(verb)}`,
    });
  const visit = (node: TS.Node): void => {
    if (ts.canHaveModifiers(node)) {
      const asyncKeyword = ts.getModifiers(node)?.find((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
      if (asyncKeyword) report(asyncKeyword, "async".length, "An async function");
    }
    // `await x` starts with its keyword; `for await (...)` has it after `for`.
    const awaitAt = ts.isAwaitExpression(node) ? node : ts.isForOfStatement(node) ? node.awaitModifier : undefined;
    if (awaitAt) report(awaitAt, "await".length, "await");
    if (isPromiseCallback(ts, checker, node)) {
      report(node.name, node.name.text.length, `A promise's ${node.name.text}() callback`, "run");
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
