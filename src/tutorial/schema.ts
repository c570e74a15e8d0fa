// The tutorial format (tutorials/NAME/tutorial.json), documented in docs/authoring.md.
import { readFileSync, realpathSync, statSync } from "node:fs";
import { dirname, resolve, sep } from "node:path";
import { KERNEL_CONFIGS, type KernelConfig } from "../abi/constants.js";
import { patternErrors } from "../text/patterns.js";
import { isTerminalSafe, safeText } from "../text/terminal-safe.js";
import { confinementRoot } from "./catalogue.js";
import { FieldReader } from "./fields.js";
import { schemaErrors } from "./json-schemas.js";
import { parseJsonDocument, type JsonPath } from "./json-source.js";

/** A text that may differ per kernel configuration. */
type PerConfig<T> = Readonly<Record<KernelConfig, T>>;

interface FailureTexts {
  /** Checked by `check --start`. */
  start: readonly string[];
  /** Checked by `check` (the solved state); the place to tighten weak official checks. */
  finish: readonly string[];
}

export interface TaskDef {
  name: string;
  title: string;
  /** START completion text per config, after the official fallback (previous task's FINISH). */
  start: PerConfig<string>;
  finish: PerConfig<string>;
  failureTexts: FailureTexts;
  hints: readonly string[];
  /**
   * Why the unsolved code passes `check` too, when no output can tell the two apart (an official
   * check whose difference is only in timing); null for an ordinary task.
   */
  weakCheck: string | null;
}

export interface TutorialDef {
  name: string;
  title: string;
  summary: string;
  /** Absolute paths. */
  dir: string;
  lessonFile: string;
  templatesDir: string;
  systemFile: string;
  configs: readonly KernelConfig[];
  tasks: readonly TaskDef[];
  /** Simulated-time budget of one run, in milliseconds of virtual time. */
  simTimeLimitMs: number;
}

export const TUTORIAL_FILE = "tutorial.json";
/** Printed by the official libc shim when a program exits; ./check always treats it as failure. */
const OFFICIAL_FAILURE_TEXT = "Ignoring call to sys_exit_group";

const TOP_KEYS = [
  "schemaVersion",
  "name",
  "title",
  "summary",
  "lesson",
  "templates",
  "system",
  "configs",
  "failureTexts",
  "simTimeLimitMs",
  "tasks",
] as const;
const TASK_KEYS = ["name", "title", "start", "finish", "failureTexts", "hints", "weakCheck"] as const;

/**
 * Tutorial and task names become directory names (`init` creates ./NAME) and command arguments:
 * a plain name, never a path.
 */
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const NAME_RULE =
  "must be a plain name: letters, digits, '_', '.' and '-', starting with a letter or digit, at most 64 characters";

/**
 * The largest simulated-time budget a tutorial may set. A run's real time grows with its busy
 * simulated time (a system-call loop runs about 1 µs of simulated time per 20-80 µs of real time),
 * and the wall-clock safety net grows with the budget to stay far above it (src/app/pipeline.ts
 * wallClockNetMs), so this cap is what bounds the real time one run may take. Budgets above a few
 * hundred ms are for programs that mostly wait for a device or a period: idle time costs nothing.
 */
export const MAX_SIM_TIME_LIMIT_MS = 5_000;

export function loadTutorial(dir: string): TutorialDef {
  const file = resolve(dir, TUTORIAL_FILE);
  const doc = parseJsonDocument(file, readFileSync(file, "utf8"));
  const r = new FieldReader(doc, schemaErrors(doc, "tutorial"));
  const top = r.object(doc.value, []) ?? {};
  r.onlyKeys(top, [], TOP_KEYS);
  if (top.schemaVersion !== 1) r.error(["schemaVersion"], "schemaVersion must be 1");
  const name = r.string(top, "name", []) ?? "";
  if (name && !NAME.test(name)) r.error(["name"], `"name" ${NAME_RULE}`);
  const configs = readConfigs(r, top);
  const base = dirname(file);
  const tutorialFailures = readFailureTexts(r, top.failureTexts, ["failureTexts"]);
  const tasks: TaskDef[] = [];
  const taskList = r.array(top.tasks, ["tasks"]);
  if (taskList.length === 0) r.error(["tasks"], "a tutorial needs at least one task");
  taskList.forEach((raw, n) => {
    const path: JsonPath = ["tasks", n];
    const t = r.object(raw, path);
    if (!t) return;
    r.onlyKeys(t, path, TASK_KEYS);
    const taskName = r.string(t, "name", path) ?? `#${n}`;
    if (typeof t.name === "string" && !NAME.test(taskName)) r.error([...path, "name"], `a task's "name" ${NAME_RULE}`);
    if (tasks.some((x) => x.name === taskName)) r.error([...path, "name"], `duplicate task name "${taskName}"`);
    const finish = readPerConfig(r, t.finish, [...path, "finish"], configs) ?? { master: "", mcs: "" };
    let start = t.start === undefined ? undefined : readPerConfig(r, t.start, [...path, "start"], configs);
    // The official rule: a task without its own START text uses the previous task's FINISH.
    if (!start) {
      const prev = tasks[tasks.length - 1];
      if (prev) start = prev.finish;
      else r.error([...path], 'the first task must have a "start" text');
    }
    const own = readFailureTexts(r, t.failureTexts, [...path, "failureTexts"]);
    const hints = r.stringList(t, "hints", path);
    if (hints.length === 0) r.error([...path, "hints"], "give each task at least one hint");
    tasks.push({
      name: taskName,
      title: shown(r.string(t, "title", path) ?? taskName),
      start: start ?? finish,
      finish,
      failureTexts: {
        start: [OFFICIAL_FAILURE_TEXT, ...tutorialFailures.start, ...own.start],
        finish: [OFFICIAL_FAILURE_TEXT, ...tutorialFailures.finish, ...own.finish],
      },
      hints: hints.map((h) => shown(h)),
      weakCheck: t.weakCheck === undefined ? null : shown(r.string(t, "weakCheck", path) ?? ""),
    });
  });
  const simTimeLimitMs = r.optInteger(top, "simTimeLimitMs", [], 1, MAX_SIM_TIME_LIMIT_MS) ?? 100;
  const def: TutorialDef = {
    name,
    title: shown(r.string(top, "title", []) ?? name),
    summary: shown(r.optString(top, "summary", []) ?? ""),
    dir: base,
    lessonFile: insideTutorial(r, top, base, "lesson", "lesson.md", "file"),
    templatesDir: insideTutorial(r, top, base, "templates", "templates", "directory"),
    systemFile: insideTutorial(r, top, base, "system", "system.json", "file"),
    configs,
    tasks,
    simTimeLimitMs,
  };
  r.finish();
  return def;
}

