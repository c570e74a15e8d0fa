#!/usr/bin/env node
// The sel4tut command. Errors that escape a command are sel4tut's own bugs: they are reported as
// internal errors (exit 70) with a request to report them, never as a bare stack trace.
const INTERNAL = 70;

function fallback(err) {
  const detail = err && err.stack ? err.stack : String(err);
  return (
    `sel4tut: internal error: sel4tut itself failed; this is a bug in sel4tut, not in your code.\n` +
    `Please report it to the sel4tut maintainers with this whole message and the command you ran.\n${detail}`
  );
}

import("../dist/cli/bundle.js")
  .then(
    (m) => {
      const die = (err) => {
        console.error(
          m.internalErrorText ? m.internalErrorText(err && err.stack ? err.stack : String(err)) : fallback(err),
        );
        process.exit(INTERNAL);
      };
      process.on("uncaughtException", die);
      process.on("unhandledRejection", die);
      return m.main(process.argv);
    },
    (err) => {
      if (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist")) {
        console.error(
          'sel4tut: this copy of sel4tut is not built (dist/ is missing). Run "npm run build" in the sel4tut package, or reinstall it.',
        );
      } else {
        console.error(fallback(err));
      }
      process.exit(INTERNAL);
    },
  )
  .catch((err) => {
    console.error(fallback(err));
    process.exit(INTERNAL);
  });
