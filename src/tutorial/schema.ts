// The tutorial format (tutorials/NAME/tutorial.json), documented in docs/authoring.md.
import { existsSync, readFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { KERNEL_CONFIGS, type KernelConfig } from "../abi/constants.js";
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

interface TaskDef {
  name: string;
  title: string;
  /** START completion text per config, after the official fallback (previous task's FINISH). */
  start: PerConfig<string>;
  finish: PerConfig<string>;
  failureTexts: FailureTexts;
  hints: readonly string[];
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
  "schemaVersion", "name", "title", "summary", "lesson", "templates", "system", "configs",
  "failureTexts", "simTimeLimitMs", "tasks",
] as const;
const TASK_KEYS = ["name", "title", "start", "finish", "failureTexts", "hints"] as const;

export function loadTutorial(dir: string): TutorialDef {
  const file = resolve(dir, TUTORIAL_FILE);
  const doc = parseJsonDocument(file, readFileSync(file, "utf8"));
  const r = new FieldReader(doc, schemaErrors(doc, "tutorial"));
  const top = r.object(doc.value, []) ?? {};
  r.onlyKeys(top, [], TOP_KEYS);
  if (top.schemaVersion !== 1) r.error(["schemaVersion"], "schemaVersion must be 1");
  const name = r.string(top, "name", []) ?? "";
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
    if (tasks.some((x) => x.name === taskName)) r.error([...path, "name"], `duplicate task name "${taskName}"`);
    const finish = readPerConfig(r, t.finish, [...path, "finish"], configs) ?? { master: "", mcs: "" };
    let start = t.start === undefined ? undefined : readPerConfig(r, t.start, [...path, "start"], configs);
    // The official rule: a task without its own START text uses the previous task's FINISH.
    if (!start) {
      const prev = tasks[tasks.length - 1];
      if (prev) start = prev.finish;
      else r.error([...path], "the first task must have a \"start\" text");
    }
    const own = readFailureTexts(r, t.failureTexts, [...path, "failureTexts"]);
    const hints = r.stringList(t, "hints", path);
    if (hints.length === 0) r.error([...path, "hints"], "give each task at least one hint");
    tasks.push({
      name: taskName,
      title: r.string(t, "title", path) ?? taskName,
      start: start ?? finish,
      finish,
      failureTexts: {
        start: [OFFICIAL_FAILURE_TEXT, ...tutorialFailures.start, ...own.start],
        finish: [OFFICIAL_FAILURE_TEXT, ...tutorialFailures.finish, ...own.finish],
      },
      hints,
    });
  });
  const simTimeLimitMs = r.optInteger(top, "simTimeLimitMs", [], 1, 3_600_000) ?? 1_000;
  const def: TutorialDef = {
    name,
    title: r.string(top, "title", []) ?? name,
    summary: r.optString(top, "summary", []) ?? "",
    dir: base,
    lessonFile: resolve(base, r.optString(top, "lesson", []) ?? "lesson.md"),
    templatesDir: resolve(base, r.optString(top, "templates", []) ?? "templates"),
    systemFile: resolve(base, r.optString(top, "system", []) ?? "system.json"),
    configs,
    tasks,
    simTimeLimitMs,
  };
  for (const [key, path] of [["lesson", def.lessonFile], ["templates", def.templatesDir], ["system", def.systemFile]] as const) {
    if (!existsSync(path)) r.error([key], `${path} does not exist`);
  }
  r.finish();
  return def;
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
  r: FieldReader, value: unknown, path: JsonPath, configs: readonly KernelConfig[],
): PerConfig<string> | undefined {
  if (typeof value === "string") return { master: value, mcs: value };
  const obj = r.object(value, path);
  if (!obj) return undefined;
  r.onlyKeys(obj, path, KERNEL_CONFIGS);
  const master = typeof obj.master === "string" ? obj.master : undefined;
  const mcs = typeof obj.mcs === "string" ? obj.mcs : undefined;
  for (const c of configs) {
    if (typeof obj[c] !== "string") r.error([...path, c], `missing the text for the ${c} configuration`);
  }
  return { master: master ?? mcs ?? "", mcs: mcs ?? master ?? "" };
}

function readFailureTexts(r: FieldReader, value: unknown, path: JsonPath): FailureTexts {
  if (value === undefined) return { start: [], finish: [] };
  const obj = r.object(value, path);
  if (!obj) return { start: [], finish: [] };
  r.onlyKeys(obj, path, ["start", "finish"]);
  return { start: r.stringList(obj, "start", path), finish: r.stringList(obj, "finish", path) };
}

export function taskIndex(tut: TutorialDef, name: string): number {
  return tut.tasks.findIndex((t) => t.name === name);
}