/** A tutorial's own text (titles, hints) as it may reach a terminal: see terminal-safe.ts. */
function shown(text: string): string {
  return safeText(text);
}

/** True when `path` (symlinks resolved) is `dir` or inside it; both must exist. */
export function resolvesInside(dir: string, path: string): boolean {
  const root = realpathSync(dir);
  const real = realpathSync(path);
  return real === root || real.startsWith(root.endsWith(sep) ? root : root + sep);
}

/**
 * A path the tutorial names (lesson, templates, system) as an absolute path, which must exist,
 * be of the kind expected, and lie inside the tutorial's directory once symlinks are resolved: a
 * tutorial from a path must not make `init` copy /etc/shadow into an exercise.
 */
function insideTutorial(
  r: FieldReader,
  top: Record<string, unknown>,
  base: string,
  key: string,
  fallback: string,
  kind: "file" | "directory",
): string {
  const given = r.optString(top, key, []) ?? fallback;
  const path = resolve(base, given);
  const stat = statSync(path, { throwIfNoEntry: false });
  const root = confinementRoot(base);
  if (!stat) {
    r.error([key], `${path} does not exist`);
  } else if (!resolvesInside(root, path)) {
    r.error(
      [key],
      `"${given}" is outside the tutorial directory ${root} (every file of a tutorial must be inside its directory)`,
    );
  } else if (kind === "file" ? !stat.isFile() : !stat.isDirectory()) {
    r.error([key], `${path} is not a ${kind}`);
  }
  return path;
}

function readConfigs(r: FieldReader, top: Record<string, unknown>): KernelConfig[] {
  if (top.configs === undefined) return [...KERNEL_CONFIGS];
  const list = r.stringList(top, "configs", []);
  const out: KernelConfig[] = [];
  list.forEach((c, n) => {
    if (c === "master" || c === "mcs") out.push(c);
    else r.error(["configs", n], `unknown kernel configuration "${c}" (master or mcs)`);
  });
  if (out.length === 0) r.error(["configs"], "list at least one configuration");
  return out;
}

function readPerConfig(
  r: FieldReader,
  value: unknown,
  path: JsonPath,
  configs: readonly KernelConfig[],
): PerConfig<string> | undefined {
  if (typeof value === "string") {
    checkPatterns(r, value, path);
    return { master: value, mcs: value };
  }
  const obj = r.object(value, path);
  if (!obj) return undefined;
  r.onlyKeys(obj, path, KERNEL_CONFIGS);
  const master = typeof obj.master === "string" ? obj.master : undefined;
  const mcs = typeof obj.mcs === "string" ? obj.mcs : undefined;
  for (const c of configs) {
    if (typeof obj[c] !== "string") r.error([...path, c], `missing the text for the ${c} configuration`);
  }
  for (const c of KERNEL_CONFIGS) if (typeof obj[c] === "string") checkPatterns(r, obj[c], [...path, c]);
  return { master: master ?? mcs ?? "", mcs: mcs ?? master ?? "" };
}

function readFailureTexts(r: FieldReader, value: unknown, path: JsonPath): FailureTexts {
  if (value === undefined) return { start: [], finish: [] };
  const obj = r.object(value, path);
  if (!obj) return { start: [], finish: [] };
  r.onlyKeys(obj, path, ["start", "finish"]);
  const texts = { start: r.stringList(obj, "start", path), finish: r.stringList(obj, "finish", path) };
  for (const key of ["start", "finish"] as const) texts[key].forEach((t, n) => checkPatterns(r, t, [...path, key, n]));
  return texts;
}

/**
 * Every line of a completion or failure text must be a pattern the checker can match (an invalid
 * one would otherwise only show up as a line that "never appeared"), with nothing in it that a
 * terminal would interpret when a report shows it.
 */
function checkPatterns(r: FieldReader, text: string, path: JsonPath): void {
  if (!isTerminalSafe(text))
    r.error(path, "holds a control character; write it as an escape in the pattern (\\x1b, \\t)");
  for (const [line, e] of patternErrors(text)) {
    r.error(path, text.includes("\n") ? `line ${line + 1} of the text: ${e.message}` : e.message);
  }
}

export function taskIndex(tut: TutorialDef, name: string): number {
  return tut.tasks.findIndex((t) => t.name === name);
}
