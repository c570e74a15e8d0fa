// What learner code finds in a worker's globals. Learner modules run in the worker's own realm
// (module-loader.ts compiles them with vm.compileFunction, so libsel4's objects, arrays and errors
// are the learner's), which means the globals they see are the worker's. Shadowing names in the
// module wrapper would not be enough (`Function("return process")()` reads the real global), so the
// globals themselves are changed, once, before any learner code runs:
//
// - the clocks (`new Date()`, `Date()`, `Date.now()`, `performance.now()`, Intl's default date)
//   read virtual time, so the same sources print the same bytes on every run;
// - `process` is not there for learner code: a seL4 thread has no process to end, signal or
//   inspect, and `process.exit` would end the worker behind the machine's back;
// - timers and microtasks throw (see `SYNCHRONOUS`), and so does the entropy of `crypto`.
//
// Anything that throws here throws an ordinary Error at the learner's line, so it is reported
// like any other uncaught exception (stack.ts) and the thread takes a general-protection fault.

/** Everything machinery in dist/ (libsel4, the channel, this file) is allowed the real `process`. */
const MACHINERY_ROOT = new URL("../", import.meta.url).href;

export interface SandboxOptions {
  /** Virtual time in ns since boot (WorkerChannel.virtualNow). */
  virtualNowNs: () => number;
  /** True for the emitted JS files of learner code. */
  isLearnerFile: (file: string) => boolean;
  /**
   * The thread runs sel4tut's own code, not a learner's (bench.ts's timed threads, which time
   * themselves with process.hrtime): `process` stays as it is, at no cost per use.
   */
  ownCode?: boolean;
}

export function installSandbox(opts: SandboxOptions): void {
  virtualiseClocks(opts.virtualNowNs);
  if (!opts.ownCode) hideProcess(opts.isLearnerFile);
  refuseAsyncWork();
  hideEntropy();
}

/** Learner-facing errors: thrown where learner code used the name, so the report shows its line. */
function unavailable(what: string, why: string): Error {
  return new Error(`${what} is not available in a seL4 thread: ${why}`);
}

// ---------------------------------------------------------------------------------------------
// Clocks

function virtualiseClocks(nowNs: () => number): void {
  const RealDate = Date;
  const nowMs = () => Math.floor(nowNs() / 1e6);
  // A function, not a subclass: `Date()` without `new` must work too (it returns a string).
  const VirtualDate = function (this: unknown, ...args: unknown[]): unknown {
    if (new.target === undefined) return new RealDate(nowMs()).toString();
    return Reflect.construct(RealDate, args.length === 0 ? [nowMs()] : args, new.target);
  } as unknown as DateConstructor;
  Object.defineProperty(VirtualDate, "name", { value: "Date" });
  Object.defineProperty(VirtualDate, "length", { value: 7 });
  // The same prototype, so `x instanceof Date` holds for every date, whoever made it. The statics
  // are copied rather than inherited, so Object.getPrototypeOf(Date) does not lead to the real clock.
  Object.defineProperty(VirtualDate, "prototype", { value: RealDate.prototype, writable: false });
  Object.defineProperty(RealDate.prototype, "constructor", { value: VirtualDate, writable: true, configurable: true });
  Object.defineProperty(VirtualDate, "parse", { value: RealDate.parse, writable: true, configurable: true });
  Object.defineProperty(VirtualDate, "UTC", { value: RealDate.UTC, writable: true, configurable: true });
  Object.defineProperty(VirtualDate, "now", { value: nowMs, writable: true, configurable: true });
  Object.defineProperty(globalThis, "Date", { value: VirtualDate, writable: true, configurable: true });
  defaultFormatDateToNow(nowMs);
  performance.now = () => nowNs() / 1e6;
  // Boot is the origin of virtual time: timeOrigin + now() equals Date.now(), as on a real host.
  Object.defineProperty(performance, "timeOrigin", { value: 0 });
}

/** Intl.DateTimeFormat's format() and formatToParts() without a date format "now": virtual now. */
function defaultFormatDateToNow(nowMs: () => number): void {
  type Format = (date?: Date | number) => string;
  const proto = Intl.DateTimeFormat.prototype;
  const boundFormat = Object.getOwnPropertyDescriptor(proto, "format")!.get!;
  const formats = new WeakMap<object, Format>(); // one function per formatter, as the getter gives
  Object.defineProperty(proto, "format", {
    get(this: Intl.DateTimeFormat): Format {
      let f = formats.get(this);
      if (!f) {
        const real = boundFormat.call(this) as Format;
        f = (date) => real(date === undefined ? nowMs() : date);
        formats.set(this, f);
      }
      return f;
    },
    configurable: true,
  });
  const formatToParts = proto.formatToParts;
  proto.formatToParts = function (this: Intl.DateTimeFormat, date?: Date | number) {
    return formatToParts.call(this, date === undefined ? nowMs() : date);
  };
}

// ---------------------------------------------------------------------------------------------
// process

const PROCESS_HINTS: Record<string, string> = {
  exit: "a thread cannot end sel4tut or its worker. A thread ends by returning from its function (main); to stop with an error, throw one",
  stdout: "print with printf or console.log, which go through the kernel in program order",
  env: "a seL4 thread has no environment; put settings in your code",
  argv: "a seL4 thread has no command line; put settings in your code",
};
for (const name of ["reallyExit", "abort", "kill", "exitCode"]) PROCESS_HINTS[name] = PROCESS_HINTS.exit!;
PROCESS_HINTS.stderr = PROCESS_HINTS.stdout!;
const PROCESS_DEFAULT_HINT = "a seL4 thread has no process (no exit, signals, environment or streams); it talks to the world through the kernel";

