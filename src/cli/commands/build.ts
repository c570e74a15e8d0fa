// sel4tut build [--mcs | --all]: type-check and emit, incrementally (ninja).
import type { Command } from "commander";
import type { KernelConfig } from "../../abi/constants.js";
import { loadContext, requireConfig, targetFor } from "../../app/context.js";
import { note } from "../lib/note.js";
import { buildOrFail } from "../lib/exercise-run.js";
import { configOf, MCS_OPTION } from "../lib/options.js";

export function registerBuild(program: Command): void {
  program
    .command("build")
    .description("type-check and compile the exercise (only if something changed)")
    .addOption(MCS_OPTION("build for the MCS configuration"))
    .option("--all", "build for every configuration the tutorial supports")
    .action(async (opts: { mcs?: boolean; all?: boolean }) => {
      const ctx = loadContext(process.cwd(), note);
      const configs: readonly KernelConfig[] = opts.all ? ctx.tut.configs : [configOf(opts, ctx.tut)];
      for (const config of configs) {
        requireConfig(ctx.tut, config);
        const target = targetFor(ctx, config);
        const { build } = await buildOrFail(target, (s) => console.log(s));
        console.log(build.status === "up-to-date" ? `${config}: no work to do.` : `${config}: built.`);
      }
    });
}
