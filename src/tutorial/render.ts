// Rendering a tutorial's templates and lesson at one task stage.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { KERNEL_CONFIGS, type KernelConfig } from "../abi/constants.js";
import { safeText } from "../text/terminal-safe.js";
import { confinementRoot } from "./catalogue.js";
import { resolvesInside, taskIndex, type TutorialDef } from "./schema.js";
import type { Progress } from "./progress.js";
import { parseTemplate, renderTemplate, startSnippets, type ParsedTemplate, type Stage } from "./template.js";

export class UnknownTaskError extends Error {}

/**
 * The stage `init` renders: the named task, or (as the official init) the last task in
 * solution mode and the first otherwise.
 */
export function stageFor(tut: TutorialDef, task: string | undefined, solution: boolean): Stage {
  if (task === undefined) return { task: solution ? tut.tasks.length - 1 : 0, solution };
  const i = taskIndex(tut, task);
  if (i < 0)
    throw new UnknownTaskError(
      `unknown task "${task}" (tasks of ${tut.name}: ${tut.tasks.map((t) => t.name).join(", ")})`,
    );
  return { task: i, solution };
}

/** A template that is a symlink leading out of the tutorial's directory. */
export class TemplatePathError extends Error {}

/**
 * The templates directory's files. A symlink is followed only when it leads to a file inside the
 * tutorial's directory: a tutorial from a path must not render a host file into an exercise.
 */
function templateFiles(tut: TutorialDef): string[] {
  return readdirSync(tut.templatesDir, { withFileTypes: true }).flatMap((d) => {
    if (d.isFile()) return [d.name];
    if (!d.isSymbolicLink()) return [];
    const file = join(tut.templatesDir, d.name);
    const root = confinementRoot(tut.dir);
    if (!statSync(file, { throwIfNoEntry: false })?.isFile() || !resolvesInside(root, file)) {
      throw new TemplatePathError(
        `${file} is a symbolic link that does not lead to a file inside the tutorial directory ${root}`,
      );
    }
    return [d.name];
  });
}

function loadTemplates(tut: TutorialDef): ParsedTemplate[] {
  const names = tut.tasks.map((t) => t.name);
  return templateFiles(tut)
    .sort()
    .map((f) => parseTemplate(join(tut.templatesDir, f), readFileSync(join(tut.templatesDir, f), "utf8"), names));
}

/** File name (relative to the exercise directory) -> rendered text. */
export function renderSources(tut: TutorialDef, stage: Stage): Map<string, string> {
  return new Map(loadTemplates(tut).map((t) => [t.file.slice(tut.templatesDir.length + 1), renderTemplate(t, stage)]));
}

/** Where a lesson wants a task's start code and completion lines: a line of its own. */
const TASK_MARKER = /^<!--\s*sel4tut:task\s+(\S+)\s*-->\s*$/;
/** The task list between these lines is rewritten whenever progress changes. */
const PROGRESS_BEGIN = "<!-- sel4tut:progress (rewritten by sel4tut when your progress changes) -->";
const PROGRESS_END = "<!-- /sel4tut:progress -->";

const CONFIG_LABEL: Record<KernelConfig, string> = { master: "master", mcs: "MCS" };

function fenced(language: string, text: string): string[] {
  const fence = text.includes("```") ? "~~~~" : "```";
  return [`${fence}${language}`, text, fence];
}

/** The completion lines `check` expects, said once when both configurations expect the same. */
function completionLines(tut: TutorialDef, task: TutorialDef["tasks"][number]): string[] {
  const texts = tut.configs.map((c) => task.finish[c]);
  if (texts.every((t) => t === texts[0])) {
    const on = tut.configs.map((c) => CONFIG_LABEL[c]).join(" and ");
    // A tutorial for the MCS kernel only is checked with --mcs.
    const command = tut.configs.includes("master") ? "sel4tut check" : "sel4tut check --mcs";
    const what = texts[0]!.trim().includes("\n") ? "these lines, in this order" : "this line";
    const lines = [`\`${command}\` passes when the output contains ${what} (on ${on}):`, "", ...fenced("", texts[0]!)];
    if (task.weakCheck !== null) lines.push("", `The unsolved code prints these lines too: ${task.weakCheck}`);
    return lines;
  }
  return tut.configs
    .flatMap((c) => [
      `\`sel4tut check${c === "mcs" ? " --mcs" : ""}\` passes when the output contains:`,
      "",
      ...fenced("", task.finish[c]),
      "",
    ])
    .concat(task.weakCheck !== null ? [`The unsolved code prints these lines too: ${task.weakCheck}`, ""] : [])
    .slice(0, -1);
}

/** A task's start code (rendered from the templates, so the lesson and the files never disagree) and its completion lines. */
function taskCodeSection(tut: TutorialDef, templates: readonly ParsedTemplate[], index: number): string[] {
  const task = tut.tasks[index]!;
  const code = templates.flatMap((t) =>
    startSnippets(t, index).map((snippet) => ({ file: t.file.slice(tut.templatesDir.length + 1), snippet })),
  );
  const out: string[] = [];
  for (const { file, snippet } of code)
    out.push(`The code \`${task.name}\` starts from, in \`${file}\`:`, "", ...fenced("ts", snippet), "");
  out.push(...completionLines(tut, task));
  return out;
}

