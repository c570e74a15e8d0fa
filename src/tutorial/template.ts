// Template rendering: a thread source in templates/NAME/ with task blocks, rendered at one
// task stage the way the official tooling does (sel4-tutorials §1.5):
//
//   //@task fault-badge          a block owned by one task ("append": absent while the task
//   //@before                    is still ahead; "//@task NAME always" shows its before form)
//   ...start code with a TODO
//   //@completed
//   ...solved code
//   //@end
//
// Lines inside a block before any section marker, or after //@all, belong to both forms.
// Earlier tasks render completed, the current task renders "before" (or completed with
// --solution), later tasks are absent.

export interface Stage {
  /** Index of the current task. */
  task: number;
  /** Render the current task solved as well. */
  solution: boolean;
}

type Form = "before" | "completed";
type Section = Form | "all";

interface Line {
  text: string;
  block: { task: number; always: boolean } | null;
  section: Section;
}

export class TemplateError extends Error {
  /** `column`: where the marker's "//@" starts. */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly column: number,
    detail: string,
  ) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = "TemplateError";
  }
}

const MARKER = /^\s*\/\/@(\w+)\s*(.*?)\s*$/;

export interface ParsedTemplate {
  file: string;
  lines: readonly Line[];
  /** Indices of the tasks that own a block in this file. */
  tasks: ReadonlySet<number>;
}

export function parseTemplate(file: string, text: string, taskNames: readonly string[]): ParsedTemplate {
  const lines: Line[] = [];
  const tasks = new Set<number>();
  let block: Line["block"] = null;
  let section: Section = "all";
  let blockStart = { line: 0, column: 0 };
  text.split("\n").forEach((text, n) => {
    const lineNo = n + 1;
    const m = MARKER.exec(text);
    if (!m) {
      lines.push({ text, block, section });
      return;
    }
    const [, word, arg] = m as unknown as [string, string, string];
    const fail = (detail: string): never => {
      throw new TemplateError(file, lineNo, text.indexOf("//@") + 1, detail);
    };
    switch (word) {
      case "task": {
        if (block) fail(`//@task inside the block opened on line ${blockStart.line} (close it with //@end first)`);
        const [name, mode, extra] = arg.split(/\s+/);
        const task = taskNames.indexOf(name ?? "");
        if (task < 0) fail(`unknown task "${name ?? ""}" (tasks: ${taskNames.join(", ")})`);
        if ((mode !== undefined && mode !== "always") || extra !== undefined) fail(`expected "//@task NAME [always]"`);
        block = { task, always: mode === "always" };
        tasks.add(task);
        section = "all";
        blockStart = { line: lineNo, column: text.indexOf("//@") + 1 };
        return;
      }
      case "before":
      case "completed":
      case "all":
        if (!block) fail(`//@${word} outside a //@task block`);
        section = word;
        return;
      case "end":
        if (!block) fail("//@end without a //@task block");
        block = null;
        section = "all";
        return;
      default:
        fail(`unknown marker //@${word} (task, before, completed, all, end)`);
    }
  });
  if (block)
    throw new TemplateError(file, blockStart.line, blockStart.column, "//@task block is never closed with //@end");
  return { file, lines, tasks };
}

function formOf(task: number, stage: Stage): Form {
  const done = stage.solution ? task <= stage.task : task < stage.task;
  return done ? "completed" : "before";
}

export function renderTemplate(t: ParsedTemplate, stage: Stage): string {
  const out: string[] = [];
  for (const line of t.lines) {
    if (!line.block) {
      out.push(line.text);
      continue;
    }
    if (line.block.task > stage.task && !line.block.always) continue;
    if (line.section === "all" || line.section === formOf(line.block.task, stage)) out.push(line.text);
  }
  return out.join("\n");
}

/**
 * The code a task starts from, as the lesson shows it: each of the task's blocks rendered in its
 * "before" form (the lines a learner finds at the start of the task), without the indentation
 * they share. Consecutive lines of one block are one snippet; a file may hold several.
 */
export function startSnippets(t: ParsedTemplate, task: number): string[] {
  const snippets: string[][] = [];
  let current: string[] | null = null;
  for (const line of t.lines) {
    if (line.block?.task !== task) {
      current = null;
      continue;
    }
    if (line.section === "completed") continue;
    if (!current) snippets.push((current = []));
    current.push(line.text);
  }
  return snippets.map(dedent).filter((s) => s.trim() !== "");
}

function dedent(lines: string[]): string {
  while (lines.length > 0 && lines[0]!.trim() === "") lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === "") lines.pop();
  const indents = lines.filter((l) => l.trim() !== "").map((l) => /^\s*/.exec(l)![0].length);
  const cut = indents.length > 0 ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(cut).trimEnd()).join("\n");
}
