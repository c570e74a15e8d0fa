// How reset and restore tell what they did: where the old files went and how to undo it.
import { CommandFailed } from "../../app/errors.js";
import { fileList, type Replaced } from "./replace-files.js";

/** Prints the outcome; `done` says what was written, `unchanged` why nothing needed writing. */
export function reportReplaced(
  r: Replaced,
  command: string,
  text: { done: (files: string) => string; unchanged: string },
): void {
  switch (r.kind) {
    case "unchanged":
      console.log(text.unchanged);
      return;
    case "declined":
      throw new CommandFailed(`${command} cancelled: nothing was changed`);
    case "done":
      console.log(
        `Kept your previous ${fileList(r.snapshot.files.map((f) => f.path))} in ${r.snapshot.dir} (snapshot ${r.snapshot.sequence}).`,
      );
      console.log(text.done(fileList(r.files)));
      console.log("Undo with: sel4tut restore");
  }
}
