/** What a command is given from outside: its streams and folder, and today's date (STYLE: inject what varies). */

export interface Io {
  stdout: NodeJS.WriteStream;
  stderr: NodeJS.WriteStream;
  cwd: string;
}

/** A command used the wrong way (exit 64): a bad option, argument or setting. */
export class UsageError extends Error {}

export const EXIT_USAGE = 64;

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
