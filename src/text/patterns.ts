// Completion-text patterns as the official ./check reads them: the text is split on "\n",
// each piece is a (Python) regular expression, and one extra "\n" piece follows, so the last
// line must be complete. The pieces are matched by RE2 (re2js), whose matching time is linear in
// the output: a tutorial loaded from a path cannot stall `check` with a backtracking pattern such
// as `(a+)+c`. The syntax the tutorials use (classes, escapes, groups, repetition) is shared by
// Python and RE2; what RE2 lacks (backreferences, lookaround) is refused when the tutorial loads.
import { RE2JS } from "re2js";

export interface Pattern {
  /** The piece as written in the completion text. */
  source: string;
  regex: RE2JS;
  /** The hidden end-of-line piece that the official tool appends. */
  endOfLine: boolean;
}

/** A completion or failure text that is not a pattern RE2 accepts. */
export class PatternError extends Error {
  constructor(
    readonly source: string,
    detail: string,
  ) {
    super(detail);
  }
}

export function compilePattern(source: string): RE2JS {
  try {
    return RE2JS.compile(source);
  } catch (e) {
    // re2js says "error parsing regexp: missing closing ): `(a`"; keep what is wrong.
    const detail = String((e as Error).message).replace(/^error parsing regexp: /, "");
    throw new PatternError(source, `"${source}" is not a regular expression sel4tut can match: ${detail}`);
  }
}

/** Each line of a completion text that is not a valid pattern: [line index, error]. */
export function patternErrors(text: string): [number, PatternError][] {
  return text.split("\n").flatMap((source, i) => {
    try {
      compilePattern(source);
      return [];
    } catch (e) {
      if (e instanceof PatternError) return [[i, e] as [number, PatternError]];
      throw e;
    }
  });
}

const END_OF_LINE = RE2JS.compile("\\n");

export function completionPatterns(text: string): Pattern[] {
  const pieces = text.split("\n").map((source) => ({ source, regex: compilePattern(source), endOfLine: false }));
  pieces.push({ source: "\\n", regex: END_OF_LINE, endOfLine: true });
  return pieces;
}

/** The first match at or after `from`; an empty pattern matches at `from`. */
export function findFrom(regex: RE2JS, text: string, from: number): { index: number; end: number } | null {
  const m = regex.matcher(text);
  if (!m.find(from)) return null;
  return { index: m.start(), end: m.end() };
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
