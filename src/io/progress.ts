/** A progress line on a terminal for runs that take more than a moment. */
/** Prints "n/total" on a terminal once a run has taken more than a moment. */
export function progressReporter(stream: NodeJS.WriteStream, label: string, clock: () => number = Date.now) {
  const started = clock();
  let shown = false;
  let lastPrint = 0;
  return {
    update(done: number, total: number, item: string) {
      const now = clock();
      if (now - started < 1000) return;
      if (stream.isTTY) {
        stream.write(`\r${label} ${done}/${total} ${item}`.padEnd(60).slice(0, 100));
        shown = true;
      } else if (now - lastPrint >= 5000) {
        stream.write(`${label} ${done}/${total} ${item}\n`);
        lastPrint = now;
      }
    },
    done() {
      if (shown) stream.write('\r'.padEnd(61) + '\r');
    },
  };
}
