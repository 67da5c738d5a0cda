/**
 * Builds lib/, the code an installed package runs (`prepack` runs this; Node refuses to strip
 * types from `.ts` files under node_modules). The command and the modules its worker threads and
 * its Astro child process start are bundled by esbuild into `lib/cli/`: one file per entry, and
 * chunks for the code they share and for each command's module, which still loads only when that
 * command runs. The small libraries the commands parse with (zod, yaml, csv-parse, canonicalize)
 * are bundled in; every other package (Astro, React, the PDF renderer, pdf.js, pagefind, fonts)
 * stays a dependency the package imports from node_modules. Why: resolving and loading some 230
 * files was most of a short command's start-up (docs/PERFORMANCE.md).
 *
 *   npm run build:lib                    # writes lib/
 *   node scripts/build-lib.ts <folder>   # writes <folder>/cli/ instead (the tests and the bench)
 *
 * Every module sits two folders below the package root, as in src/, so the paths they build from
 * their own location (the package root, a worker beside them) hold in lib/ too.
 */
import { rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build, type Plugin } from 'esbuild';

/** Packages inlined into lib/; any other package is imported at run time. */
export const BUNDLED_PACKAGES = ['zod', 'yaml', 'csv-parse', 'canonicalize'] as const;

/** The entries: the command, then each module started by a URL built at run time (siblingModule). */
const ENTRIES: Record<string, string> = {
  main: 'src/cli/main.ts',
  'export-worker': 'src/io/export-worker.ts',
  'verify-worker': 'src/publish/verify-worker.ts',
  'search-worker': 'src/publish/search-worker.ts',
  'astro-worker': 'src/publish/astro-worker.ts',
  worker: 'src/pdf/worker.ts',
};

function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

/** Bare imports of packages outside BUNDLED_PACKAGES stay imports (so does astro.config.mjs's). */
const keepDependenciesExternal: Plugin = {
  name: 'keep-dependencies-external',
  setup(on) {
    on.onResolve({ filter: /^[^./]/ }, (args) => {
      if (args.path.startsWith('node:')) return { path: args.path, external: true };
      return (BUNDLED_PACKAGES as readonly string[]).includes(packageOf(args.path))
        ? undefined
        : { path: args.path, external: true };
    });
  },
};

/**
 * zod's entry re-exports its 64 message locales, which a bundle of its `z` namespace keeps whole;
 * Readback reports zod's issues in English only (zod's default, set when zod loads), so the bundle
 * gets the English locale alone.
 */
const englishZodMessagesOnly: Plugin = {
  name: 'english-zod-messages-only',
  setup(on) {
    on.onLoad({ filter: /[\\/]node_modules[\\/]zod[\\/]v4[\\/]locales[\\/]index\.js$/ }, () => ({
      contents: 'export { default as en } from "./en.js";\n',
      loader: 'js',
    }));
  },
};

/**
 * Writes lib/ (or `outDir`). `extraEntries` (name → source) are bundled beside the package's own,
 * sharing their chunks: the bench times its child scripts as the installed package runs.
 */
export async function buildLib(
  projectRoot: string,
  outDir = join(projectRoot, 'lib'),
  extraEntries: Record<string, string> = {},
): Promise<void> {
  rmSync(outDir, { recursive: true, force: true });
  await build({
    absWorkingDir: projectRoot,
    entryPoints: { ...ENTRIES, ...extraEntries },
    entryNames: '[name]',
    chunkNames: 'chunk-[hash]',
    outdir: join(outDir, 'cli'),
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node22.12',
    plugins: [keepDependenciesExternal, englishZodMessagesOnly],
    // the CommonJS packages bundled in call require() for Node's own modules
    banner: {
      js: "import { createRequire as __readbackRequire } from 'node:module';\nconst require = __readbackRequire(import.meta.url);",
    },
    // the bundled packages' licence comments are kept, at the end of each file
    legalComments: 'eof',
    logLevel: 'warning',
  });
}

if (import.meta.main) {
  const projectRoot = resolve(import.meta.dirname, '..');
  const outDir = process.argv[2] ? resolve(process.argv[2]) : undefined;
  await buildLib(projectRoot, outDir);
}
