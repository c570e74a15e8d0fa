// sel4tut doctor: a report to paste into a question or a bug report. Exit 0 when nothing is
// wrong, 1 when something is (each problem named with what to do).
import type { Command } from "commander";
import { doctorReport } from "../lib/doctor-report.js";
import { CommandFailed } from "../../app/errors.js";

export function registerDoctor(program: Command): void {
  program
    .command("doctor")
    .description("check Node, the terminal and the exercise; print a report to paste when asking for help")
    .action(() => {
      const { text, problems } = doctorReport(process.cwd());
      console.log(text);
      if (problems > 0) throw new CommandFailed(`doctor found ${problems} problem${problems === 1 ? "" : "s"}`, true);
    });
}
