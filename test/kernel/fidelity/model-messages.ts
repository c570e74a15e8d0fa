// Every userError message the kernel model can print, read from its source with the TypeScript
// compiler: the message argument of each userError(ks, fn, message), syscallError(error, message)
// and new SyscallErrorThrow(error, message, fn), followed back through the functions that pass a
// message parameter on (wrappers), through constants and tables of strings, and through arrow
// functions handed in as message builders. Values only known at run time (numbers, CPtrs) become
// holes. An expression this reader cannot follow is reported, not skipped, so that a new way of
// building a message makes the audit fail until it is taught that way too.
import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import ts from "typescript";

/** A hole: a value printed at run time (printf's %d, %lu, %lx, %p, %s ...). */
export const HOLE = "\u0000";

export interface ModelMessage {
  /** The message with HOLE where a run-time value goes. */
  text: string;
  /** Where the message text is written (file:line). */
  at: string;
}

/** A piece of a message: literal text, a run-time hole, or a parameter of the wrapper being followed. */
type Piece = string | { param: number; call: boolean };
type Template = Piece[];

/** The functions whose argument at this index is printed as a userError message. */
const SINKS = new Map<string, number>([
  ["userError", 2],
  ["syscallError", 1],
  ["SyscallErrorThrow", 1],
]);

interface FunctionInfo {
  name: string;
  node: ts.SignatureDeclaration;
  file: ts.SourceFile;
}

