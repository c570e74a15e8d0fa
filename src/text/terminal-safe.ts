// Text that sel4tut shows but did not write itself (a tutorial's titles, hints and lessons from a
// path, a learner's output quoted in a report) is made safe for a terminal first: control
// characters and the Unicode bidirectional overrides are shown as visible escapes (`\x1b`,
// `\u202e`) instead of being interpreted, so such text cannot move the cursor, recolour or clear
// the screen, set the window title, hide what follows, or make a line read backwards. Lines are
// cut at a bounded length so one line cannot flood the screen.

/** Longest line shown; longer ones end in "… (N more characters)". */
const MAX_SHOWN_LINE = 500;

// C0 controls other than tab and newline, DEL, C1 controls, and the bidi embedding/override/isolate marks.
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

function visible(ch: string): string {
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16).padStart(4, "0")}`;
}

/** True when the text holds nothing a terminal would interpret (tabs and newlines aside). */
export function isTerminalSafe(text: string): boolean {
  UNSAFE.lastIndex = 0;
  return !UNSAFE.test(text);
}

/** One line of text as it may be shown: escapes made visible, length bounded. */
export function safeLine(text: string, max = MAX_SHOWN_LINE): string {
  const shown = text.replace(UNSAFE, visible).replace(/\n/g, "\\n");
  return cut(shown, max);
}

/** Text of several lines as it may be shown: each line made safe and bounded; newlines kept. */
export function safeText(text: string, max = MAX_SHOWN_LINE): string {
  return text
    .split("\n")
    .map((line) => cut(line.replace(UNSAFE, visible), max))
    .join("\n");
}

function cut(line: string, max: number): string {
  return line.length <= max ? line : `${line.slice(0, max)}… (${line.length - max} more characters)`;
}
