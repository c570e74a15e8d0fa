// Errors that commands turn into exit codes (docs/errors.md lists what each bad input shows):
// 0 success, 1 failure, 2 usage, 70 internal error (a bug in sel4tut), 130 interrupted (Ctrl-C).

export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;
export const EXIT_INTERNAL = 70;
export const EXIT_INTERRUPTED = 130;

export class UsageError extends Error {
  readonly exitCode = EXIT_USAGE;
}

export class CommandFailed extends Error {
  readonly exitCode = EXIT_FAILURE;
  /** True when the command has already told the learner what went wrong. */
  constructor(
    message: string,
    readonly reported = false,
  ) {
    super(message);
  }
}

/** Ctrl-C (SIGINT) stopped a run: nothing was judged and nothing was recorded. */
export class Interrupted extends Error {
  readonly exitCode = EXIT_INTERRUPTED;
  constructor() {
    super("interrupted (Ctrl-C): the run was stopped; nothing was checked and no file was changed");
  }
}

/** A failure of sel4tut itself, found and described by sel4tut (the machine's internal-error outcome). */
export class InternalError extends Error {
  readonly exitCode = EXIT_INTERNAL;
}

/** An error from a Node file-system call: it has an errno code and (usually) the path it was about. */
interface SystemError extends Error {
  code: string;
  syscall?: string;
  path?: string;
  dest?: string;
}

export function isSystemError(e: unknown): e is SystemError {
  return e instanceof Error && typeof (e as SystemError).code === "string" && /^E[A-Z]+$/.test((e as SystemError).code);
}

/** What each errno means for a learner, and what to do about it. */
const SYSTEM_ERRORS: Record<string, string> = {
  EACCES: "permission denied. Check that you own this directory (ls -ld), or work in a directory of your own",
  EPERM: "the operation is not permitted. Check the file's permissions, or work in a directory of your own",
  EROFS: "the file system is read-only. Work in a directory you can write to (for example under your home directory)",
  ENOSPC: "the disk is full. Free some space and run the command again",
  EDQUOT: "your disk quota is used up. Free some space and run the command again",
  EISDIR: "it is a directory where sel4tut expects a file",
  ENOTDIR: "a part of that path is a file where sel4tut expects a directory",
  ENOENT: "it does not exist",
  EEXIST: "it already exists; sel4tut never overwrites it",
  EMFILE: "too many files are open. Close some programs and run the command again",
  ENFILE: "too many files are open. Close some programs and run the command again",
  EBUSY: "it is busy (another program is using it). Try again",
  ENAMETOOLONG: "the path is too long. Use a shorter directory name",
  ELOOP: "the path has a symbolic-link loop",
  EIO: "the disk reported an input/output error",
};

const VERBS: Record<string, string> = {
  open: "open",
  read: "read",
  write: "write to",
  mkdir: "create the directory",
  rename: "rename",
  unlink: "delete",
  rmdir: "delete the directory",
  scandir: "list the directory",
  copyfile: "copy",
  cp: "copy",
  rm: "delete",
  stat: "look at",
  lstat: "look at",
  access: "access",
  opendir: "list the directory",
};

/** What failed and why, for a learner, without a stack trace. */
export function describeSystemCause(e: SystemError): string {
  const verb = (e.syscall && VERBS[e.syscall]) ?? "use";
  const target = e.path ? ` ${e.path}${e.dest ? ` (to ${e.dest})` : ""}` : " a file";
  const why = SYSTEM_ERRORS[e.code] ?? e.message;
  return `cannot ${verb}${target} (${e.code}): ${why}.`;
}

/** A one-paragraph explanation of a file-system error that happened before any learner file was written. */
export function describeSystemError(e: SystemError): string {
  return `${describeSystemCause(e)} None of your .ts files was changed.`;
}