export function modelMessages(root: string): { messages: ModelMessage[]; unresolved: string[] } {
  const files = listTs(root).map((f) => ts.createSourceFile(f, readFileSync(f, "utf8"), ts.ScriptTarget.ES2022, true));
  const functions = new Map<string, FunctionInfo[]>();
  for (const file of files) collectFunctions(file, functions);
  const messages: ModelMessage[] = [];
  const unresolved: string[] = [];
  const where = (node: ts.Node) => {
    const sf = node.getSourceFile();
    return `${relative(root, sf.fileName)}:${sf.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  };

  /** Wrappers already followed, by name, parameter and frame. */
  const seenWrappers = new Set<string>();
  const queue: { name: string; index: number; frame: Template | null; frameAt: string; only: ts.SourceFile | null }[] =
    [...SINKS].map(([name, index]) => ({ name, index, frame: null, frameAt: "", only: null }));

  while (queue.length > 0) {
    const { name, index, frame, frameAt, only } = queue.shift()!;
    for (const file of only === null ? files : [only]) {
      visitCalls(file, name, (call, args) => {
        const arg = args[index];
        const fn = enclosingFunction(call);
        let templates: Template[] | null;
        if (arg === undefined) {
          const param = calleeParam(functions, name, index);
          templates = param?.initializer ? evaluate(param.initializer, null) : [[""]];
        } else {
          templates = evaluate(arg, fn);
        }
        if (templates === null && frame !== null && !(frame.length === 1 && typeof frame[0] !== "string")) {
          templates = [[HOLE]]; // a run-time value (a number, a CPtr) printed inside the wrapper's text
        }
        if (templates === null) {
          if (!isRethrow(arg!)) unresolved.push(`${where(call)}: ${arg!.getText()}`);
          return;
        }
        for (const t of templates) {
          const full = frame === null ? t : substitute(frame, t);
          const params = full.filter((p): p is { param: number; call: boolean } => typeof p !== "string");
          if (params.length > 0) {
            // The message comes from this function's caller: follow its calls.
            const wrapper = fn === null ? undefined : functionName(fn);
            const key = `${wrapper}#${params[0]!.param}#${full.map((p) => (typeof p === "string" ? p : "$")).join("")}`;
            if (wrapper === undefined) {
              // An arrow handed to a function as a message callback: follow the calls of that parameter.
              const found = fn === null ? null : callbackMessages(fn, params[0]!.param);
              if (found === null) unresolved.push(`${where(call)}: message from an unnamed function`);
              else
                for (const m of found)
                  messages.push({ text: substitute(full, m.template).join(""), at: `${m.at} via ${where(call)}` });
              continue;
            }
            if (SINKS.has(wrapper) || seenWrappers.has(key)) continue; // syscallError is itself a sink
            seenWrappers.add(key);
            // A module's own helper is called only from its file; an exported one from anywhere.
            queue.push({
              name: wrapper,
              index: params[0]!.param,
              frame: full,
              frameAt: where(call),
              only: isExported(fn!) ? null : fn!.getSourceFile(),
            });
          } else {
            const text = full.join("");
            if (text !== "")
              messages.push({ text, at: frame === null ? where(call) : `${where(call)} via ${frameAt}` });
          }
        }
      });
    }
  }
  return { messages, unresolved };

  /**
   * `f(..., (message) => userError(..., message), ...)`: the messages f (and the functions it hands
   * the callback on to) pass to that parameter, or null where the callback goes somewhere unknown.
   */
  function callbackMessages(
    arrow: ts.SignatureDeclaration,
    index: number,
  ): { template: Template; at: string }[] | null {
    void index;
    const call = arrow.parent;
    if (!call || !ts.isCallExpression(call) || !ts.isIdentifier(call.expression)) return null;
    const k = call.arguments.indexOf(arrow as unknown as ts.Expression);
    const found: { template: Template; at: string }[] = [];
    const follow = (fnName: string, k: number, depth: number): boolean => {
      const decl = functions.get(fnName)?.[0]?.node;
      const param = decl?.parameters[k];
      if (!decl || !param || !ts.isIdentifier(param.name) || depth > 4) return false;
      const name = param.name.text;
      let ok = true;
      const visit = (n: ts.Node) => {
        if (ts.isCallExpression(n) && ts.isIdentifier(n.expression)) {
          if (n.expression.text === name && n.arguments[0]) {
            const t = evaluate(n.arguments[0], null);
            if (t === null) ok = false;
            else for (const x of t) found.push({ template: x, at: where(n) });
          }
          n.arguments.forEach((a, j) => {
            if (ts.isIdentifier(a) && a.text === name && ts.isIdentifier(n.expression))
              ok = follow(n.expression.text, j, depth + 1) && ok;
          });
        }
        ts.forEachChild(n, visit);
      };
      visit(decl);
      return ok;
    };
    return follow(call.expression.text, k, 0) ? found : null;
  }

  /**
   * The texts an expression can have. Identifiers that are parameters of `fn` stay parameters
   * (the message is built by the caller); anything else that is not text becomes a hole inside a
   * template, and makes the whole message unresolved when it is the message itself (null).
   */
  function evaluate(e: ts.Expression, fn: ts.SignatureDeclaration | null): Template[] | null {
    e = unwrap(e);
    if (ts.isStringLiteral(e) || ts.isNoSubstitutionTemplateLiteral(e)) return [[e.text]];
    if (ts.isTemplateExpression(e)) {
      let acc: Template[] = [[e.head.text]];
      for (const span of e.templateSpans) {
        const part = evaluate(span.expression, fn) ?? [[HOLE]];
        acc = product(product(acc, part), [[span.literal.text]]);
      }
      return acc;
    }
    if (ts.isConditionalExpression(e)) return union(evaluate(e.whenTrue, fn), evaluate(e.whenFalse, fn));
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) {
      return union(evaluate(e.left, fn), evaluate(e.right, fn));
    }
    if (ts.isBinaryExpression(e) && e.operatorToken.kind === ts.SyntaxKind.PlusToken) {
      const l = evaluate(e.left, fn),
        r = evaluate(e.right, fn);
      return l === null || r === null ? null : product(l, r);
    }
    if (ts.isIdentifier(e) && e.text === "undefined") return [[""]]; // no message
    if (ts.isIdentifier(e)) {
      const p = fn?.parameters.findIndex((q) => ts.isIdentifier(q.name) && q.name.text === e.text) ?? -1;
      if (p >= 0) return [[{ param: p, call: false }]];
      const init = constInitializer(e);
      return init === null ? null : evaluate(init, null);
    }
    if (ts.isCallExpression(e) && ts.isIdentifier(e.expression)) {
      const callee = e.expression.text;
      const p = fn?.parameters.findIndex((q) => ts.isIdentifier(q.name) && q.name.text === callee) ?? -1;
      if (p >= 0) return [[{ param: p, call: true }]];
      return null;
    }
    if (ts.isArrowFunction(e) && !ts.isBlock(e.body)) return evaluate(e.body, null);
    if (ts.isPropertyAccessExpression(e)) return tableEntries(e.expression, e.name.text);
    if (ts.isElementAccessExpression(e)) return tableEntries(e.expression, null);
    return null;
  }

  /**
   * `text.name` where `text` is (an element of) a constant table of strings: every entry named
   * `name`; `TABLE[key]`: every entry (name null).
   */
  function tableEntries(table: ts.Expression, name: string | null): Template[] | null {
    let base: ts.Expression = unwrap(table);
    for (let i = 0; i < 4 && !ts.isObjectLiteralExpression(base); i++) {
      if (ts.isIdentifier(base)) {
        const init = constInitializer(base);
        if (init === null) return null;
        base = unwrap(init);
      } else if (ts.isElementAccessExpression(base)) {
        base = unwrap(base.expression);
      } else {
        return null;
      }
    }
    if (!ts.isObjectLiteralExpression(base)) return null;
    const found: Template[] = [];
    const visit = (o: ts.ObjectLiteralExpression) => {
      for (const prop of o.properties) {
        if (!ts.isPropertyAssignment(prop)) continue;
        const value = unwrap(prop.initializer);
        if (ts.isObjectLiteralExpression(value)) visit(value);
        else if (name === null || prop.name.getText() === name) found.push(...(evaluate(value, null) ?? []));
      }
    };
    visit(base);
    return found.length > 0 ? found : null;
  }
}

