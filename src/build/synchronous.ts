// A seL4 thread runs synchronously: it never returns to an event loop, so an `await` (or anything
// an async function waits for) would never resume, silently. The build refuses `async` and
// `await` in learner code with a diagnostic at the keyword, as the compiler would report an error.
import type * as TS from "typescript";

/** Code of these diagnostics: not a TypeScript error number, so they print as sel4tut's own. */
export const SYNCHRONOUS_THREAD_CODE = 0;

const WHY = "a seL4 thread runs synchronously and never returns to an event loop, so it would never resume. " +
  "Call the seL4 functions directly: they return once the kernel has done the work (a thread that must wait blocks in seL4_Recv or seL4_Wait).";

export function synchronousDiagnostics(ts: typeof TS, sf: TS.SourceFile): TS.Diagnostic[] {
  const out: TS.Diagnostic[] = [];
  const report = (start: number, length: number, what: string) => out.push({
    category: ts.DiagnosticCategory.Error, code: SYNCHRONOUS_THREAD_CODE, file: sf, start, length,
    messageText: `${what} cannot be used here: ${WHY}`,
  });
  const visit = (node: TS.Node): void => {
    if (ts.canHaveModifiers(node)) {
      const asyncKeyword = ts.getModifiers(node)?.find((m) => m.kind === ts.SyntaxKind.AsyncKeyword);
      if (asyncKeyword) report(asyncKeyword.getStart(sf), asyncKeyword.end - asyncKeyword.getStart(sf), "An async function");
    }
    if (ts.isAwaitExpression(node) || (ts.isForOfStatement(node) && node.awaitModifier)) {
      report(node.getStart(sf), 5, "await");
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}
