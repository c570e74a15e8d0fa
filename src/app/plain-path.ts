// reset and restore write learner files by names that come from a tutorial's templates or from a
// snapshot's manifest (a file on disk anyone could edit). Before anything is read or written, each
// name must stay inside its directory and go through no symbolic link, so a planted link such as
// `handler.ts -> /home/me/.bashrc` or `.sel4tut/history -> /etc` cannot turn a write meant for
// the exercise into one elsewhere. What exists is checked part by part with lstat (which does
// not follow links); what does not exist yet is created by sel4tut itself, as a plain directory.
import { lstatSync } from "node:fs";
import { isAbsolute, join, normalize, sep } from "node:path";
import { CommandFailed } from "./errors.js";

/** The absolute path of `rel` inside `dir`, or a CommandFailed naming the link or the escape. */
export function plainPath(dir: string, rel: string): string {
  const parts = normalize(rel).split(sep);
  if (rel === "" || isAbsolute(rel) || parts[0] === "..") {
    throw new CommandFailed(
      `"${rel}" is not a path inside ${dir}; sel4tut only writes inside the exercise. Nothing was changed.`,
    );
  }
  let path = dir;
  for (const part of parts) {
    path = join(path, part);
    const stat = lstatSync(path, { throwIfNoEntry: false });
    if (!stat) break;
    if (stat.isSymbolicLink()) {
      throw new CommandFailed(
        `${path} is a symbolic link; sel4tut never reads or writes learner files through one, so that nothing outside ` +
          `the exercise can change. Replace it with the file itself (or remove it), then run the command again. Nothing was changed.`,
      );
    }
  }
  return path;
}

/** Every name of `names` must be a plain path inside `dir` (see plainPath). */
export function requirePlainPaths(dir: string, names: Iterable<string>): void {
  for (const name of names) plainPath(dir, name);
}