/**
 * Learner code reads a stand-in whose every use throws, naming the member it used; the machinery
 * (channel.ts ends the worker with process.exit when the machine stops it) reads the real one.
 * Who reads is decided by the code that evaluated `process`: the first frame on the stack that is
 * not a built-in function.
 */
function hideProcess(isLearnerFile: (file: string) => boolean): void {
  const real = process;
  const standIn = unusable("process", (key) => PROCESS_HINTS[key] ?? PROCESS_DEFAULT_HINT);
  const isMachinery = callerCheck(isLearnerFile);
  // A getter lifted onto another object (for machinery to read back to the learner) gets the stand-in.
  const get = function (this: unknown): NodeJS.Process {
    return this === globalThis && isMachinery(get) ? real : (standIn as unknown as NodeJS.Process);
  };
  // Not configurable, so learner code can neither delete nor redefine it (the channel needs it).
  Object.defineProperty(globalThis, "process", {
    get,
    set: () => {
      throw unavailable("process", PROCESS_DEFAULT_HINT);
    },
    enumerable: false,
    configurable: false,
  });
}

/** An object whose every use throws, naming the member used and why (`hint` of the member's name). */
function unusable(name: string, hint: (key: string) => string): object {
  const refuse = (key: string | symbol): never => {
    throw typeof key === "symbol" ? unavailable(name, hint("")) : unavailable(`${name}.${key}`, hint(key));
  };
  return new Proxy(Object.create(null) as object, {
    get: (_t, key) => refuse(key),
    set: (_t, key) => refuse(key),
    defineProperty: (_t, key) => refuse(key),
    deleteProperty: (_t, key) => refuse(key),
    has: () => false,
  });
}

/**
 * A function telling whether the code that called `accessor` (on the stack now) is sel4tut's own.
 * Error's hooks are taken now, before learner code can replace them, and learner settings of
 * Error.prepareStackTrace/stackTraceLimit are put back afterwards.
 */
function callerCheck(isLearnerFile: (file: string) => boolean): (accessor: (...args: never[]) => unknown) => boolean {
  const capture = Error.captureStackTrace;
  const grabSites = (_err: Error, sites: NodeJS.CallSite[]) => sites;
  return (accessor) => {
    const previousPrepare = Error.prepareStackTrace;
    const previousLimit = Error.stackTraceLimit;
    try {
      Error.prepareStackTrace = grabSites;
      Error.stackTraceLimit = 16;
      const holder: { stack?: NodeJS.CallSite[] } = {};
      capture(holder, accessor); // frames above the accessor: the first is who read the global
      for (const site of holder.stack ?? []) {
        if (site.isEval()) return false; // eval and new Function: only learner code makes those
        const file = site.getFileName();
        if (!file) continue; // built-ins such as Reflect.get or Array.prototype.map
        if (isLearnerFile(file)) return false;
        return file.startsWith(MACHINERY_ROOT) || file.startsWith("node:");
      }
      return false;
    } catch {
      return false; // learner code made the stack unreadable: it does not get the real process
    } finally {
      try {
        Error.prepareStackTrace = previousPrepare;
        Error.stackTraceLimit = previousLimit;
      } catch {
        // made read-only by learner code; nothing of ours depends on them being put back
      }
    }
  };
}

// ---------------------------------------------------------------------------------------------
// Timers and microtasks

/**
 * A seL4 thread runs synchronously: the worker never returns to its event loop once the thread
 * starts (it sleeps in Atomics.wait between turns), so a callback given to setTimeout,
 * setInterval, setImmediate or queueMicrotask would silently never run. Running them anyway would
 * invent semantics seL4 does not have (a C thread on seL4 has no timer queue: it waits on a
 * notification the timer driver signals), and when they ran would depend on the host. So they
 * throw, with what to do instead, like an async entry function does (worker.ts). The machinery
 * does not use these globals; it would import node:timers.
 */
const SYNCHRONOUS =
  "a seL4 thread runs synchronously and never returns to an event loop, so the callback would never run. " +
  "To wait, block in the kernel (seL4_Recv or seL4_Wait); to let other threads run, call seL4_Yield()";

function refuseAsyncWork(): void {
  PROCESS_HINTS.nextTick = SYNCHRONOUS;
  for (const name of ["setTimeout", "setInterval", "setImmediate", "queueMicrotask"]) {
    const refuse = () => {
      throw unavailable(`${name}()`, SYNCHRONOUS);
    };
    Object.defineProperty(refuse, "name", { value: name });
    Object.defineProperty(globalThis, name, { value: refuse, writable: true, configurable: true, enumerable: true });
  }
}

// ---------------------------------------------------------------------------------------------
// Entropy

/**
 * crypto.randomUUID() and getRandomValues() would print different bytes on every run. Math.random
 * is the thread's random source (seeded per thread by worker.ts), so the message points there. The
 * machinery does not use the global; it would import node:crypto.
 */
function hideEntropy(): void {
  const hint = () => "a seL4 thread has no entropy source, so runs could not repeat; use Math.random(), which is seeded per thread";
  Object.defineProperty(globalThis, "crypto", { value: unusable("crypto", hint), writable: true, configurable: true, enumerable: true });
}
