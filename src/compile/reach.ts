// What learner code may name. The machine's per-thread runtime object (`$sel4$`, the instruction
// pointer and the preemption counter of instrument.ts) is a parameter of the module wrapper, so
// anything evaluated in the module's scope could reach it: its name, a direct eval, or the
// wrapper's `arguments` at the top level. A thread that changed it could switch its own
// preemption off or make the machine's accounting of virtual time meaningless. The build refuses
// all three at their place, as it refuses `import.meta` (the program is compiled to CommonJS and
// is not a module on the host). Reported even under // @ts-ignore: they are not type errors.
import type * as TS from "typescript";
import { RUNTIME_NAME } from "../machine/ipmap.js";
import { SYNCHRONOUS_THREAD_CODE } from "./synchronous.js";

const OURS = `it is sel4tut's own (the machine's bookkeeping of this thread), not part of a seL4 program`;

export function reachDiagnostics(ts: typeof TS, sf: TS.SourceFile): TS.Diagnostic[] {
  const out: TS.Diagnostic[] = [];
  const report = (at: TS.Node, messageText: string) =>
    out.push({
      category: ts.DiagnosticCategory.Error,
      code: SYNCHRONOUS_THREAD_CODE,
      file: sf,
      start: at.getStart(sf),
      length: at.getWidth(sf),
      messageText,
    });
  const visit = (node: TS.Node, inFunction: boolean): void => {
    if (ts.isIdentifier(node) && node.text === RUNTIME_NAME)
      report(node, `${RUNTIME_NAME} cannot be used here: ${OURS}`);
    else if (ts.isIdentifier(node) && node.text === "arguments" && !inFunction && isReference(ts, node)) {
      report(node, `arguments at the top level of a file cannot be used here: ${OURS}`);
    } else if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === "eval") {
      report(
        node.expression,
        "eval cannot be used here: it would run code the build never saw (and so never instrumented); write the code itself",
      );
    } else if (ts.isMetaProperty(node) && node.keywordToken === ts.SyntaxKind.ImportKeyword) {
      report(
        node,
        "import.meta cannot be used here: a seL4 thread's program is not a module on the host, so it has no URL, file name or directory",
      );
    }
    // An arrow function has no `arguments` of its own: it sees the enclosing one.
    const fn = ts.isFunctionLike(node) && !ts.isArrowFunction(node);
    ts.forEachChild(node, (child) => visit(child, inFunction || fn));
  };
  visit(sf, false);
  return out;
}

/** `arguments` used as a value, not as a property name (`x.arguments`, `{ arguments: 1 }`). */
function isReference(ts: typeof TS, id: TS.Identifier): boolean {
  const p = id.parent;
  if (ts.isPropertyAccessExpression(p) && p.name === id) return false;
  if ((ts.isPropertyAssignment(p) || ts.isPropertyDeclaration(p) || ts.isMethodDeclaration(p)) && p.name === id)
    return false;
  return true;
}
