// C-style configuration branches for TypeScript. Before type-checking for one configuration,
//   if (CONFIG_KERNEL_MCS) { ... } else { ... }
// loses its dead branch (blanked to whitespace, so every line:column stays where it was) and
// its condition becomes a literal, so learner code for the other configuration is neither
// type-checked nor run. `CONFIG_KERNEL_MCS ? a : b` gets the same treatment: a literal condition
// and a dead branch that is no longer type-checked. Named imports used only in dead branches are blanked too: they are
// the names only the other configuration's sel4 module has (seL4_Reply on MCS, say). An import used nowhere stays, so
// the compiler can still offer it for a misspelt name ("Did you mean 'faulter_fault_ep_cap'?"); the build ignores
// the compiler's complaint that the configuration's module lacks such a name (isUnusedImport).
import type * as TS from "typescript";
import type { KernelConfig } from "../abi/constants.js";

const CONFIG_FLAG = "CONFIG_KERNEL_MCS";

type Edit = { start: number; end: number; replacement?: string };

function applyEdits(text: string, edits: Edit[]): string {
  const chars = text.split("");
  for (const e of edits) {
    for (let i = e.start; i < e.end; i++) if (chars[i] !== "\n" && chars[i] !== "\r") chars[i] = " ";
    if (e.replacement !== undefined) {
      for (let i = 0; i < e.replacement.length; i++) chars[e.start + i] = e.replacement[i]!;
    }
  }
  return chars.join("");
}

/** `CONFIG_KERNEL_MCS`, `!CONFIG_KERNEL_MCS`, possibly parenthesised: the flag and its polarity. */
function configCondition(ts: typeof TS, e: TS.Expression): { flag: TS.Identifier; positive: boolean } | null {
  while (ts.isParenthesizedExpression(e)) e = e.expression;
  if (ts.isIdentifier(e) && e.text === CONFIG_FLAG) return { flag: e, positive: true };
  if (ts.isPrefixUnaryExpression(e) && e.operator === ts.SyntaxKind.ExclamationToken) {
    const inner = configCondition(ts, e.operand);
    return inner && { flag: inner.flag, positive: !inner.positive };
  }
  return null;
}

function blankStatement(ts: typeof TS, s: TS.Statement, sf: TS.SourceFile): Edit {
  const start = s.getStart(sf);
  // Keep the braces of a block; any other statement becomes an empty block "{}" (an empty statement
  // ";" as the body of an if is an error, TS1313). A statement is at least two characters ("x;").
  if (ts.isBlock(s)) return { start: start + 1, end: s.end - 1 };
  return { start, end: s.end, replacement: s.end - start >= 2 ? "{}" : ";" };
}

/**
 * The dead branch of `CONFIG_KERNEL_MCS ? a : b` becomes `null!` (type never, so the expression
 * keeps the live branch's type) followed by blanks. A dead branch shorter than that stays as it
 * is: it is never evaluated, and anything that short (a name, a literal) type-checks in both.
 */
function deadExpressionEdit(sf: TS.SourceFile, dead: TS.Expression): Edit[] {
  const start = dead.getStart(sf);
  return dead.end - start < NEVER.length ? [] : [{ start, end: dead.end, replacement: NEVER }];
}
const NEVER = "null!";

function branchEdits(ts: typeof TS, sf: TS.SourceFile, config: KernelConfig): Edit[] {
  const edits: Edit[] = [];
  const visit = (node: TS.Node): void => {
    if (ts.isIfStatement(node)) {
      const cond = configCondition(ts, node.expression);
      if (cond) {
        const takeThen = cond.positive === (config === "mcs");
        const value = (config === "mcs").toString();
        edits.push({ start: cond.flag.getStart(sf), end: cond.flag.end, replacement: value });
        const live = takeThen ? node.thenStatement : node.elseStatement;
        const dead = takeThen ? node.elseStatement : node.thenStatement;
        if (dead) edits.push(blankStatement(ts, dead, sf));
        if (live) visit(live);
        return;
      }
    }
    if (ts.isConditionalExpression(node)) {
      const cond = configCondition(ts, node.condition);
      if (cond) {
        const takeTrue = cond.positive === (config === "mcs");
        edits.push({ start: cond.flag.getStart(sf), end: cond.flag.end, replacement: (config === "mcs").toString() });
        edits.push(...deadExpressionEdit(sf, takeTrue ? node.whenFalse : node.whenTrue));
        visit(takeTrue ? node.whenTrue : node.whenFalse);
        return;
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return edits;
}

function referencedNames(ts: typeof TS, sf: TS.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: TS.Node): void => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node)) names.add(node.text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}

function deadImportEdits(ts: typeof TS, sf: TS.SourceFile, usedBefore: ReadonlySet<string>): Edit[] {
  const used = referencedNames(ts, sf);
  const edits: Edit[] = [];
  for (const stmt of sf.statements) {
    if (!ts.isImportDeclaration(stmt)) continue;
    const bindings = stmt.importClause?.namedBindings;
    if (!bindings || !ts.isNamedImports(bindings)) continue;
    const text = sf.text;
    for (const spec of bindings.elements) {
      if (used.has(spec.name.text) || !usedBefore.has(spec.name.text)) continue;
      let end = spec.end;
      while (end < text.length && /[ \t]/.test(text[end]!)) end++;
      if (text[end] === ",") end++;
      edits.push({ start: spec.getStart(sf), end });
    }
  }
  return edits;
}

export function blankForConfig(ts: typeof TS, fileName: string, text: string, config: KernelConfig): string {
  const parse = (t: string) => ts.createSourceFile(fileName, t, ts.ScriptTarget.ES2022, true, ts.ScriptKind.TS);
  const original = parse(text);
  const branched = applyEdits(text, branchEdits(ts, original, config));
  return applyEdits(branched, deadImportEdits(ts, parse(branched), referencedNames(ts, original)));
}

/** Whether `pos` lies in a named import that nothing outside the imports refers to. */
export function isUnusedImport(ts: typeof TS, sf: TS.SourceFile, pos: number): boolean {
  const spec = sf.statements
    .filter(ts.isImportDeclaration)
    .flatMap((stmt) => {
      const bindings = stmt.importClause?.namedBindings;
      return bindings && ts.isNamedImports(bindings) ? [...bindings.elements] : [];
    })
    .find((s) => pos >= s.getStart(sf) && pos < s.end);
  return spec !== undefined && !referencedNames(ts, sf).has(spec.name.text);
}
