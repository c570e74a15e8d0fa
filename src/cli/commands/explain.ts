// sel4tut explain TOPIC: what an seL4 fault, error or lookup failure (or a double fault or a
// deadlock) means, in kernel terms, with its message registers and what to do about it.
import type { Command } from "commander";
import { UsageError } from "../../app/errors.js";
import { formatExplanation, formatTopicList } from "../lib/explain-format.js";
import { EXPLANATIONS } from "../lib/explanations.js";
import { findExplanation, suggestTopic } from "../lib/topics.js";

export function registerExplain(program: Command): void {
  program
    .command("explain")
    .description("explain an seL4 fault, error code or lookup failure you see in the output")
    .argument("[topic...]", "e.g. cap-fault, seL4_FailedLookup, 6, double fault (none: list the topics)")
    .action((words: string[]) => console.log(explanationText(words)));
}

/** What `sel4tut explain WORDS` prints: the topic list for no words; a UsageError for an unknown topic. */
export function explanationText(words: readonly string[]): string {
  if (words.length === 0) {
    return `Topics (seL4 names such as seL4_Fault_CapFault or seL4_FailedLookup, and error numbers, work too):\n${formatTopicList(EXPLANATIONS)}`;
  }
  const asked = words.join(" ");
  const found = findExplanation(asked);
  if (!found) {
    const near = suggestTopic(asked);
    throw new UsageError(
      `no explanation for "${asked}"${near ? `; did you mean "${near.topic}"?` : "."} ` +
        `Topics: ${EXPLANATIONS.map((e) => e.topic).join(", ")} (sel4tut explain lists them with a summary)`,
    );
  }
  return formatExplanation(found);
}
