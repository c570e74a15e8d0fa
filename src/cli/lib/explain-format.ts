// An explanation as text: the seL4 name and number (from the kernel model's constants), what it
// means, its message registers, typical causes and where to practise.
import * as C from "../../abi/constants.js";
import type { Explanation, Register, TopicKind } from "./explanations.js";

const WIDTH = 96;

/** Greedy word wrap; the explanations are written as one string per paragraph. */
function wrap(text: string, indent: string, first = indent): string[] {
  const lines: string[] = [];
  let line = first;
  for (const word of text.split(/\s+/)) {
    const start = line === first || line === indent;
    if (!start && line.length + 1 + word.length > WIDTH) {
      lines.push(line);
      line = indent + word;
    } else {
      line += (start ? "" : " ") + word;
    }
  }
  lines.push(line);
  return lines;
}

const LOOKUP_NUMBERS = {
  seL4_InvalidRoot: C.seL4_InvalidRoot,
  seL4_MissingCapability: C.seL4_MissingCapability,
  seL4_DepthMismatch: C.seL4_DepthMismatch,
  seL4_GuardMismatch: C.seL4_GuardMismatch,
};

/** "seL4_Fault_VMFault: fault label 5 on master, 6 on MCS" and the like. */
function identity(what: TopicKind): string {
  switch (what.kind) {
    case "fault": {
      if (what.fault === "Timeout") return `${what.name}: fault label ${C.faultLabel("mcs", "Timeout")}, MCS only`;
      const [m, mcs] = [C.faultLabel("master", what.fault), C.faultLabel("mcs", what.fault)];
      return `${what.name}: fault label ${m === mcs ? `${m} on master and on MCS` : `${m} on master, ${mcs} on MCS`}`;
    }
    case "error":
      return `${what.name}: seL4_Error ${C.ERROR_NAMES.indexOf(what.name)}`;
    case "lookup":
      return `${what.name}: lookup failure type ${LOOKUP_NUMBERS[what.name]} (as written in messages)`;
    case "report":
      return what.name;
  }
}

function registerTable(rows: readonly Register[]): string[] {
  const label = (r: Register) => `MR${r.mr}`;
  const w1 = Math.max(...rows.map((r) => label(r).length));
  const w2 = Math.max(...rows.map((r) => r.name.length));
  return rows.flatMap((r) => {
    const head = `  ${label(r).padEnd(w1)}  ${r.name ? `${r.name.padEnd(w2)}  ` : ""}`;
    return wrap(r.content, " ".repeat(head.length), head);
  });
}

function section(title: string, items: readonly string[], bullet: boolean): string[] {
  if (items.length === 0) return [];
  const body = items.flatMap((t) => (bullet ? wrap(t, "    ", "  - ") : [...wrap(t, "  "), ""]));
  return ["", `${title}:`, ...(bullet ? body : body.slice(0, -1))];
}

export function formatExplanation(e: Explanation): string {
  // A directory of its own per task, so the command works beside an exercise already started.
  const tutorials = e.tutorials.map(
    (t) => `sel4tut init --tut ${t.tutorial}${t.task ? ` --task ${t.task} ${t.tutorial}-${t.task}` : ""}`,
  );
  return [
    `${e.topic}: ${e.summary}`,
    identity(e.what),
    ...section("What it means", e.meaning, false),
    ...(e.registers
      ? ["", `${e.registers.heading}:`, ...registerTable(e.registers.rows)]
      : e.what.kind === "error" && e.what.name !== "seL4_NoError"
        ? ["", "Error reply: the label is the error number and the message is empty."]
        : []),
    ...section("Typical causes", e.causes, true),
    ...section("What helps", e.helps, true),
    ...section("Practise it", tutorials, true),
  ].join("\n");
}

export function formatTopicList(all: readonly Explanation[]): string {
  const width = Math.max(...all.map((e) => e.topic.length));
  return all.map((e) => `  ${e.topic.padEnd(width)}  ${e.summary}`).join("\n");
}
