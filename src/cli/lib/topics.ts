// Finding an explanation from what a learner types: seL4 names, words from the kernel's
// output, dashes or spaces, any case; a number is an seL4_Error. Unknown words get the
// nearest topic as a suggestion.
import * as C from "../../abi/constants.js";
import { EXPLANATIONS, type Explanation } from "./explanations.js";
import { editDistance, suggestionLimit } from "../../text/spelling.js";

/** "seL4_Fault_CapFault", "cap fault" and "Cap-Fault" all become "capfault". */
function normalise(s: string): string {
  return s
    .trim()
    .toLowerCase()
    .replace(/^sel4_(fault_)?/, "")
    .replace(/[^a-z0-9]/g, "");
}

function buildIndex(): Map<string, Explanation> {
  const index = new Map<string, Explanation>();
  for (const e of EXPLANATIONS) {
    const numbered = e.what.kind === "error" ? [String(C.ERROR_NAMES.indexOf(e.what.name))] : [];
    for (const key of [e.topic, e.what.name, ...e.aliases, ...numbered].map(normalise)) {
      const other = index.get(key);
      // Two topics answering to one word would make the answer depend on the order of this file.
      if (other && other !== e) throw new Error(`internal: "${key}" names both ${other.topic} and ${e.topic}`);
      index.set(key, e);
    }
  }
  return index;
}

const INDEX = buildIndex();

/** Shorter keys than this never match as the start of a pasted line ("no" would match too much). */
const MIN_PREFIX = 8;

/**
 * The topic for a word, or for a line pasted from the output: "Caught cap fault in send phase at
 * address 0x2" starts with the double-fault report's "Caught cap fault", so the longest key the
 * line starts with wins (not the cap-fault topic that its later words would suggest).
 */
export function findExplanation(asked: string): Explanation | undefined {
  const word = normalise(asked);
  const exact = INDEX.get(word);
  if (exact) return exact;
  let best: string | undefined;
  for (const key of INDEX.keys()) {
    if (key.length >= MIN_PREFIX && word.startsWith(key) && (!best || key.length > best.length)) best = key;
  }
  return best === undefined ? undefined : INDEX.get(best);
}

/** The topic closest to a word that names none: a near spelling, or a topic containing the word. */
export function suggestTopic(asked: string): Explanation | undefined {
  const word = normalise(asked);
  if (word === "") return undefined;
  let best: { e: Explanation; d: number } | undefined;
  for (const [key, e] of INDEX) {
    const d = key.includes(word) && word.length >= 4 ? 1 : editDistance(word, key);
    if (!best || d < best.d) best = { e, d };
  }
  return best && best.d <= suggestionLimit(word) ? best.e : undefined;
}
