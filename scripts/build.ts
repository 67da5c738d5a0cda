/** `npm run build`: `readback build` on this repository's bundled sample (or --root DIR). */
import { main } from '../src/cli/main.ts';

process.exitCode = await main(['build', ...process.argv.slice(2)], {
  stdout: process.stdout,
  stderr: process.stderr,
  cwd: process.cwd(),
});
