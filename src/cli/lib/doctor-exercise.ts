// The doctor's look at the exercise it runs in, if any: record, tutorial, task, sources, build
// directory, progress and snapshots. Unlike the other commands it changes nothing (no note is
// marked as shown, no damaged file is moved aside), so running it is always safe.
import { accessSync, constants, existsSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { outDirFor } from "../../compile/index.js";
import {
  buildDirBelongsTo,
  describeSourceProblem,
  ExerciseRecordError,
  findExercise,
  NotAnExerciseError,
  sourceProblem,
  type Exercise,
} from "../../tutorial/exercise.js";
import { loadTutorial, taskIndex, type TutorialDef } from "../../tutorial/schema.js";
import { isProgress, PROGRESS_FILE, PROGRESS_SCHEMA, type Progress } from "../../tutorial/progress.js";
import { recordErrorText, tutorialDirOf } from "../../app/context.js";
import { bad, ok, type Finding } from "./findings.js";
import { listSnapshots } from "../../app/history.js";
import { pollingNeeded } from "../../app/watch-files.js";

function locate(cwd: string): Exercise | Finding {
  try {
    return findExercise(cwd);
  } catch (e) {
    if (e instanceof ExerciseRecordError) return bad("exercise", e.file, recordErrorText(e));
    if (!(e instanceof NotAnExerciseError)) throw e;
    // Outside any exercise is fine; inside the build directory of a vanished one is not.
    const outside = e.message.startsWith(`${resolve(cwd)} is not inside`);
    return outside
      ? ok("exercise", "none (not run inside an exercise directory)")
      : bad("exercise", "not found", e.message);
  }
}

/** The progress file as it is, without the repair that readProgress does. */
function readProgressAsIs(dir: string): { progress: Progress | null; finding: Finding } {
  const file = join(dir, PROGRESS_FILE);
  if (!existsSync(file))
    return { progress: null, finding: ok("progress", "none yet (the first check or hint writes it)") };
  let value: unknown;
  try {
    value = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    return {
      progress: null,
      finding: bad(
        "progress",
        `${file}: not JSON`,
        `${file} is damaged (${(e as Error).message}); the next command keeps it aside as progress.json.broken-N and starts afresh`,
      ),
    };
  }
  const version = (value as { schemaVersion?: unknown } | null)?.schemaVersion;
  if (typeof version === "number" && version > PROGRESS_SCHEMA) {
    return {
      progress: null,
      finding: bad(
        "progress",
        `format ${version}`,
        `${file} was written by a newer sel4tut (format ${version}); update sel4tut: npm install -g sel4tut@latest`,
      ),
    };
  }
  if (!isProgress(value) || version !== PROGRESS_SCHEMA) {
    return {
      progress: null,
      finding: bad(
        "progress",
        `${file}: unexpected content`,
        `${file} is not a progress file this sel4tut reads; the next command keeps it aside as progress.json.broken-N and starts afresh`,
      ),
    };
  }
  const passed = Object.entries(value.passed).flatMap(([t, cs]) => Object.keys(cs).map((c) => `${t} on ${c}`));
  return {
    progress: value,
    finding: ok("progress", `readable; passed: ${passed.length > 0 ? passed.join(", ") : "nothing yet"}`),
  };
}

function taskFinding(tut: TutorialDef, current: string): Finding {
  const i = taskIndex(tut, current);
  if (i < 0)
    return bad(
      "task",
      current,
      `the current task "${current}" is not a task of ${tut.name} any more; commands start from ${tut.tasks[0]!.name}`,
    );
  return ok("task", `${current}, ${i + 1} of ${tut.tasks.length} (${tut.tasks[i]!.title})`);
}

function sourcesFinding(ex: Exercise): Finding {
  for (const f of ex.record.sources) {
    const problem = sourceProblem(ex.dir, f);
    if (problem && problem !== "missing")
      return bad("sources", `${f} is not a plain file`, describeSourceProblem(f, problem));
  }
  const missing = ex.record.sources.filter((f) => sourceProblem(ex.dir, f) === "missing");
  if (missing.length === 0) return ok("sources", `${ex.record.sources.join(", ")}: present`);
  return bad(
    "sources",
    `missing ${missing.join(", ")}`,
    `${missing.join(", ")} ${missing.length === 1 ? "is" : "are"} missing, so the exercise cannot run; sel4tut reset --yes ${missing.join(" ")} writes the current task's start code`,
  );
}

function buildFinding(ex: Exercise, tut: TutorialDef | null): Finding {
  const { dir, buildDir } = ex;
  if (!existsSync(buildDir)) return ok("build dir", `${buildDir}: not made yet (the next build makes it)`);
  if (!buildDirBelongsTo(buildDir, dir)) {
    return bad(
      "build dir",
      `${buildDir}: not this exercise's`,
      `${buildDir} exists but is not this exercise's build directory; move it away or rename the exercise`,
    );
  }
  const configs = tut?.configs ?? ["master", "mcs"];
  const built = configs.map((c) => `${c} ${existsSync(outDirFor(buildDir, c)) ? "built" : "not built"}`).join(", ");
  return ok(
    "build dir",
    `${buildDir}: ${built}${ex.movedFrom ? ` (the exercise was moved from next to ${ex.movedFrom}; the next command adopts it)` : ""}`,
  );
}

function writableFinding(dir: string): Finding {
  try {
    accessSync(dir, constants.W_OK);
    return ok("writable", "yes");
  } catch {
    return bad(
      "writable",
      "no",
      `${dir} is not writable, so progress and snapshots cannot be saved; work in a directory of your own`,
    );
  }
}

function tutorialFindings(ex: Exercise): { tut: TutorialDef | null; findings: Finding[] } {
  const tutDir = tutorialDirOf(ex);
  const where = ex.record.tutorial.builtin ? "built in" : tutDir;
  try {
    const tut = loadTutorial(tutDir);
    return { tut, findings: [ok("tutorial", `${tut.name} (${where})`)] };
  } catch (e) {
    const why = existsSync(tutDir) ? (e as Error).message.split("\n")[0] : "it is no longer there";
    return {
      tut: null,
      findings: [
        bad("tutorial", `${ex.record.tutorial.name} (${where})`, `the tutorial at ${tutDir} cannot be loaded: ${why}`),
      ],
    };
  }
}

/** How sel4tut watch would notice saves here (file events, or polling where events do not arrive). */
function watchFinding(dir: string): Finding {
  const why = pollingNeeded(dir);
  return ok("watch", why === null ? "file events (sel4tut watch --poll if saves go unnoticed)" : `polling: ${why}`);
}

export function exerciseFindings(cwd: string): Finding[] {
  const found = locate(cwd);
  if (!("record" in found)) return [found];
  const { tut, findings } = tutorialFindings(found);
  const { progress, finding: progressFinding } = readProgressAsIs(found.dir);
  const snapshots = listSnapshots(found.dir);
  return [
    ok("exercise", `${found.dir} (made by sel4tut ${found.record.sel4tutVersion ?? "0.1.0"})`),
    ...findings,
    ...(tut ? [taskFinding(tut, progress?.currentTask ?? found.record.task)] : []),
    sourcesFinding(found),
    buildFinding(found, tut),
    progressFinding,
    writableFinding(found.dir),
    ok(
      "snapshots",
      snapshots.length === 0
        ? "none"
        : `${snapshots.length}, latest ${snapshots.at(-1)!.sequence} (sel4tut restore --list)`,
    ),
    watchFinding(found.dir),
  ];
}
