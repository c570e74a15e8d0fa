// What reaches the top of a command becomes one message and one exit code (in process).
import { describe, expect, it } from "vitest";
import { CommanderError } from "commander";
import { reportError } from "../../src/cli/main.js";
import { CommandFailed, Interrupted, UsageError } from "../../src/app/errors.js";

function systemError(code: string, syscall: string, path: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code, syscall, path });
}

describe("reportError", () => {
  it("user errors: a sel4tut: line and no stack", () => {
    expect(reportError(new UsageError("bad"))).toEqual({ message: "sel4tut: bad", exitCode: 2 });
    expect(reportError(new CommandFailed("failed"))).toEqual({ message: "sel4tut: failed", exitCode: 1 });
    expect(reportError(new CommandFailed("said already", true))).toEqual({ message: null, exitCode: 1 });
    expect(reportError(new Interrupted()).exitCode).toBe(130);
    expect(reportError(new CommanderError(1, "commander.unknownOption", "x")).exitCode).toBe(2);
    expect(reportError(new CommanderError(0, "commander.helpDisplayed", "x")).exitCode).toBe(0);
  });

  it("file-system errors: what, where, why and what to do", () => {
    expect(reportError(systemError("EACCES", "mkdir", "/x/ex"))).toEqual({
      message:
        "sel4tut: cannot create the directory /x/ex (EACCES): permission denied. Check that you own this directory (ls -ld), " +
        "or work in a directory of your own. None of your .ts files was changed.",
      exitCode: 1,
    });
    expect(reportError(Object.assign(new Error("EISDIR"), { code: "EISDIR", syscall: "read" })).message).toBe(
      "sel4tut: cannot read a file (EISDIR): it is a directory where sel4tut expects a file. None of your .ts files was changed.",
    );
  });

  it("anything else is sel4tut's own bug: said so, with how to report it and the stack", () => {
    const bug = new TypeError("cannot read properties of undefined");
    const { message, exitCode } = reportError(bug);
    expect(exitCode).toBe(70);
    expect(message).toContain(
      "sel4tut: internal error: sel4tut itself failed; this is a bug in sel4tut, not in your code.",
    );
    expect(message).toContain("Please report it");
    expect(message).toMatch(/sel4tut \d+\.\d+\.\d+, Node v\d+/);
    expect(message).toContain(bug.stack!);
  });
});
