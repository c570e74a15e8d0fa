// Creating an exercise directory and its build directory from a tutorial (`sel4tut init`).
// Nothing that exists is ever overwritten: if either directory exists, nothing is written.
import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { sel4TypingsFile } from "../compile/typings.js";
import { generateCSpaceModules } from "../loader/cspace-module.js";
import { checkSystemSpec, loadSystemSpec } from "../loader/spec.js";
import { locateTutorial } from "../tutorial/catalogue.js";
import { buildDirFor, STATE_DIR, writeBuildMarker, writeExerciseRecord } from "../tutorial/exercise.js";
import type { KernelConfig } from "../abi/constants.js";
import { SourceError, SourceErrors } from "../tutorial/json-source.js";
import { loadTutorial, type TutorialDef } from "../tutorial/schema.js";
import { freshProgress, writeProgress } from "../tutorial/progress.js";
import { renderReadme, renderSources, stageFor } from "../tutorial/render.js";
import type { Stage } from "../tutorial/template.js";
import { CommandFailed } from "./errors.js";
import { sel4tutVersion } from "./package-info.js";

export interface ScaffoldOptions {
  tutorial: string;
  cwd: string;
  dir?: string;
  task?: string;
  solution: boolean;
  /** Which configuration's typings the editor sees. */
  editorConfig: KernelConfig;
}

export interface Scaffolded {
  dir: string;
  buildDir: string;
  tut: TutorialDef;
  stage: Stage;
  warnings: string[];
}

/** The sel4 typings, copied for editors; sel4.d.ts there declares both configurations' forms. */
const EDITOR_TYPES_DIR = join(STATE_DIR, "types");
const EDITOR_GEN_DIR = join(STATE_DIR, "gen");

const EDITOR_TSCONFIG = `// For your editor only (it sees both configurations at once); sel4tut builds each configuration on its own.
{
  "compilerOptions": {
    "target": "ES2022",
    "module": "commonjs",
    "moduleResolution": "node10",
    "lib": ["ES2022"],
    "types": [],
    "strict": true,
    "noEmit": true,
    "rootDirs": [".", "./.sel4tut/gen"],
    "paths": { "sel4": ["./.sel4tut/types/sel4.d.ts"] }
  },
  "include": ["*.ts", ".sel4tut/gen/*.ts"]
}
`;

/** The cspace modules an editor sees: the chosen configuration's, plus the other's extra caps. */
function editorCSpaceModules(tut: TutorialDef, config: KernelConfig): Map<string, string> {
  const mine = generateCSpaceModules(loadSystemSpec(tut.systemFile, config));
  const other: KernelConfig = config === "mcs" ? "master" : "mcs";
  if (!tut.configs.includes(other)) return mine;
  const theirs = generateCSpaceModules(loadSystemSpec(tut.systemFile, other));
  for (const [file, text] of theirs) {
    const have = mine.get(file) ?? "";
    const extra = text.split("\n").flatMap((line, i, all) => {
      const m = /^export const (\w+) = /.exec(line);
      if (!m || have.includes(`export const ${m[1]} = `)) return [];
      return [`/** Only on ${other}: ${(all[i - 1] ?? "").replace(/^\/\*\* | \*\/$/g, "")} */`, line];
    });
    if (extra.length > 0) mine.set(file, `${have}\n${extra.join("\n")}\n`);
  }
  return mine;
}

/** Every thread the system spec runs, on every configuration, needs a template that renders its source. */
function requireThreadSources(tut: TutorialDef, sources: ReadonlyMap<string, string>): void {
  const missing = new Map<string, SourceError>();
  for (const config of tut.configs) {
    for (const t of loadSystemSpec(tut.systemFile, config).threads) {
      if (sources.has(t.source) || missing.has(t.name)) continue;
      const { line, column, path } = t.at ?? { line: 1, column: 1, path: `threads.${t.name}` };
      missing.set(
        t.name,
        new SourceError(
          tut.systemFile,
          line,
          column,
          path,
          `no template in ${tut.templatesDir} renders ${t.source} (thread ${t.name})`,
        ),
      );
    }
  }
  if (missing.size > 0) throw new SourceErrors([...missing.values()]);
}

export function scaffoldExercise(opts: ScaffoldOptions): Scaffolded {
  const location = locateTutorial(opts.tutorial, opts.cwd);
  const tut = loadTutorial(location.dir);
  checkSystemSpec(tut.systemFile, tut.configs);
  const stage = stageFor(tut, opts.task, opts.solution);
  const dir = resolve(opts.cwd, opts.dir ?? tut.name);
  const buildDir = buildDirFor(dir);
  for (const d of [dir, buildDir]) {
    if (existsSync(d))
      throw new CommandFailed(
        `${d} already exists; sel4tut never overwrites it. Choose another directory: sel4tut init --tut ${opts.tutorial} DIR`,
      );
  }
  const sources = renderSources(tut, stage);
  requireThreadSources(tut, sources);
  // A tutorial written for one kernel only (mcs) is edited against that kernel's typings.
  const editorConfig = tut.configs.includes(opts.editorConfig) ? opts.editorConfig : tut.configs[0]!;
  const warnings: string[] = [];
  let typings: string | null = null;
  try {
    typings = sel4TypingsFile(editorConfig);
  } catch (e) {
    warnings.push(`editor typings not installed: ${(e as Error).message}`);
  }

  mkdirSync(dirname(dir), { recursive: true });
  mkdirSync(dir);
  try {
    mkdirSync(buildDir);
  } catch (e) {
    rmSync(dir, { recursive: true });
    throw e;
  }
  try {
    const write = (name: string, text: string) => {
      const f = join(dir, name);
      mkdirSync(dirname(f), { recursive: true });
      writeFileSync(f, text, { flag: "wx" });
    };
    for (const [name, text] of sources) write(name, text);
    write("README.md", renderReadme(tut, stage));
    write("tsconfig.json", EDITOR_TSCONFIG);
    for (const [name, text] of editorCSpaceModules(tut, editorConfig)) write(join(EDITOR_GEN_DIR, name), text);
    if (typings) cpSync(dirname(typings), join(dir, EDITOR_TYPES_DIR), { recursive: true });
    const task = tut.tasks[stage.task]!.name;
    writeExerciseRecord(dir, {
      schemaVersion: 1,
      sel4tutVersion: sel4tutVersion(),
      tutorial: { name: tut.name, builtin: location.builtinName !== null, dir: tut.dir },
      task,
      solution: stage.solution,
      editorConfig,
      buildDir: `../${basename(buildDir)}`,
      sources: [...sources.keys()],
    });
    writeProgress(dir, freshProgress(tut.name, task));
    writeBuildMarker(buildDir, dir);
  } catch (e) {
    // Both directories are ours (created above), so a failed init leaves nothing behind.
    rmSync(dir, { recursive: true, force: true });
    rmSync(buildDir, { recursive: true, force: true });
    throw e;
  }
  return { dir, buildDir, tut, stage, warnings };
}
