// Errors that commands turn into exit codes: usage errors exit 2, failures exit 1.

export class UsageError extends Error {
  readonly exitCode = 2;
}

export class CommandFailed extends Error {
  readonly exitCode = 1;
  /** True when the command has already told the learner what went wrong. */
  constructor(message: string, readonly reported = false) {
    super(message);
  }
}
