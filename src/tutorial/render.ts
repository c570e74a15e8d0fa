// Rendering a tutorial's templates and lesson at one task stage.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { safeText } from "../text/terminal-safe.js";
import { confinementRoot } from "./catalogue.js";
import { resolvesInside, taskIndex, type TutorialDef } from "./schema.js";
import { parseTemplate, renderTemplate, type ParsedTemplate, type Stage } from "./template.js";

export class UnknownTaskError extends Error {}

/**
 * The stage `init` renders: the named task, or (as the official init) the last task in
 * solution mode and the first otherwise.
 */
export function stageFor(tut: TutorialDef, task: string | undefined, solution: boolean): Stage {
  if (task === undefined) return { task: solution ? tut.tasks.length - 1 : 0, solution };
  const i = taskIndex(tut, task);
  if (i < 0) throw new UnknownTaskError(`unknown task "${task}" (tasks of ${tut.name}: ${tut.tasks.map((t) => t.name).join(", ")})`);
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
      throw new TemplatePathError(`${file} is a symbolic link that does not lead to a file inside the tutorial directory ${root}`);
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

/** The README of an exercise: the lesson, then the task list and the commands. */
export function renderReadme(tut: TutorialDef, stage: Stage): string {
  // Shown with cat or a pager, so it gets the same care as text printed by sel4tut.
  const lesson = safeText(readFileSync(tut.lessonFile, "utf8").trimEnd(), 10_000);
  const tasks = tut.tasks.map((t, i) => {
    const mark = i < stage.task || (i === stage.task && stage.solution) ? "solved in the code you were given" : i === stage.task ? "**your current task**" : "to do";
    return `${i + 1}. \`${t.name}\`: ${t.title} (${mark})`;
  });
  return [
    lesson,
    "",
    "## Tasks",
    "",
    ...tasks,
    "",
    "## Commands",
    "",
    "- `sel4tut run [--mcs]` builds your code if needed and runs it on the simulated kernel.",
    "- `sel4tut check [--mcs]` runs it and checks the current task's completion lines.",
    "- `sel4tut hint` shows the next hint for the current task.",
    "- `sel4tut list` shows every task and your progress on both configurations.",
    "- `sel4tut explain <fault or error>` says what a fault or error in the output means (`sel4tut explain` lists them).",
    "- `sel4tut reset` starts the current task over; your files are copied to `.sel4tut/history/` first, and `sel4tut restore` brings them back.",
    "- `sel4tut doctor` prints a report to paste when asking for help.",
    "",
  ].join("\n");
}
