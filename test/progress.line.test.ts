import { describe, expect, it } from 'vitest';
import { progressReporter } from '../src/io/progress.ts';

function terminal(isTTY: boolean) {
  const written: string[] = [];
  const stream = { isTTY, columns: 40, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream;
  return { stream, written };
}

describe('the progress line', () => {
  it('redraws one line on a terminal once a run takes over a second, and clears it at the end', () => {
    let now = 0;
    const { stream, written } = terminal(true);
    const progress = progressReporter(stream, 'reconciling', () => now, {});
    progress.update(1, 3, 'acme');
    expect(written).toEqual([]); // under a second: nothing
    now = 1500;
    progress.update(2, 3, 'globex');
    now = 1550;
    progress.update(3, 3, 'initech', 'one-pagers');
    expect(written).toEqual([`\r${'reconciling 2/3 globex'.padEnd(39)}`, `\r${'one-pagers 3/3 initech'.padEnd(39)}`]);
    progress.done();
    expect(written.at(-1)).toBe(`\r${' '.repeat(39)}\r`);
  });

  it('stays quiet in a pipe or a log file, and in a CI job', () => {
    for (const [isTTY, env] of [
      [false, {}],
      [true, { CI: 'true' }],
    ] as const) {
      let now = 0;
      const { stream, written } = terminal(isTTY);
      const progress = progressReporter(stream, 'reconciling', () => now, env);
      now = 5000;
      progress.update(1, 2, 'acme');
      progress.done();
      expect(written, JSON.stringify(env)).toEqual([]);
    }
  });
});
