// Ctrl-C during a command that runs the exercise: the run stops cleanly (the machine stops its
// workers, and the command exits 130 through Interrupted) instead of the process being killed.
// A second Ctrl-C kills it: the handler is a once-handler, so Node's default applies again.
export async function stoppableByCtrlC<T>(work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const stop = new AbortController();
  const onSigint = () => stop.abort();
  process.once("SIGINT", onSigint);
  try {
    return await work(stop.signal);
  } finally {
    process.off("SIGINT", onSigint);
  }
}
