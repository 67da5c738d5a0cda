/**
 * A progress line on a terminal for runs that take more than a moment: "reconciling 3/40 acme-2026-q2".
 * Quiet where nobody watches a line redraw: not a terminal (a log file, a pipe), or a CI job (`CI`
 * set), so logs hold only the summary. It writes no colour, so `NO_COLOR` has nothing to turn off.
 */
export function progressReporter(
  stream: NodeJS.WriteStream,
  label: string,
  clock: () => number = Date.now,
  env: NodeJS.ProcessEnv = process.env,
) {
  const started = clock();
  const quiet = !stream.isTTY || (env.CI !== undefined && env.CI !== '' && env.CI !== 'false');
  let shown = false;
  let lastPrint = 0;
  return {
    /** `step` names what is counted when one reporter follows several steps (one-pagers, pages) */
    update(done: number, total: number, item: string, step = label) {
      const now = clock();
      // nothing for a run over within a second; then at most ten redraws a second
      if (quiet || now - started < 1000 || (now - lastPrint < 100 && done < total)) return;
      lastPrint = now;
      const width = stream.columns && stream.columns > 20 ? stream.columns - 1 : 79;
      stream.write(`\r${`${step} ${done}/${total} ${item}`.slice(0, width).padEnd(width)}`);
      shown = true;
    },
    done() {
      if (shown) stream.write(`\r${' '.repeat(stream.columns && stream.columns > 20 ? stream.columns - 1 : 79)}\r`);
      shown = false;
    },
  };
}
