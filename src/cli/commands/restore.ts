// sel4tut restore [N] [--list] [--yes]: put back the files a snapshot kept (the latest by
// default). The files it replaces are snapshotted first, so a restore is undone by another.
import type { Command } from "commander";
import { YES_OPTION } from "../lib/options.js";
import { join } from "node:path";
import { loadContext } from "../../app/context.js";
import { note } from "../lib/note.js";
import { UsageError } from "../../app/errors.js";
import {
  describeSnapshot,
  HISTORY_DIR,
  listSnapshots,
  snapshotFiles,
  snapshotReason,
  type Snapshot,
} from "../../app/history.js";
import { replaceFiles } from "../lib/replace-files.js";
import { reportReplaced } from "../lib/replace-report.js";

function printList(exerciseDir: string, snapshots: readonly Snapshot[]): void {
  if (snapshots.length === 0) {
    console.log("No snapshots yet. sel4tut reset and sel4tut restore keep one each time they replace your files.");
    return;
  }
  console.log(`Snapshots in ${join(exerciseDir, HISTORY_DIR)}, oldest first:`);
  for (const s of snapshots) console.log(`  ${String(s.sequence).padStart(3)}  ${describeSnapshot(s)}`);
  console.log(
    `sel4tut restore puts back snapshot ${snapshots.at(-1)!.sequence}; sel4tut restore N puts back snapshot N.`,
  );
}

function chosenSnapshot(snapshots: readonly Snapshot[], asked: string | undefined): Snapshot {
  if (snapshots.length === 0) {
    throw new UsageError(
      "there is nothing to restore: no snapshot has been taken yet (sel4tut reset takes one before it changes your files)",
    );
  }
  if (asked === undefined) return snapshots.at(-1)!;
  const found = snapshots.find((s) => String(s.sequence) === asked);
  if (!found)
    throw new UsageError(
      `there is no snapshot "${asked}" (snapshots: ${snapshots.map((s) => s.sequence).join(", ")}; see sel4tut restore --list)`,
    );
  return found;
}

export function registerRestore(program: Command): void {
  program
    .command("restore")
    .description("put back the files that reset (or restore) replaced; --list shows the snapshots")
    .argument("[snapshot]", "the snapshot number (default: the latest)")
    .option("--list", "list the snapshots instead of restoring one")
    .addOption(YES_OPTION())
    .action(async (asked: string | undefined, opts: { list?: boolean; yes?: boolean }) => {
      const ctx = loadContext(process.cwd(), note);
      const snapshots = listSnapshots(ctx.exercise.dir);
      if (opts.list) {
        if (asked !== undefined) throw new UsageError("restore --list takes no snapshot number");
        printList(ctx.exercise.dir, snapshots);
        return;
      }
      const s = chosenSnapshot(snapshots, asked);
      const result = await replaceFiles({
        exerciseDir: ctx.exercise.dir,
        wanted: snapshotFiles(s),
        reason: { command: "restore", restoring: s.sequence },
        yes: opts.yes ?? false,
        action: (files) => `Restore ${files} from snapshot ${s.sequence} (${snapshotReason(s)})`,
        withYes: `sel4tut restore --yes${asked !== undefined ? ` ${asked}` : ""}`,
      });
      reportReplaced(result, "restore", {
        done: (files) => `Restored ${files} from snapshot ${s.sequence}.`,
        unchanged: `Nothing to restore: your files already match snapshot ${s.sequence}.`,
      });
    });
}
