/** `npm run build`: `readback build` on this repository's bundled sample (or --root DIR). */
// compiled code kept between builds, in this process and in the ones it starts, as `readback build` does
import { enableCompileCache } from '../bin/compile-cache.mjs';

enableCompileCache();
const { main } = await import('../src/cli/main.ts');

process.exitCode = await main(['build', ...process.argv.slice(2)], {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});
