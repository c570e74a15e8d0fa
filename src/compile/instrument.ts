// Instrumentation of learner code, run as a `before` transformer when the build emits JS.
//
// It adds three things a user thread needs to behave like code on a real CPU:
//  * a synthetic instruction pointer per statement (`$sel4$.ip = N;`), with a table N -> source
//    position registered at the top of the module, so fault IPs map back to the .ts source;
//  * preemption points at loop back-edges and function entries
//    (`if (++$sel4$.n >= $sel4$.lim) $sel4$.preempt();`), so `while (true) {}` is preempted
//    by the timer like on hardware;
//  * the call-site facts the C logging macros print (ZF_LOGF, ZF_LOGF_IF, ZF_LOGF_IFERR, assert): the
//    condition's source text, the enclosing function, the file and the line;
//  * an address for each top-level function (`$sel4$.fn(addr, f)`), so a thread created at run
//    time can be started at a function, as C code passes a function pointer.
//
// The `typescript` module is a parameter so that it is only loaded when building.
import type * as TS from "typescript";
import { basename, relative } from "node:path";
import { RUNTIME_NAME, encodeIpMap, ipBaseFor, ipOfStatement, type IpMapData } from "../machine/ipmap.js";

export interface InstrumentOptions {
  /** File names in ip maps are relative to this directory (default: the file's base name). */
  rootDir?: string;
  /** Overrides the address range of a file (default: a hash of its display name). */
  ipBase?: (fileName: string) => number;
  /** Called with each file's ip table, e.g. to write it next to the emitted JS as well. */
  onIpMap?: (fileName: string, map: IpMapData) => void;
}

/** The sel4 exports whose calls get their call site passed as `this` (see libsel4/zf-log.ts). */
const CALL_SITE_FUNCTIONS = new Set(["ZF_LOGF", "ZF_LOGF_IF", "ZF_LOGF_IFERR", "assert"]);

export function createInstrumenter(
  ts: typeof TS,
  options: InstrumentOptions = {},
): TS.TransformerFactory<TS.SourceFile> {
  return (context) => (sourceFile) => new FileInstrumenter(ts, context, sourceFile, options).run();
}

class FileInstrumenter {
  private readonly f: TS.NodeFactory;
  private readonly positions: number[] = [];
  private readonly base: number;
  private readonly displayName: string;
  private readonly callSiteNames = new Set<string>();
  private readonly sel4Namespaces = new Set<string>();

  constructor(
    private readonly ts: typeof TS,
    private readonly context: TS.TransformationContext,
    private readonly sf: TS.SourceFile,
    private readonly options: InstrumentOptions,
  ) {
    this.f = context.factory;
    this.displayName = options.rootDir
      ? relative(options.rootDir, sf.fileName).split("\\").join("/")
      : basename(sf.fileName);
    this.base = options.ipBase ? options.ipBase(sf.fileName) : ipBaseFor(this.displayName);
    this.collectSel4Imports();
  }

  run(): TS.SourceFile {
    const { prologue, body } = this.splitPrologue(this.sf.statements);
    const functions = this.functionAddresses(body);
    const statements = this.instrumentStatements(body);
    const map: IpMapData = { base: this.base, file: this.displayName, positions: this.positions };
    this.options.onIpMap?.(this.sf.fileName, map);
    const register = this.runtimeCall("ipmap", [this.f.createStringLiteral(encodeIpMap(map))]);
    return this.f.updateSourceFile(this.sf, [...prologue, register, ...functions, ...statements]);
  }

  /** `$sel4$.fn(address, f)` for each named top-level function (declarations are hoisted). */
  private functionAddresses(statements: readonly TS.Statement[]): TS.Statement[] {
    const ts = this.ts;
    return statements.flatMap((s) => {
      if (!ts.isFunctionDeclaration(s) || !s.name || !s.body) return [];
      const address = this.f.createNumericLiteral(this.reserveAddress(s));
      return [this.runtimeCall("fn", [address, this.f.createIdentifier(s.name.text)])];
    });
  }

  private runtimeCall(method: string, args: TS.Expression[]): TS.Statement {
    return this.f.createExpressionStatement(this.f.createCallExpression(this.runtimeMember(method), undefined, args));
  }

  private collectSel4Imports(): void {
    const ts = this.ts;
    for (const s of this.sf.statements) {
      if (!ts.isImportDeclaration(s) || !ts.isStringLiteral(s.moduleSpecifier)) continue;
      if (s.moduleSpecifier.text !== "sel4") continue;
      const bindings = s.importClause?.namedBindings;
      if (!bindings) continue;
      if (ts.isNamespaceImport(bindings)) {
        this.sel4Namespaces.add(bindings.name.text);
        continue;
      }
      for (const el of bindings.elements) {
        const imported = (el.propertyName ?? el.name).text;
        if (CALL_SITE_FUNCTIONS.has(imported)) this.callSiteNames.add(el.name.text);
      }
    }
  }

