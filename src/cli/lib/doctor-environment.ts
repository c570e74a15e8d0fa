// The doctor's look at the machine: Node, platform, terminal, colour and the TypeScript
// compiler (what a build loads). Read-only.
import chalk from "chalk";
import { release } from "node:os";
import { loadTypeScript } from "../../compile/load-typescript.js";
import { PACKAGE_ROOT } from "../../tutorial/catalogue.js";
import { compareVersion } from "../../app/context.js";
import { bad, ok, type Finding } from "./findings.js";
import { nodeRequirement, sel4tutVersion } from "./internal.js";

/** Node against package.json's engines.node; only the ">=X.Y.Z" form sel4tut declares is understood. */
export function nodeFinding(version: string, requirement: string | null): Finding {
  const minimum = /^>=\s*v?(\d+(?:\.\d+){0,2})$/.exec(requirement?.trim() ?? "")?.[1];
  if (!minimum) return ok("node", `${version} (requirement ${requirement ?? "not declared"} not checked)`);
  if (compareVersion(version.replace(/^v/, ""), minimum) < 0) {
    return bad(
      "node",
      `${version} (sel4tut needs ${requirement})`,
      `Node ${version} is older than sel4tut needs (${requirement}). Install Node ${minimum} or later (https://nodejs.org, or nvm install 20).`,
    );
  }
  return ok("node", `${version} (sel4tut needs ${requirement}: ok)`);
}

const COLOUR_LEVELS = ["off", "16 colours", "256 colours", "true colour"];

function envValue(name: string): string {
  const v = process.env[name];
  return v === undefined ? `${name} unset` : `${name}=${v}`;
}

function typescriptFinding(): Finding {
  try {
    return ok("typescript", `${loadTypeScript().version} (loads)`);
  } catch (e) {
    return bad(
      "typescript",
      "does not load",
      `the TypeScript compiler does not load (${(e as Error).message.split("\n")[0]}), so nothing can be built. Reinstall sel4tut: npm install -g sel4tut`,
    );
  }
}

export function environmentFindings(): Finding[] {
  const tty = (s: { isTTY?: boolean }) => (s.isTTY ? "a terminal" : "not a terminal");
  return [
    ok("sel4tut", `${sel4tutVersion()} (${PACKAGE_ROOT})`),
    nodeFinding(process.version, nodeRequirement()),
    ok("platform", `${process.platform}-${process.arch} (${release()})`),
    ok(
      "terminal",
      `stdout is ${tty(process.stdout)}, stdin is ${tty(process.stdin)}${process.env["CI"] ? `, CI=${process.env["CI"]} (no questions asked)` : ""}`,
    ),
    ok("colour", `${COLOUR_LEVELS[chalk.level] ?? chalk.level} (${envValue("NO_COLOR")}, ${envValue("FORCE_COLOR")})`),
    typescriptFinding(),
  ];
}
