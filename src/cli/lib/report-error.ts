// The message and exit code for an error that reached the top of a command (docs/errors.md shows
// what each bad input prints). main.ts ends every command with it; watch reports a run's error
// with it and goes on.
import { CommanderError } from "commander";
import {
  CommandFailed,
  describeSystemError,
  EXIT_FAILURE,
  EXIT_INTERNAL,
  EXIT_USAGE,
  InternalError,
  Interrupted,
  isSystemError,
  UsageError,
} from "../../app/errors.js";
import { UnknownTutorialError } from "../../tutorial/catalogue.js";
import { NotAnExerciseError } from "../../tutorial/exercise.js";
import { SourceError, SourceErrors } from "../../tutorial/json-source.js";
import { TemplatePathError, UnknownTaskError } from "../../tutorial/render.js";
import { TemplateError } from "../../tutorial/template.js";
import { internalErrorText } from "./internal.js";

const USAGE_ERRORS = [UsageError, UnknownTutorialError, UnknownTaskError, NotAnExerciseError];
const AUTHORING_ERRORS = [SourceError, SourceErrors, TemplateError, TemplatePathError];

/** The message and exit code for an error that reached the top of a command. */
export function reportError(e: unknown): { message: string | null; exitCode: number } {
  if (e instanceof CommanderError) {
    // commander has printed its message; help and version exit 0, any other refusal is a usage error.
    return { message: null, exitCode: e.exitCode === 0 ? 0 : EXIT_USAGE };
  }
  if (USAGE_ERRORS.some((k) => e instanceof k))
    return { message: `sel4tut: ${(e as Error).message}`, exitCode: EXIT_USAGE };
  if (e instanceof CommandFailed)
    return { message: e.reported ? null : `sel4tut: ${e.message}`, exitCode: EXIT_FAILURE };
  if (e instanceof Interrupted) return { message: `sel4tut: ${e.message}`, exitCode: e.exitCode };
  if (AUTHORING_ERRORS.some((k) => e instanceof k)) {
    return { message: `sel4tut: the tutorial has errors:\n${(e as Error).message}`, exitCode: EXIT_FAILURE };
  }
  if (isSystemError(e)) return { message: `sel4tut: ${describeSystemError(e)}`, exitCode: EXIT_FAILURE };
  if (e instanceof InternalError) return { message: internalErrorText(e.message), exitCode: EXIT_INTERNAL };
  const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
  return { message: internalErrorText(detail), exitCode: EXIT_INTERNAL };
}
