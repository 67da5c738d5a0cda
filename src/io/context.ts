/** What a command is given from outside: its streams and folder, and today's date (STYLE: inject what varies). */

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  cwd: string;
  /** the settings a command reads (READBACK_*); default: the process's environment */
  env?: NodeJS.ProcessEnv;
  /** resolves when a long-running command (preview) is asked to stop; default: Ctrl-C or SIGTERM */
  stopped?: Promise<void>;
}

/** A command used the wrong way (exit 64): a bad option, argument or setting. */
export class UsageError extends Error {}

export const EXIT_USAGE = 64;
/** Something failed that no check foresaw (sysexits' EX_SOFTWARE). */
export const EXIT_SOFTWARE = 70;

/**
 * What a user sees when something fails that no check foresaw: one line, no stack trace (it
 * names Readback's own code, not the user's input); READBACK_DEBUG=1 shows the stack.
 */
export function unexpectedFailure(error: unknown, env: NodeJS.ProcessEnv = process.env): string {
  const message = error instanceof Error ? error.message : String(error);
  const stack = env.READBACK_DEBUG === '1' && error instanceof Error && error.stack ? `${error.stack}\n` : '';
  return `readback: stopped: ${message.split('\n')[0]}\nNothing was published. This is a fault in Readback, not a finding about your data: run again with READBACK_DEBUG=1 for the details and report it.\n${stack}`;
}

/** Today's UTC date (YYYY-MM-DD), or READBACK_TODAY when it pins one. */
export function today(env: NodeJS.ProcessEnv = process.env): string {
  const pinned = env.READBACK_TODAY;
  if (pinned !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(pinned))
      throw new UsageError(`READBACK_TODAY must be a date YYYY-MM-DD, not "${pinned}"`);
    return pinned;
  }
  return new Date().toISOString().slice(0, 10);
}
