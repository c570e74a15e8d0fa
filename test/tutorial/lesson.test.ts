// The exercise README shows each task's start code and the completion lines `check` expects,
// rendered from the templates and tutorial.json (one source of truth), and its task list follows
// the learner's progress on both kernels.
import { join } from "node:path";
import { readFileSync, writeFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { BUILTIN_TUTORIALS_DIR, builtinTutorialNames } from "../../src/tutorial/catalogue.js";
import { loadTutorial } from "../../src/tutorial/schema.js";
import { freshProgress, markPassed } from "../../src/tutorial/progress.js";
import { lessonWithCode, readmeWithProgress, renderReadme, renderSources } from "../../src/tutorial/render.js";
import { sel4tut, tempDir } from "../cli/helpers.js";

/** The fenced ts blocks of a Markdown text. */
const tsBlocks = (md: string) => [...md.matchAll(/```ts\n([\s\S]*?)\n```/g)].map((m) => m[1]!);

describe("the lesson shows the code", () => {
  for (const name of builtinTutorialNames()) {
    it(`${name}: each task's section holds the code that task starts from, as the start render has it, and its completion lines`, () => {
      const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, name));
      const readme = renderReadme(tut, { task: 0, solution: false });
      tut.tasks.forEach((task, i) => {
        const at = readme.indexOf(`The code \`${task.name}\` starts from`);
        // A task whose templates hold no block of its own (code the learner writes from nothing) shows only its completion lines.
        const section = at >= 0 ? readme.slice(at) : readme;
        const [snippet] = tsBlocks(section);
        if (at >= 0) {
          // Every line of the snippet, in order, is in a file as `init --task` renders it for this task.
          const rendered = [...renderSources(tut, { task: i, solution: false }).values()]
            .join("\n")
            .split("\n")
            .map((l) => l.trim());
          let from = 0;
          for (const line of snippet!.split("\n").map((l) => l.trim())) {
            const found = rendered.indexOf(line, from);
            expect(found, `${task.name}: ${line}`).toBeGreaterThanOrEqual(from);
            from = found + 1;
          }
        }
        for (const config of tut.configs) expect(section).toContain(`\n${task.finish[config]}\n`);
      });
    });
  }

  it("shows the code that task fault-ep-setup needs and no file holds until then (the reply and the wait for the fault)", () => {
    const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, "fault-handlers"));
    const readme = renderReadme(tut, { task: 0, solution: false });
    const section = readme.slice(readme.indexOf("## Task fault-ep-setup"), readme.indexOf("## Task fault-ipc-recv"));
    expect(section).toContain("faulter_tcb_cap, 0,");
    expect(section).toContain("({ badge } = seL4_Recv(faulter_fault_ep_cap));");
    expect(section).toContain(
      "`sel4tut check` passes when the output contains this line (on master and MCS):\n\n```\nAbout to touch fault vaddr.\n```",
    );
    const start = renderSources(tut, { task: 0, solution: false }).get("handler.ts")!;
    expect(start).not.toContain("seL4_Recv(faulter_fault_ep_cap)");
  });

  it("puts the code at a <!-- sel4tut:task NAME --> marker, else after the section naming the task, else in an appendix", () => {
    const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, "fault-handlers"));
    const marked = lessonWithCode(tut, "# Lesson\n\nIntro.\n\n<!-- sel4tut:task fault-resume -->\n\nAfter.");
    expect(marked).toMatch(
      /Intro\.\n\nThe code `fault-resume` starts from, in `handler\.ts`:\n\n```ts\n\/\/ TODO fault-resume/,
    );
    expect(marked.indexOf("fault-resume` starts from")).toBeLessThan(marked.indexOf("After."));
    const headed = lessonWithCode(tut, "# Lesson\n\n## Doing fault-handle\n\nText.\n\n## Next\n");
    expect(headed).toMatch(/## Doing fault-handle\n\nText\.\n\nThe code `fault-handle` starts from[\s\S]*\n## Next/);
    const plain = lessonWithCode(tut, "# Lesson\n\nNothing about tasks.");
    expect(plain).toMatch(
      /## The code of each task\n\n### fault-badge: Badge the fault endpoint\n\nThe code `fault-badge` starts from/,
    );
    // A task named inside a code fence is not a section about it.
    expect(lessonWithCode(tut, "```\n# fault-badge\n```\n")).toContain("### fault-badge: Badge the fault endpoint");
  });
});

describe("the README's task list follows progress", () => {
  const tut = loadTutorial(join(BUILTIN_TUTORIALS_DIR, "fault-handlers"));

  it("is rewritten between its markers, and left alone when the learner removed them", () => {
    const readme = renderReadme(tut, { task: 0, solution: false });
    const progress = freshProgress("fault-handlers", "fault-badge");
    markPassed(progress, "fault-badge", "master");
    markPassed(progress, "fault-badge", "mcs");
    progress.currentTask = "fault-ep-setup";
    const updated = readmeWithProgress(readme, tut, { task: 0, solution: false }, progress)!;
    expect(updated).toContain("1. `fault-badge`: Badge the fault endpoint (master ✓ passed, MCS ✓ passed)\n");
    expect(updated).toContain(
      "2. `fault-ep-setup`: Register the fault endpoint (master · to do, MCS · to do) **← your current task**",
    );
    expect(updated.replace(/\n<!-- sel4tut:progress[\s\S]*sel4tut:progress -->\n/, "")).toBe(
      readme.replace(/\n<!-- sel4tut:progress[\s\S]*sel4tut:progress -->\n/, ""),
    );
    expect(readmeWithProgress(updated, tut, { task: 0, solution: false }, progress)).toBeNull();
    expect(readmeWithProgress("# my own notes\n", tut, { task: 0, solution: false }, progress)).toBeNull();
  });

  it("shows a pass on the kernel it was checked on, from the check itself", () => {
    const cwd = tempDir();
    expect(sel4tut(["init", "--tut", "fault-handlers", "--task", "fault-badge", "--solution"], cwd).status).toBe(0);
    const dir = join(cwd, "fault-handlers");
    const notes = join(dir, "README.md");
    writeFileSync(
      notes,
      readFileSync(notes, "utf8").replace("# Fault handling", "# Fault handling (my notes: mint first)"),
    );
    expect(sel4tut(["check", "--mcs", "--quiet"], dir).status).toBe(0);
    const readme = readFileSync(notes, "utf8");
    expect(readme).toContain(
      "1. `fault-badge`: Badge the fault endpoint (master · to do, MCS ✓ passed; solved in the code you were given)",
    );
    expect(readme).toContain("# Fault handling (my notes: mint first)");
  });
});