/** `catch (e) { ... e.message ... }`: a message already read at its first throw, passed on. */
function isRethrow(arg: ts.Expression): boolean {
  if (!ts.isPropertyAccessExpression(arg) || arg.name.text !== "message" || !ts.isIdentifier(arg.expression))
    return false;
  const name = arg.expression.text;
  for (let n: ts.Node | undefined = arg; n; n = n.parent) {
    if (ts.isCatchClause(n) && n.variableDeclaration && n.variableDeclaration.name.getText() === name) return true;
  }
  return false;
}

function substitute(frame: Template, value: Template): Template {
  const out: Template = [];
  for (const p of frame) {
    if (typeof p === "string") out.push(p);
    else out.push(...value);
  }
  return out;
}

function product(a: Template[], b: Template[]): Template[] {
  return a.flatMap((x) => b.map((y) => [...x, ...y]));
}

function union(a: Template[] | null, b: Template[] | null): Template[] | null {
  return a === null || b === null ? null : [...a, ...b];
}

function unwrap(e: ts.Expression): ts.Expression {
  while (
    ts.isParenthesizedExpression(e) ||
    ts.isAsExpression(e) ||
    ts.isSatisfiesExpression(e) ||
    ts.isNonNullExpression(e)
  ) {
    e = e.expression;
  }
  return e;
}

/** The initializer of the `const` an identifier names, found in its own file (nearest declaration). */
function constInitializer(id: ts.Identifier): ts.Expression | null {
  let found: ts.Expression | null = null;
  const visit = (n: ts.Node) => {
    if (
      ts.isVariableDeclaration(n) &&
      ts.isIdentifier(n.name) &&
      n.name.text === id.text &&
      n.initializer &&
      (n.parent.flags & ts.NodeFlags.Const) !== 0
    )
      found ??= n.initializer;
    ts.forEachChild(n, visit);
  };
  visit(id.getSourceFile());
  return found;
}

function enclosingFunction(n: ts.Node): ts.SignatureDeclaration | null {
  for (let p = n.parent; p; p = p.parent) {
    if (
      ts.isFunctionDeclaration(p) ||
      ts.isArrowFunction(p) ||
      ts.isFunctionExpression(p) ||
      ts.isMethodDeclaration(p) ||
      ts.isConstructorDeclaration(p)
    )
      return p;
  }
  return null;
}

/** A function's name: its declaration's, or that of the const it is assigned to. */
function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isMethodDeclaration(fn)) && fn.name) return fn.name.getText();
  if (ts.isConstructorDeclaration(fn) && ts.isClassDeclaration(fn.parent) && fn.parent.name) return fn.parent.name.text;
  const parent = fn.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return undefined;
}

function isExported(fn: ts.SignatureDeclaration): boolean {
  const exported = (n: ts.Node) =>
    ts.canHaveModifiers(n) && (ts.getModifiers(n) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
  if (ts.isFunctionDeclaration(fn)) return exported(fn);
  if (ts.isMethodDeclaration(fn) || ts.isConstructorDeclaration(fn)) return true;
  const statement = fn.parent?.parent?.parent; // arrow → VariableDeclaration → List → VariableStatement
  return statement !== undefined && exported(statement);
}

function collectFunctions(file: ts.SourceFile, into: Map<string, FunctionInfo[]>): void {
  const visit = (n: ts.Node) => {
    if (ts.isFunctionDeclaration(n) || ts.isArrowFunction(n) || ts.isFunctionExpression(n)) {
      const name = functionName(n);
      if (name !== undefined) into.set(name, [...(into.get(name) ?? []), { name, node: n, file }]);
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
}

function calleeParam(
  functions: Map<string, FunctionInfo[]>,
  name: string,
  index: number,
): ts.ParameterDeclaration | undefined {
  return functions.get(name)?.[0]?.node.parameters[index];
}

/** Calls `name(...)` and `new name(...)` in a file. */
function visitCalls(
  file: ts.SourceFile,
  name: string,
  f: (call: ts.Node, args: readonly ts.Expression[]) => void,
): void {
  const visit = (n: ts.Node) => {
    if (
      (ts.isCallExpression(n) || ts.isNewExpression(n)) &&
      ts.isIdentifier(n.expression) &&
      n.expression.text === name
    ) {
      f(n, n.arguments ?? []);
    }
    ts.forEachChild(n, visit);
  };
  visit(file);
}

function listTs(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? listTs(join(dir, d.name)) : d.name.endsWith(".ts") ? [join(dir, d.name)] : [],
  );
}
