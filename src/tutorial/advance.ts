// Moving a learner's files from one task to another without losing their work: a three-way merge
// per file, with the passed task's solution render as the common ancestor, the next task's start
// render as "theirs" and the learner's file as "mine". What the tutorial changes between the two
// renders (the next task's start code) comes in; what the learner changed (their solution, their
// comments) stays. Where both changed the same lines the merge is a conflict, which is shown and
// never written into the learner's file.
import { diff3Merge, mergeDiff3 } from "node-diff3";
import type { TutorialDef } from "./schema.js";
import { renderSources } from "./render.js";

export interface Conflict {
  /** 1-based line in the learner's file where the conflicting region starts (or would be inserted). */
  line: number;
  mine: string[];
  solved: string[];
  next: string[];
}

export type FileAdvance =
  /** The tutorial changes nothing in this file between the two tasks, or the merge equals the learner's file. */
  | { file: string; kind: "unchanged" }
  | { file: string; kind: "clean"; merged: string }
  /** `marked`: the merge with conflict markers, for a copy beside the learner's file. */
  | { file: string; kind: "conflict"; conflicts: Conflict[]; marked: string };

/** Labels of the conflict markers: who each side is. */
function labels(tut: TutorialDef, from: number, to: number, file: string) {
  return { a: `yours (${file})`, o: `${tut.tasks[from]!.name} solved`, b: `${tut.tasks[to]!.name} start` };
}

function mergeFile(
  file: string,
  mine: string,
  base: string,
  theirs: string,
  label: { a: string; o: string; b: string },
): FileAdvance {
  if (base === theirs || mine === theirs) return { file, kind: "unchanged" };
  if (mine === base) return { file, kind: "clean", merged: theirs };
  const [a, o, b] = [mine.split("\n"), base.split("\n"), theirs.split("\n")];
  const regions = diff3Merge(a, o, b, { excludeFalseConflicts: true });
  const conflicts: Conflict[] = [];
  const merged: string[] = [];
  for (const r of regions) {
    if (r.ok) merged.push(...r.ok);
    else if (r.conflict)
      conflicts.push({ line: r.conflict.aIndex + 1, mine: r.conflict.a, solved: r.conflict.o, next: r.conflict.b });
  }
  if (conflicts.length === 0) {
    const text = merged.join("\n");
    return text === mine ? { file, kind: "unchanged" } : { file, kind: "clean", merged: text };
  }
  const marked = mergeDiff3(a, o, b, { excludeFalseConflicts: true, label }).result.join("\n");
  return { file, kind: "conflict", conflicts, marked };
}

/**
 * Each tutorial source of the learner's, moved from the end of task `from` (its solution) to the
 * start of task `to`. Files the learner no longer has are left out.
 */
export function advanceFiles(
  tut: TutorialDef,
  from: number,
  to: number,
  mine: ReadonlyMap<string, string>,
): FileAdvance[] {
  const base = renderSources(tut, { task: from, solution: true });
  const theirs = renderSources(tut, { task: to, solution: false });
  const out: FileAdvance[] = [];
  for (const [file, next] of theirs) {
    const own = mine.get(file);
    if (own === undefined) continue;
    out.push(mergeFile(file, own, base.get(file) ?? "", next, labels(tut, from, to, file)));
  }
  return out;
}
