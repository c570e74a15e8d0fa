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
//
//   //@task threads-context-2 replaces    the official include_task_type_replace: this block and
//                                          the block right before it (and that one's own chain) are
//                                          one place in the file, which shows the latest of them
//                                          that has the form the stage asks for (a block with a
//                                          //@completed section and no //@before one has no start
//                                          form, so at its task's start the block before it shows).

export interface Stage {
  /** Index of the current task. */
  task: number;
  /** Render the current task solved as well. */
  solution: boolean;
}

type Form = "before" | "completed";
type Section = Form | "all";

interface Block {
  task: number;
  always: boolean;
  /** Blocks that replace one another share a chain (the first block's number); others have their own. */
  chain: number;
  id: number;
  /** The forms the block has: a form's section, or no section at all (one text for both). */
  forms: Set<Form>;
}

interface Line {
  text: string;
  block: Block | null;
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
  let block: Block | null = null;
  /** The block that ended last, while only blank lines follow it (a "replaces" block continues its chain). */
  let previous: Block | null = null;
  let blocks = 0;
  let section: Section = "all";
  let blockStart = { line: 0, column: 0 };
  text.split("\n").forEach((text, n) => {
    const lineNo = n + 1;
    const m = MARKER.exec(text);
    if (!m) {
      if (!block && text.trim() !== "") previous = null;
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
        if ((mode !== undefined && mode !== "always" && mode !== "replaces") || extra !== undefined) {
          fail(`expected "//@task NAME [always | replaces]"`);
        }
        let chain = blocks;
        if (mode === "replaces") {
          if (!previous) fail(`"replaces" needs the block it replaces right before it (only blank lines between)`);
          if (previous!.task >= task)
            fail(
              `a block replaces one of an earlier task, and "${taskNames[previous!.task]}" is not earlier than "${name ?? ""}"`,
            );
          chain = previous!.chain;
        }
        block = { task, always: mode === "always", chain, id: blocks++, forms: new Set() };
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
        if (word !== "all") block!.forms.add(word);
        return;
      case "end":
        if (!block) fail("//@end without a //@task block");
        // A block without sections is one text for both forms.
        if (block!.forms.size === 0) block!.forms = new Set(["before", "completed"]);
        previous = block;
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

/** The block of each chain that a stage shows: the latest that is not ahead and has the form the stage asks of it. */
function shownBlocks(t: ParsedTemplate, stage: Stage): Map<number, number> {
  const shown = new Map<number, number>();
  for (const line of t.lines) {
    const b = line.block;
    if (!b || (b.task > stage.task && !b.always)) continue;
    const current = shown.get(b.chain);
    if (current === undefined || (b.id > current && b.forms.has(formOf(b.task, stage)))) shown.set(b.chain, b.id);
  }
  return shown;
}

export function renderTemplate(t: ParsedTemplate, stage: Stage): string {
  const out: string[] = [];
  const shown = shownBlocks(t, stage);
  for (const line of t.lines) {
    if (!line.block) {
      out.push(line.text);
      continue;
    }
    if (shown.get(line.block.chain) !== line.block.id) continue;
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
  // A task's block without a start form shows the block it replaces, as the task's start state does.
  const shown = shownBlocks(t, { task, solution: false });
  const chains = new Set(t.lines.flatMap((l) => (l.block?.task === task ? [l.block.chain] : [])));
  for (const line of t.lines) {
    const b = line.block;
    const own = b?.task === task && b.forms.has("before");
    const stand = b !== null && b.task !== task && chains.has(b.chain) && shown.get(b.chain) === b.id;
    if (!own && !stand) {
      current = null;
      continue;
    }
    if (line.section !== "all" && line.section !== formOf(b!.task, { task, solution: false })) continue;
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
