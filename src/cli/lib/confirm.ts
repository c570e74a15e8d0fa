// Consent for commands that replace learner files: a question on a terminal, --yes elsewhere.
// Scripts and CI never hang on a question nobody can answer; they get a usage error instead.
import { createInterface } from "node:readline";
import { UsageError } from "../../app/errors.js";

export interface Terminal {
  input: NodeJS.ReadableStream & { isTTY?: boolean };
  output: NodeJS.WritableStream & { isTTY?: boolean };
  env: NodeJS.ProcessEnv;
}

const PROCESS_TERMINAL: Terminal = { input: process.stdin, output: process.stdout, env: process.env };

/** Someone can answer a question: both ends are a terminal, and it is not a CI job. */
export function canAsk(t: Terminal = PROCESS_TERMINAL): boolean {
  return Boolean(t.input.isTTY && t.output.isTTY) && !t.env["CI"];
}

/** Asks a yes/no question; anything but y/yes (including end of input) is no. */
export function ask(question: string, t: Terminal = PROCESS_TERMINAL): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: t.input, output: t.output, terminal: false });
    let answered = false;
    rl.once("line", (line) => {
      answered = true;
      rl.close();
      resolve(/^\s*y(es)?\s*$/i.test(line));
    });
    rl.once("close", () => {
      if (!answered) resolve(false);
    });
    t.output.write(`${question} [y/N] `);
  });
}

export interface ConsentRequest {
  /** --yes was given. */
  yes: boolean;
  /** The question, e.g. "Reset handler.ts to the start of fault-badge?" */
  question: string;
  /** What would be overwritten, for the refusal message. */
  what: string;
  /** The command to run instead, with --yes. */
  withYes: string;
}

/** True when the learner agreed; throws a usage error when nobody can be asked and --yes is missing. */
export async function consent(req: ConsentRequest, t: Terminal = PROCESS_TERMINAL): Promise<boolean> {
  if (req.yes) return true;
  if (!canAsk(t)) {
    throw new UsageError(
      `${req.what}; without a terminal to ask on, it needs --yes to go ahead: ${req.withYes}. Nothing was changed.`,
    );
  }
  return ask(req.question, t);
}
