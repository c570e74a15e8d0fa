// Reading tutorial.json / system.json so that errors can name the file, the line, the column and
// the offending entry: jsonc-parser (the parser behind VS Code's JSON support) gives every value's
// offset, and this module keeps them by JSON path. The files are strict JSON (no comments, no
// trailing commas), so what the loader accepts is what any JSON tool and the JSON Schemas accept.
import { createScanner, parseTree, ParseErrorCode, SyntaxKind, type Node, type ParseError } from "jsonc-parser";

export type JsonPath = (string | number)[];

export interface JsonDocument {
  file: string;
  text: string;
  value: unknown;
  /** Offset of the value at a path (joined with formatPath), as written in the file. */
  offsets: Map<string, number>;
}

/**
 * How deep objects and arrays may nest. The formats need 6 levels; the bound keeps a hostile or
 * broken file (100,000 open brackets) from overflowing the stack of any recursive reader.
 */
export const MAX_JSON_DEPTH = 64;

export class SourceError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    readonly where: string,
    readonly detail: string,
  ) {
    super(`${file}:${line}:${column}: ${where ? `${where}: ` : ""}${detail}`);
    this.name = "SourceError";
  }
}

/** Several errors found in one pass over a file, reported together. */
export class SourceErrors extends Error {
  constructor(readonly errors: SourceError[]) {
    super(errors.map((e) => e.message).join("\n"));
    this.name = "SourceErrors";
  }
}

function formatPath(path: JsonPath): string {
  let out = "";
  for (const p of path) out += typeof p === "number" ? `[${p}]` : out === "" ? p : `.${p}`;
  return out;
}

function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === "\n") {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The offset of the value at `path`, or of its nearest recorded ancestor. */
function offsetOf(doc: JsonDocument, path: JsonPath): number {
  for (let n = path.length; n >= 0; n--) {
    const found = doc.offsets.get(formatPath(path.slice(0, n)));
    if (found !== undefined) return found;
  }
  return 0;
}

/** An error about the entry at `path` (the nearest recorded ancestor gives the position). */
export function errorAt(doc: JsonDocument, path: JsonPath, detail: string): SourceError {
  const { line, column } = lineColumn(doc.text, offsetOf(doc, path));
  return new SourceError(doc.file, line, column, formatPath(path), detail);
}

export function parseJsonDocument(file: string, text: string): JsonDocument {
  const syntaxError = (offset: number, detail: string): SourceError => {
    const { line, column } = lineColumn(text, offset);
    return new SourceError(file, line, column, "", `invalid JSON: ${detail}`);
  };
  const tooDeep = deepestOpening(text);
  if (tooDeep !== null) throw syntaxError(tooDeep, `nested more than ${MAX_JSON_DEPTH} levels deep`);
  const errors: ParseError[] = [];
  const root = parseTree(text, errors, { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false });
  // jsonc-parser recovers and goes on; after the first error the rest is mostly consequence.
  const first = errors[0];
  if (first || !root)
    throw syntaxError(first?.offset ?? 0, first ? describeParseError(text, first) : "the file is empty");
  const offsets = new Map<string, number>();
  const value = (node: Node, path: JsonPath): unknown => {
    offsets.set(formatPath(path), node.offset);
    switch (node.type) {
      case "object": {
        const out: Record<string, unknown> = {};
        for (const property of node.children ?? []) {
          const [keyNode, valueNode] = property.children as [Node, Node];
          const key = keyNode.value as string;
          if (Object.prototype.hasOwnProperty.call(out, key))
            throw syntaxError(keyNode.offset, `duplicate key "${key}"`);
          // defineProperty: a "__proto__" key is an ordinary field here, never the object's prototype.
          Object.defineProperty(out, key, {
            value: value(valueNode, [...path, key]),
            enumerable: true,
            writable: true,
            configurable: true,
          });
        }
        return out;
      }
      case "array":
        return (node.children ?? []).map((item, n) => value(item, [...path, n]));
      default:
        return node.value as unknown;
    }
  };
  return { file, text, value: value(root, []), offsets };
}

/** The offset of the first '{' or '[' that opens a level beyond MAX_JSON_DEPTH, or null. */
function deepestOpening(text: string): number | null {
  const scanner = createScanner(text, true);
  let depth = 0;
  for (let token = scanner.scan(); token !== SyntaxKind.EOF; token = scanner.scan()) {
    if (token === SyntaxKind.OpenBraceToken || token === SyntaxKind.OpenBracketToken) {
      if (++depth > MAX_JSON_DEPTH) return scanner.getTokenOffset();
    } else if (token === SyntaxKind.CloseBraceToken || token === SyntaxKind.CloseBracketToken) {
      depth--;
    }
  }
  return null;
}

function describeParseError(text: string, error: ParseError): string {
  const found = text.slice(error.offset, error.offset + error.length);
  const atEnd = error.offset >= text.length;
  const before = text.slice(0, error.offset).trimEnd();
  switch (error.error) {
    case ParseErrorCode.InvalidSymbol:
      return `unexpected ${JSON.stringify(found)}${found.startsWith("'") ? " (JSON strings take double quotes)" : ""}`;
    case ParseErrorCode.PropertyNameExpected:
    case ParseErrorCode.ValueExpected:
      if (atEnd) return "unexpected end of file";
      if ((found === "}" || found === "]") && before.endsWith(","))
        return `a comma before '${found}' (JSON allows no trailing comma)`;
      return error.error === ParseErrorCode.ValueExpected
        ? `expected a value, found ${JSON.stringify(found)}`
        : "expected a property name in double quotes";
    case ParseErrorCode.ColonExpected:
      return "expected ':'";
    case ParseErrorCode.CommaExpected:
      return "expected ','";
    case ParseErrorCode.CloseBraceExpected:
      return atEnd ? "unexpected end of file (expected '}')" : "expected ',' or '}'";
    case ParseErrorCode.CloseBracketExpected:
      return atEnd ? "unexpected end of file (expected ']')" : "expected ',' or ']'";
    case ParseErrorCode.EndOfFileExpected:
      return "unexpected text after the document";
    case ParseErrorCode.InvalidCommentToken:
    case ParseErrorCode.UnexpectedEndOfComment:
      return `comments are not allowed in JSON (a "$comment" field is)`;
    case ParseErrorCode.UnexpectedEndOfString:
      return "unterminated string (a string ends on the line it starts)";
    case ParseErrorCode.InvalidNumberFormat:
    case ParseErrorCode.UnexpectedEndOfNumber:
      return `invalid number ${JSON.stringify(found)}`;
    case ParseErrorCode.InvalidUnicode:
      return `an invalid \\u escape in ${found}`;
    case ParseErrorCode.InvalidEscapeCharacter:
      return `an invalid escape in ${found} (JSON has \\" \\\\ \\/ \\b \\f \\n \\r \\t \\uXXXX)`;
    case ParseErrorCode.InvalidCharacter:
      return "a control character inside a string (write it as an escape such as \\n)";
    default:
      return `${JSON.stringify(found)} is not JSON`;
  }
}
