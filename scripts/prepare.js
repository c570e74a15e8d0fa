// `npm install -g .` and `npm link` in a fresh clone link the clone into the global folder and run
// this `prepare` script there, but npm does not install a linked folder's own dependencies. So a
// clone without node_modules gets them here (from package-lock.json, including the compiler and
// the typings the build needs), then the build. `npm ci` in a clone has installed them already and
// only builds. `npm pack` and `npm publish` build in `prepack`, so this steps aside for them.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const command = process.env.npm_command;
if (command === "pack" || command === "publish") process.exit(0);

function run(file, args, env = process.env) {
  const result = spawnSync(file, args, { cwd: root, stdio: "inherit", env });
  if (result.error) throw result.error;
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const npm = process.env.npm_execpath;
const [npmFile, npmPrefix] = npm && npm.endsWith(".js") ? [process.execPath, [npm]] : ["npm", []];
// The lifecycle environment of a global install says "global": cleared, or the dependencies
// would go into the global folder instead of the clone's node_modules.
const env = { ...process.env };
for (const key of Object.keys(env)) {
  if (/^npm_config_(global|location|prefix|omit|production|only)$/i.test(key)) delete env[key];
}

if (!existsSync(join(root, "node_modules", "typescript", "bin", "tsc"))) {
  console.error("sel4tut: installing sel4tut's own dependencies into " + join(root, "node_modules") + " (npm ci)");
  run(npmFile, [...npmPrefix, "ci", "--include=dev", "--ignore-scripts", "--no-audit", "--no-fund"], env);
}
run(npmFile, [...npmPrefix, "run", "build"], env);