  private readonly visit = (node: TS.Node): TS.VisitResult<TS.Node> => {
    const ts = this.ts;
    if (ts.isBlock(node)) return this.visitBlock(node);
    if (ts.isCaseClause(node)) {
      return this.f.updateCaseClause(
        node,
        ts.visitNode(node.expression, this.visit, ts.isExpression)!,
        this.instrumentStatements(node.statements),
      );
    }
    if (ts.isDefaultClause(node)) {
      return this.f.updateDefaultClause(node, this.instrumentStatements(node.statements));
    }
    if (ts.isModuleBlock(node)) return this.f.updateModuleBlock(node, this.instrumentStatements(node.statements));
    if (ts.isIterationStatement(node, false)) return this.visitLoop(node);
    if (ts.isIfStatement(node)) {
      return this.f.updateIfStatement(
        node,
        ts.visitNode(node.expression, this.visit, ts.isExpression)!,
        this.asBlock(node.thenStatement, false),
        node.elseStatement && this.asBlock(node.elseStatement, false),
      );
    }
    if (ts.isArrowFunction(node) && !ts.isBlock(node.body)) return this.visitExpressionArrow(node);
    if (ts.isCallExpression(node) && this.isCallSiteFunction(node.expression)) return this.visitCallSite(node);
    return ts.visitEachChild(node, this.visit, this.context);
  };

  private visitBlock(block: TS.Block): TS.Block {
    const ts = this.ts;
    const parent = block.parent as TS.Node | undefined;
    const isFunctionBody =
      !!parent && ts.isFunctionLike(parent) && (parent as TS.FunctionLikeDeclaration).body === block;
    if (!isFunctionBody) return this.f.updateBlock(block, this.instrumentStatements(block.statements));
    const { prologue, body } = this.splitPrologue(block.statements);
    // A derived constructor's super() call stays first, with the entry point right after it.
    const superCall =
      ts.isConstructorDeclaration(parent) && body[0] && isSuperCallStatement(ts, body[0]) ? [body[0]] : [];
    const rest = body.slice(superCall.length);
    return this.f.updateBlock(block, [
      ...prologue,
      ...superCall.map((s) => ts.visitNode(s, this.visit, ts.isStatement)!),
      this.preemptionPoint(),
      ...this.instrumentStatements(rest),
    ]);
  }

  private visitLoop(loop: TS.IterationStatement): TS.Node {
    const ts = this.ts;
    const body = loop.statement;
    return ts.visitEachChild(
      loop,
      (child) => (child === body ? this.asBlock(body, true) : this.visit(child)),
      this.context,
    );
  }

  /** `x => expr` becomes `x => (preemption point, expr)`. */
  private visitExpressionArrow(fn: TS.ArrowFunction): TS.Node {
    const ts = this.ts;
    const visited = ts.visitEachChild(fn, this.visit, this.context);
    const body = this.f.createParenthesizedExpression(
      this.f.createComma(this.preemptionCheck(), visited.body as TS.Expression),
    );
    return this.f.updateArrowFunction(
      visited,
      visited.modifiers,
      visited.typeParameters,
      visited.parameters,
      visited.type,
      visited.equalsGreaterThanToken,
      body,
    );
  }

  /** `ZF_LOGF_IF(c, fmt, ...)` becomes `ZF_LOGF_IF.call({cond, func, file, line}, c, fmt, ...)`. */
  private visitCallSite(call: TS.CallExpression): TS.Node {
    const ts = this.ts;
    const f = this.f;
    const visited = ts.visitEachChild(call, this.visit, this.context);
    const first = call.arguments[0];
    const line = this.sf.getLineAndCharacterOfPosition(call.getStart(this.sf)).line + 1;
    const site = f.createObjectLiteralExpression([
      f.createPropertyAssignment("cond", f.createStringLiteral(first ? first.getText(this.sf) : "")),
      f.createPropertyAssignment("func", f.createStringLiteral(enclosingFunctionName(ts, call))),
      f.createPropertyAssignment("file", f.createStringLiteral(basename(this.sf.fileName))),
      f.createPropertyAssignment("line", f.createNumericLiteral(line)),
    ]);
    // The callee node is kept as it is so the module transform still rewrites the import binding.
    return f.createCallExpression(f.createPropertyAccessExpression(visited.expression, "call"), undefined, [
      site,
      ...visited.arguments,
    ]);
  }

  private isCallSiteFunction(callee: TS.Expression): boolean {
    const ts = this.ts;
    if (ts.isIdentifier(callee)) return this.callSiteNames.has(callee.text);
    return (
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      this.sel4Namespaces.has(callee.expression.text) &&
      CALL_SITE_FUNCTIONS.has(callee.name.text)
    );
  }

  /** A loop body or if-branch as a block, so it can carry its own statement address. */
  private asBlock(statement: TS.Statement, loopBody: boolean): TS.Block {
    const ts = this.ts;
    const head = loopBody ? [this.preemptionPoint()] : [];
    if (ts.isBlock(statement)) {
      return this.f.updateBlock(statement, [...head, ...this.instrumentStatements(statement.statements)]);
    }
    return this.f.createBlock([...head, ...this.instrumentStatements([statement])], true);
  }

