/**
 * Start-up of the command line as an installed package runs it: lib/ built from the sources
 * (as `npm run build:lib` does) into a package folder under node_modules, so bin/readback.mjs
 * picks the compiled code, and each command run as a whole process. Node's compile cache is
 * measured warm (a folder the run before filled), cold (an empty folder each run: a first run,
 * which also writes the cache) and turned off (NODE_DISABLE_COMPILE_CACHE=1, as before the
 * command enabled it).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';

export interface StartupFigure {
  label: string;
  /** wall time of each run, ms */
  wall: number[];
  /** user + system CPU time of each run (all its threads), ms; in the 10 ms steps the shell's `times` gives */
  cpu: number[];
}

interface Variant {
  label: string;
  args: string[];
  /** compile cache: the warm folder, a new empty folder per run, or none */
  cache: 'warm' | 'cold' | 'off' | null;
}

/** `times` after the command: the second line is the children's user and system time, e.g. `0m0.230000s 0m0.040000s`. */
function childCpuMs(timesOutput: string): number {
  const line = timesOutput.trim().split('\n').at(-1) ?? '';
  const seconds = [...line.matchAll(/(\d+)m([\d.]+)s/g)].map((m) => Number(m[1]) * 60 + Number(m[2]));
  if (seconds.length !== 2) throw new Error(`unexpected output of times: ${timesOutput}`);
  return (seconds[0]! + seconds[1]!) * 1000;
}

export function measureStartup(options: { projectRoot: string; scratch: string; runs: number }): StartupFigure[] {
  const { projectRoot, scratch, runs } = options;
  const node = process.execPath;
  rmSync(scratch, { recursive: true, force: true });
  const installed = join(scratch, 'consumer', 'node_modules', 'readback');
  mkdirSync(installed, { recursive: true });
  // lib/ as `npm pack` builds it (prepack: scripts/build-lib.ts)
  const built = spawnSync(node, [join(projectRoot, 'scripts', 'build-lib.ts'), join(installed, 'lib')], {
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`building lib/ failed: ${built.stdout}${built.stderr}`);
  cpSync(join(projectRoot, 'bin'), join(installed, 'bin'), { recursive: true });
  cpSync(join(projectRoot, 'package.json'), join(installed, 'package.json'));
  // the package's dependencies, as an install would put them within reach
  symlinkSync(join(projectRoot, 'node_modules'), join(installed, 'node_modules'), 'junction');
  const sample = join(scratch, 'sample');
  cpSync(join(projectRoot, 'dictionary'), join(sample, 'dictionary'), { recursive: true });
  cpSync(join(projectRoot, 'content'), join(sample, 'content'), { recursive: true });
  const bin = join(installed, 'bin', 'readback.mjs');
  const warmCache = join(scratch, 'compile-cache');
  const errors = join(scratch, 'stderr.txt');
  const reconcile = [bin, 'reconcile', '--root', sample];
  const variants: Variant[] = [
    { label: '`node -e 0` (the floor: Node starting and exiting)', args: ['-e', '0'], cache: null },
    { label: '`readback --help`, compile cache warm', args: [bin, '--help'], cache: 'warm' },
    { label: '`readback --help`, compile cache cold (first run)', args: [bin, '--help'], cache: 'cold' },
    { label: '`readback reconcile` of the bundled sample, compile cache warm', args: reconcile, cache: 'warm' },
    {
      label: '`readback reconcile` of the bundled sample, compile cache cold (first run)',
      args: reconcile,
      cache: 'cold',
    },
    { label: '`readback reconcile` of the bundled sample, compile cache off', args: reconcile, cache: 'off' },
  ];
  const run = (variant: Variant): { wallMs: number; cpuMs: number } => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.NODE_COMPILE_CACHE;
    delete env.NODE_DISABLE_COMPILE_CACHE;
    if (variant.cache === 'warm') env.NODE_COMPILE_CACHE = warmCache;
    if (variant.cache === 'cold') env.NODE_COMPILE_CACHE = mkdtempSync(join(scratch, 'cold-cache-'));
    if (variant.cache === 'off') env.NODE_DISABLE_COMPILE_CACHE = '1';
    const started = performance.now();
    // the shell's `times` gives the command's CPU time (user + system, every thread of it)
    const script = '"$@" >/dev/null 2>"$0"; code=$?; times; exit $code';
    const result = spawnSync('sh', ['-c', script, errors, node, ...variant.args], {
      cwd: join(scratch, 'consumer'),
      env,
      encoding: 'utf8',
    });
    const wallMs = performance.now() - started;
    if (result.status !== 0)
      throw new Error(`${variant.label} exited ${result.status}: ${readFileSync(errors, 'utf8')}`);
    if (variant.cache === 'cold') rmSync(env.NODE_COMPILE_CACHE!, { recursive: true, force: true });
    return { wallMs, cpuMs: childCpuMs(result.stdout) };
  };
  // fill the warm cache, and let the page cache hold every file
  for (const variant of variants) run(variant);
  const figures: StartupFigure[] = variants.map((v) => ({ label: v.label, wall: [], cpu: [] }));
  for (let round = 0; round < runs; round++) {
    // alternate the order, so that no command always runs after the same one
    const order = variants.map((_, i) => i);
    if (round % 2 === 1) order.reverse();
    for (const i of order) {
      const { wallMs, cpuMs } = run(variants[i]!);
      figures[i]!.wall.push(wallMs);
      figures[i]!.cpu.push(cpuMs);
    }
  }
  rmSync(scratch, { recursive: true, force: true });
  return figures;
}
