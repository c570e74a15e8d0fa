// How sel4tut describes a failure of its own: it says that it is one, what to include in a
// report and where to send it, then the stack trace (useful to the maintainers, not to you).
import { packageJson, sel4tutVersion } from "../../app/package-info.js";

export { nodeRequirement, sel4tutVersion } from "../../app/package-info.js";

function whereToReport(): string {
  const bugs = packageJson().bugs;
  const url = typeof bugs === "string" ? bugs : bugs?.url;
  return url ? `at ${url}` : "to the sel4tut maintainers (the sel4tut package's issue tracker)";
}

/** The text for an internal error: `detail` is what failed (a message or a report with a stack). */
export function internalErrorText(detail: string): string {
  return [
    "sel4tut: internal error: sel4tut itself failed; this is a bug in sel4tut, not in your code.",
    `Please report it ${whereToReport()} with this whole message and the command you ran.`,
    `sel4tut ${sel4tutVersion()}, Node ${process.version}, ${process.platform}-${process.arch}; your .ts files were not changed.`,
    detail.trim(),
  ].join("\n");
}
