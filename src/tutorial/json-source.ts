// A small JSON reader that remembers where every value starts, so that errors in
// tutorial.json / system.json can name the file, the line and the offending entry.
// JSON.parse cannot give positions, and the files are small, so a hand parser is cheap.

export type JsonPath = (string | number)[];

export interface JsonDocument {
  file: string;
  text: string;
  value: unknown;
  /** Offset of the value at a path (joined with formatPath), as written in the file. */
  offsets: Map<string, number>;
}

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

/** An error about the entry at `path` (the nearest recorded ancestor gives the position). */
export function errorAt(doc: JsonDocument, path: JsonPath, detail: string): SourceError {
  let offset = 0;
  for (let n = path.length; n >= 0; n--) {
    const found = doc.offsets.get(formatPath(path.slice(0, n)));
    if (found !== undefined) {
      offset = found;
      break;
    }
  }
  const { line, column } = lineColumn(doc.text, offset);
  return new SourceError(doc.file, line, column, formatPath(path), detail);
}

export function parseJsonDocument(file: string, text: string): JsonDocument {
  const offsets = new Map<string, number>();
  let i = 0;
  const fail = (msg: string): never => {
    const { line, column } = lineColumn(text, i);
    throw new SourceError(file, line, column, "", `invalid JSON: ${msg}`);
  };
  const skip = () => {
    while (i < text.length && " \t\r\n".includes(text[i]!)) i++;
  };
  const value = (path: JsonPath): unknown => {
    skip();
    offsets.set(formatPath(path), i);
    const c = text[i];
    if (c === "{") return object(path);
    if (c === "[") return array(path);
    if (c === '"') return string();
    const m = /^(-?\d+(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) return fail(c === undefined ? "unexpected end of file" : `unexpected character '${c}'`);
    i += m[0].length;
    return JSON.parse(m[0]) as unknown;
  };
  const string = (): string => {
    const m = /^"(?:[^"\\\n]|\\.)*"/.exec(text.slice(i));
    if (!m) return fail("unterminated string");
    i += m[0].length;
    return JSON.parse(m[0]) as string;
  };
  /** The items of an object or array up to `close`, separated by commas. */
  const sequence = (close: "}" | "]", item: () => void): void => {
    i++;
    skip();
    if (text[i] === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      skip();
      if (text[i] === ",") {
        i++;
        continue;
      }
      if (text[i] === close) {
        i++;
        return;
      }
      fail(`expected ',' or '${close}'`);
    }
  };
  const object = (path: JsonPath): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    sequence("}", () => {
      skip();
      if (text[i] !== '"') fail("expected a property name");
      const key = string();
      skip();
      if (text[i] !== ":") fail("expected ':'");
      i++;
      if (Object.prototype.hasOwnProperty.call(out, key)) fail(`duplicate key "${key}"`);
      out[key] = value([...path, key]);
    });
    return out;
  };
  const array = (path: JsonPath): unknown[] => {
    const out: unknown[] = [];
    sequence("]", () => out.push(value([...path, out.length])));
    return out;
  };
  const result = value([]);
  skip();
  if (i < text.length) fail("unexpected text after the document");
  return { file, text, value: result, offsets };
}
