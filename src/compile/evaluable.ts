// Emitted learner code is evaluated by ses (src/machine/realm.ts), which cannot parse JavaScript
// and so refuses any source whose text contains `<!--` or `-->` (HTML-like comments, which would
// hide code from its other checks) or `import` followed by `(` (a dynamic import would reach the
// host's module loader), wherever they are, strings included. The build emits no comments, and
// this transformer rewrites the literals that contain them into the same values spelt otherwise:
// a string is split into a concatenation, a template or regular expression escapes one character.
// `printf("client --> server")` prints what it did; only the emitted text differs.
import type * as TS from "typescript";

/** What ses refuses, found in a literal's text. */
const REFUSED = /<!--|-->|\bimport(?=\s*(?:\(|\/[/*]))/g;

/** Splits `text` where a refused sequence would otherwise be whole: "a-->b" -> ["a--", ">b"]. */
function splitRefused(text: string): string[] {
  const pieces: string[] = [];
  let from = 0;
  for (const m of text.matchAll(REFUSED)) {
    const cut = m.index + m[0].length - 1; // before its last character
    pieces.push(text.slice(from, cut));
    from = cut;
  }
  pieces.push(text.slice(from));
  return pieces;
}

/** The same characters, with one of each refused sequence as an escape (templates and regexps). */
function escapeRefused(raw: string): string {
  return raw.replace(REFUSED, (m) => (m === "<!--" ? "<\\x21--" : m === "-->" ? "--\\x3e" : "impor\\x74"));
}

const hasRefused = (text: string): boolean => text.search(REFUSED) >= 0;

export function evaluableText(ts: typeof TS): TS.TransformerFactory<TS.SourceFile> {
  return (context) => {
    const f = context.factory;
    const visit = (node: TS.Node): TS.Node => {
      if (ts.isStringLiteral(node) && hasRefused(node.text)) {
        const place = placeOf(ts, node);
        if (place === "literal") return node;
        const parts = splitRefused(node.text).map((p) => f.createStringLiteral(p));
        const sum = f.createParenthesizedExpression(
          parts.slice(1).reduce<TS.Expression>((a, b) => f.createAdd(a, b), parts[0]!),
        );
        return ts.setTextRange(place === "name" ? f.createComputedPropertyName(sum) : sum, node);
      }
      if (ts.isNoSubstitutionTemplateLiteral(node) && hasRefused(rawOf(ts, node)))
        return ts.setTextRange(f.createNoSubstitutionTemplateLiteral(node.text, escapeRefused(rawOf(ts, node))), node);
      if (ts.isTemplateExpression(node)) return templateExpression(ts, f, node, visit);
      if (ts.isRegularExpressionLiteral(node) && hasRefused(node.text))
        return ts.setTextRange(f.createRegularExpressionLiteral(escapeRefused(node.text)), node);
      return ts.visitEachChild(node, visit, context);
    };
    return (sf) => ts.visitEachChild(sf, visit, context);
  };
}

function templateExpression(
  ts: typeof TS,
  f: TS.NodeFactory,
  node: TS.TemplateExpression,
  visit: (n: TS.Node) => TS.Node,
): TS.Node {
  const head = hasRefused(rawOf(ts, node.head))
    ? f.createTemplateHead(node.head.text, escapeRefused(rawOf(ts, node.head)))
    : node.head;
  const spans = node.templateSpans.map((span) => {
    const expression = ts.visitNode(span.expression, visit, ts.isExpression)!;
    const lit = span.literal;
    if (!hasRefused(rawOf(ts, lit))) return f.updateTemplateSpan(span, expression, lit);
    const raw = escapeRefused(rawOf(ts, lit));
    const literal = ts.isTemplateTail(lit)
      ? f.createTemplateTail(lit.text, raw)
      : f.createTemplateMiddle(lit.text, raw);
    return f.updateTemplateSpan(span, expression, literal);
  });
  return f.updateTemplateExpression(node, head, spans);
}

/** A template part's text as written (with its escapes), or its value escaped for a synthesised one. */
function rawOf(ts: typeof TS, node: TS.TemplateLiteralLikeNode): string {
  if (node.rawText !== undefined) return node.rawText;
  return node.text.replace(/[`\\$]/g, (c) => `\\${c}`);
}

/**
 * Where a string literal is: a value (an expression, which becomes a concatenation), the name of
 * a property, method or destructured property (which becomes a computed name), or a place that
 * must stay a literal (a module specifier, a literal type, a directive, an enum member), which
 * the loader reports if it holds one of these sequences.
 */
function placeOf(ts: typeof TS, node: TS.StringLiteral): "value" | "name" | "literal" {
  const parent = node.parent as TS.Node | undefined;
  if (!parent) return "value"; // made by the instrumenter: an argument
  const named = parent as { name?: TS.Node; propertyName?: TS.Node };
  if (named.name === node)
    return ts.isPropertyAssignment(parent) ||
      ts.isPropertyDeclaration(parent) ||
      ts.isMethodDeclaration(parent) ||
      ts.isGetAccessorDeclaration(parent) ||
      ts.isSetAccessorDeclaration(parent)
      ? "name"
      : "literal";
  if (named.propertyName === node) return ts.isBindingElement(parent) ? "name" : "literal";
  const literal =
    ts.isImportDeclaration(parent) ||
    ts.isExportDeclaration(parent) ||
    ts.isExternalModuleReference(parent) ||
    ts.isLiteralTypeNode(parent) ||
    ts.isImportAttribute(parent) ||
    ts.isExpressionStatement(parent);
  return literal ? "literal" : "value";
}
