// sel4tut build [--mcs | --all]: type-check and emit, incrementally (ninja).
import type { Command } from "commander";
import type { KernelConfig } from "../../abi/constants.js";
import { loadContext, targetFor } from "../lib/context.js";
import { buildOrFail, configOf, requireConfig } from "../lib/exercise-run.js";

export function registerBuild(program: Command): void {
  program
    .command("build")
    .description("type-check and compile the exercise (only if something changed)")
    .option("--mcs", "build for the MCS configuration")
    .option("--all", "build for every configuration the tutorial supports")
    .action(async (opts: { mcs?: boolean; all?: boolean }) => {
      const ctx = loadContext(process.cwd());
      const configs: readonly KernelConfig[] = opts.all ? ctx.tut.configs : [configOf(opts)];
      for (const config of configs) {
        requireConfig(ctx.tut, config);
        const target = targetFor(ctx, config);
        const { build } = await buildOrFail(target, (s) => console.log(s));
        console.log(build.status === "up-to-date" ? `${config}: no work to do.` : `${config}: built.`);
      }
    });
}
