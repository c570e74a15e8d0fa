// Completion-text patterns as the official ./check reads them: the text is split on "\n",
// each piece is a (Python) regular expression, and one extra "\n" piece follows, so the last
// line must be complete. Python's syntax for these texts is also valid JavaScript.

export interface Pattern {
  /** The piece as written in the completion text. */
  source: string;
  regex: RegExp;
  /** The hidden end-of-line piece that the official tool appends. */
  endOfLine: boolean;
}

/**
 * Python's "." matches any character but "\n"; JavaScript's also refuses "\r" (and U+2028/9).
 * The difference matters on terminal output, where every line ends in "\r\n".
 */
function pythonDots(source: string): string {
  let out = "";
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === "\\") {
      out += c + (source[i + 1] ?? "");
      i++;
    } else if (inClass) {
      if (c === "]") inClass = false;
      out += c;
    } else if (c === "[") {
      inClass = true;
      out += c;
    } else {
      out += c === "." ? "[^\\n]" : c;
    }
  }
  return out;
}

export function compilePattern(source: string): RegExp {
  try {
    return new RegExp(pythonDots(source), "g");
  } catch {
    // Not a valid expression: take it literally rather than fail the whole check.
    return new RegExp(source.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"), "g");
  }
}

export function completionPatterns(text: string): Pattern[] {
  const pieces = text.split("\n").map((source) => ({ source, regex: compilePattern(source), endOfLine: false }));
  pieces.push({ source: "\\n", regex: /\n/g, endOfLine: true });
  return pieces;
}

/** The first match at or after `from`; an empty pattern matches at `from`. */
export function findFrom(regex: RegExp, text: string, from: number): { index: number; end: number } | null {
  regex.lastIndex = from;
  const m = regex.exec(text);
  if (!m) return null;
  return { index: m.index, end: m.index + m[0].length };
}

export function lineNumberAt(text: string, offset: number): number {
  let n = 1;
  for (let i = 0; i < offset; i++) if (text.charCodeAt(i) === 10) n++;
  return n;
}

export function lineAt(text: string, offset: number): string {
  const start = text.lastIndexOf("\n", offset - 1) + 1;
  const end = text.indexOf("\n", offset);
  return text.slice(start, end < 0 ? text.length : end);
}
