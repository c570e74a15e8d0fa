// One line of the doctor's report: what was looked at, what was found, and the problem if any.
export interface Finding {
  label: string;
  value: string;
  /** Set when this is something the learner has to fix: what is wrong and what to do. */
  problem?: string;
}

export function ok(label: string, value: string): Finding {
  return { label, value };
}

export function bad(label: string, value: string, problem: string): Finding {
  return { label, value, problem };
}
