#!/usr/bin/env node
// The sel4tut command. Errors that escape a command are sel4tut's own bugs: they are reported as
// internal errors (exit 70) with a request to report them, never as a bare stack trace.
//
// The command is one CommonJS bundle (dist/cli/bundle.cjs), loaded through a V8 code cache in
// sel4tut's cache directory (dist/machine/code-cache.js): compiling the bundle's 770 KB, and then
// the functions a command calls, is otherwise done on every start. The cache is saved at exit
// when it was missing or rejected, with what the command compiled; its name holds the bundle's
// path, so each installed copy keeps its own.
import { createHash } from "node:crypto";
import { fileURLToPath } from "node:url";

const INTERNAL = 70;
const BUNDLE = fileURLToPath(new URL("../dist/cli/bundle.cjs", import.meta.url));

function fallback(err) {
  const detail = err && err.stack ? err.stack : String(err);
  return (
    `sel4tut: internal error: sel4tut itself failed; this is a bug in sel4tut, not in your code.\n` +
    `Please report it to the sel4tut maintainers with this whole message and the command you ran.\n${detail}`
  );
}

function loadCommand({ requireWithCodeCache }) {
  const copy = createHash("sha256").update(BUNDLE).digest("hex").slice(0, 12);
  const command = requireWithCodeCache(BUNDLE, `sel4tut-cli-${copy}`, "bundle");
  process.on("exit", () => command.save());
  return command.exports;
}

function notBuilt(err) {
  return (
    (err && err.code === "ERR_MODULE_NOT_FOUND" && String(err.message).includes("dist")) ||
    (err && (err.code === "ENOENT" || err.code === "MODULE_NOT_FOUND") && String(err.message).includes(BUNDLE))
  );
}

import("../dist/machine/code-cache.js")
  .then(loadCommand)
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
      if (notBuilt(err)) {
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