  private instrumentStatements(statements: readonly TS.Statement[]): TS.Statement[] {
    const ts = this.ts;
    const out: TS.Statement[] = [];
    for (const s of statements) {
      if (this.executes(s) && this.mayTrap(s)) out.push(this.ipStatement(s));
      const visited = ts.visitNode(s, this.visit);
      if (visited) out.push(visited as TS.Statement);
    }
    return out;
  }

  /** Statements that run code (declarations and types only bind or vanish). */
  private executes(s: TS.Statement): boolean {
    const ts = this.ts;
    if (
      ts.isFunctionDeclaration(s) ||
      ts.isClassDeclaration(s) ||
      ts.isInterfaceDeclaration(s) ||
      ts.isTypeAliasDeclaration(s) ||
      ts.isImportDeclaration(s) ||
      ts.isImportEqualsDeclaration(s) ||
      ts.isExportDeclaration(s) ||
      ts.isModuleDeclaration(s) ||
      ts.isEmptyStatement(s) ||
      isSuperCallStatement(ts, s)
    ) {
      return false;
    }
    const modifiers = ts.canHaveModifiers(s) ? ts.getModifiers(s) : undefined;
    return !modifiers?.some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
  }

  /** The next statement address, recorded in the ip map with the node's position. */
  private reserveAddress(node: TS.Node): number {
    const { line, character } = this.sf.getLineAndCharacterOfPosition(node.getStart(this.sf));
    const index = this.positions.length / 2;
    this.positions.push(line + 1, character + 1);
    return ipOfStatement(this.base, index);
  }

  /**
   * Whether the statement itself (not the blocks and functions inside it, which carry their own
   * addresses) can enter the kernel or throw: only then is its address worth a store. Plain
   * arithmetic in a hot loop stays free of them.
   */
  private mayTrap(s: TS.Statement): boolean {
    const ts = this.ts;
    const visit = (n: TS.Node): boolean => {
      if (ts.isCallExpression(n) || ts.isNewExpression(n) || ts.isThrowStatement(n) || ts.isTaggedTemplateExpression(n))
        return true;
      if (n !== s && (ts.isFunctionLike(n) || ts.isBlock(n) || ts.isClassLike(n))) return false;
      return ts.forEachChild(n, visit) ?? false;
    };
    return visit(s);
  }

  private ipStatement(s: TS.Statement): TS.Statement {
    return this.f.createExpressionStatement(
      this.f.createAssignment(this.runtimeMember("ip"), this.f.createNumericLiteral(this.reserveAddress(s))),
    );
  }

  /** `++$sel4$.n >= $sel4$.lim && $sel4$.preempt()`: one increment and compare when no trap is due. */
  private preemptionCheck(): TS.Expression {
    const f = this.f;
    const ts = this.ts;
    return f.createLogicalAnd(
      f.createBinaryExpression(
        f.createPrefixIncrement(this.runtimeMember("n")),
        ts.SyntaxKind.GreaterThanEqualsToken,
        this.runtimeMember("lim"),
      ),
      f.createCallExpression(this.runtimeMember("preempt"), undefined, []),
    );
  }

  private preemptionPoint(): TS.Statement {
    return this.f.createExpressionStatement(this.preemptionCheck());
  }

  private runtimeMember(name: string): TS.PropertyAccessExpression {
    return this.f.createPropertyAccessExpression(this.f.createIdentifier(RUNTIME_NAME), name);
  }

  private splitPrologue(statements: readonly TS.Statement[]): { prologue: TS.Statement[]; body: TS.Statement[] } {
    const ts = this.ts;
    let i = 0;
    while (i < statements.length) {
      const s = statements[i]!;
      if (!ts.isExpressionStatement(s) || !ts.isStringLiteral(s.expression)) break;
      i++;
    }
    return { prologue: statements.slice(0, i), body: statements.slice(i) };
  }
}

function isSuperCallStatement(ts: typeof TS, s: TS.Statement): boolean {
  return (
    ts.isExpressionStatement(s) &&
    ts.isCallExpression(s.expression) &&
    s.expression.expression.kind === ts.SyntaxKind.SuperKeyword
  );
}

/** What C's __func__ would say at this call. */
function enclosingFunctionName(ts: typeof TS, node: TS.Node): string {
  for (let n: TS.Node | undefined = node.parent; n; n = n.parent) {
    if (ts.isConstructorDeclaration(n)) return "constructor";
    if (!ts.isFunctionLike(n)) continue;
    const named = n as TS.FunctionLikeDeclaration;
    if (named.name && (ts.isIdentifier(named.name) || ts.isPrivateIdentifier(named.name))) return named.name.text;
    const holder = n.parent;
    if (
      holder &&
      (ts.isVariableDeclaration(holder) || ts.isPropertyAssignment(holder) || ts.isPropertyDeclaration(holder))
    ) {
      if (ts.isIdentifier(holder.name)) return holder.name.text;
    }
    return "<anonymous>";
  }
  return "<module>";
}