/** Whether a Markdown line is a heading, and its level. */
function headingLevel(line: string): number {
  const m = /^(#{1,6})\s/.exec(line);
  return m ? m[1]!.length : 0;
}

/**
 * The lesson with each task's code section: at its marker line, else at the end of the section
 * whose heading names the task, else in an appendix after the lesson (docs/authoring.md).
 */
export function lessonWithCode(tut: TutorialDef, lesson: string): string {
  const templates = loadTemplates(tut);
  const lines = lesson.split("\n");
  const placed = new Set<number>();
  const out: string[] = [];
  for (const line of lines) {
    const m = TASK_MARKER.exec(line);
    const index = m ? taskIndex(tut, m[1]!) : -1;
    if (index < 0) {
      out.push(line);
      continue;
    }
    out.push(...taskCodeSection(tut, templates, index));
    placed.add(index);
  }
  // Sections by task name: the code goes at the end of the section, before the next heading of its level or above.
  const withHeadings: string[] = [];
  let pending: { index: number; level: number } | null = null;
  const flush = () => {
    if (!pending) return;
    while (withHeadings.length > 0 && withHeadings[withHeadings.length - 1]!.trim() === "") withHeadings.pop();
    withHeadings.push("", ...taskCodeSection(tut, templates, pending.index), "");
    placed.add(pending.index);
    pending = null;
  };
  let inFence = false;
  for (const line of out) {
    if (/^(```|~~~)/.test(line)) inFence = !inFence;
    const level = inFence ? 0 : headingLevel(line);
    if (level > 0 && pending && level <= pending.level) flush();
    if (level > 0 && !pending) {
      const index = tut.tasks.findIndex(
        (t, i) => !placed.has(i) && new RegExp(`(^|[^\\w-])${t.name.replace(/[-]/g, "\\-")}([^\\w-]|$)`).test(line),
      );
      if (index >= 0) pending = { index, level };
    }
    withHeadings.push(line);
  }
  flush();
  const rest = tut.tasks.map((_, i) => i).filter((i) => !placed.has(i));
  if (rest.length > 0) {
    while (withHeadings.length > 0 && withHeadings[withHeadings.length - 1]!.trim() === "") withHeadings.pop();
    withHeadings.push("", "## The code of each task");
    for (const i of rest)
      withHeadings.push(
        "",
        `### ${tut.tasks[i]!.name}: ${tut.tasks[i]!.title}`,
        "",
        ...taskCodeSection(tut, templates, i),
      );
  }
  return withHeadings.join("\n").trimEnd();
}

/** One task's line in the README's task list: its status on each configuration, and whether it is current. */
function taskLine(tut: TutorialDef, i: number, given: Stage, progress: Progress | null): string {
  const t = tut.tasks[i]!;
  const current = progress ? progress.currentTask === t.name : i === given.task;
  const solvedGiven = i < given.task || (i === given.task && given.solution);
  const status = KERNEL_CONFIGS.filter((c) => tut.configs.includes(c))
    .map((c) => `${CONFIG_LABEL[c]} ${progress?.passed[t.name]?.[c] ? "✓ passed" : "· to do"}`)
    .join(", ");
  const notes = [status, ...(solvedGiven ? ["solved in the code you were given"] : [])].join("; ");
  return `${i + 1}. \`${t.name}\`: ${t.title} (${notes})${current ? " **← your current task**" : ""}`;
}

/** The task list with progress on each configuration, between the markers that let it be rewritten. */
function renderTaskList(tut: TutorialDef, given: Stage, progress: Progress | null): string[] {
  return [PROGRESS_BEGIN, ...tut.tasks.map((_, i) => taskLine(tut, i, given, progress)), PROGRESS_END];
}

/**
 * README.md's task list rewritten for new progress; null when there is nothing to change or the
 * markers are gone (the learner edited them away: the file is theirs, so it is left alone).
 */
export function readmeWithProgress(readme: string, tut: TutorialDef, given: Stage, progress: Progress): string | null {
  const begin = readme.indexOf(PROGRESS_BEGIN);
  const end = readme.indexOf(PROGRESS_END, begin);
  if (begin < 0 || end < 0) return null;
  const updated =
    readme.slice(0, begin) + renderTaskList(tut, given, progress).join("\n") + readme.slice(end + PROGRESS_END.length);
  return updated === readme ? null : updated;
}

/** The README of an exercise: the lesson with each task's code, then the task list and the commands. */
export function renderReadme(tut: TutorialDef, stage: Stage, progress: Progress | null = null): string {
  // Shown with cat or a pager, so it gets the same care as text printed by sel4tut.
  const lesson = lessonWithCode(tut, safeText(readFileSync(tut.lessonFile, "utf8").trimEnd(), 10_000));
  return [
    lesson,
    "",
    "## Tasks",
    "",
    ...renderTaskList(tut, stage, progress),
    "",
    "## Commands",
    "",
    "- `sel4tut run [--mcs]` builds your code if needed and runs it on the simulated kernel.",
    "- `sel4tut check [--mcs]` runs it and checks the current task's completion lines.",
    "- `sel4tut hint` shows the next hint for the current task.",
    "- `sel4tut list` shows every task and your progress on both configurations.",
    "- `sel4tut explain <fault or error>` says what a fault or error in the output means (`sel4tut explain` lists them).",
    "- `sel4tut reset` starts the current task over; your files are copied to `.sel4tut/history/` first, and `sel4tut restore` brings them back.",
    "- `sel4tut build --all` type-checks your code for both configurations, as `check` will (`npx tsc` would fetch an unrelated package named tsc).",
    "- `sel4tut doctor` prints a report to paste when asking for help.",
    "",
    "Your editor finds the `sel4` module's typings in `.sel4tut/types/` and each thread's cap names (`./cspace_<thread>`, " +
      "generated from the tutorial's system spec) in `.sel4tut/gen/`, through `tsconfig.json`.",
    "",
  ].join("\n");
}
