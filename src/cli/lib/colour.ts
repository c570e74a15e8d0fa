// Colour preference. chalk detects the terminal and honours FORCE_COLOR, but not NO_COLOR
// (no-color.org): a non-empty NO_COLOR turns colour off unless FORCE_COLOR asks for it, the
// precedence Node's own tty.getColorDepth uses.
import chalk from "chalk";

type ColourLevel = 0 | 1 | 2 | 3;

/** The colour level to use, given the environment and what chalk detected. */
export function colourLevel(env: NodeJS.ProcessEnv, detected: ColourLevel): ColourLevel {
  if (env.FORCE_COLOR !== undefined) return detected;
  return env.NO_COLOR !== undefined && env.NO_COLOR !== "" ? 0 : detected;
}

export function applyColourPreference(env: NodeJS.ProcessEnv = process.env): void {
  chalk.level = colourLevel(env, chalk.level);
}
