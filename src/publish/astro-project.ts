/**
 * Where Astro builds a build's pages. Astro writes into its project folder (`.astro/`, the types it
 * generates) and into its working folder (the compiled pages, see pages.ts), so both must be
 * writable. Readback's own Astro project is the package folder: in a checkout, or an installed
 * package the user can write to (what `npm install` gives), the working folder is
 * `<package>/.readback/astro/<build>/`. A package folder that cannot be written (a system-wide or
 * read-only install) is left alone: the working folder is then `<workspace>/.readback/astro/<build>/`,
 * and Astro builds a copy of the project made inside it (`astroProjectRoot`).
 */
import { accessSync, constants, cpSync, existsSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, isAbsolute, join, relative } from 'node:path';

/** What Astro needs of the package to build the site: the pages and what they import, and its config. */
const PROJECT_FILES = ['src', 'astro.config.mjs', 'tsconfig.json'];

/** True when the existing folder `parent` and its `.readback/astro/` (made if missing) can be written to. */
function writable(parent: string): boolean {
  try {
    accessSync(parent, constants.W_OK);
    const folder = join(parent, '.readback', 'astro');
    mkdirSync(folder, { recursive: true });
    accessSync(folder, constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * The working folder of one build's Astro run (made by the build, removed when it ends). The
 * workspace is written to by every build anyway (its staging folder, its reconcile report).
 */
export function astroWorkFolder(packageRoot: string, workspaceRoot: string, build: string): string {
  return join(writable(packageRoot) ? packageRoot : workspaceRoot, '.readback', 'astro', build);
}

/** The node_modules folder the package's dependencies are installed in (astro is one of them). */
function dependencyFolder(packageRoot: string): string {
  for (let dir = packageRoot; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', 'astro'))) return join(dir, 'node_modules');
    if (dirname(dir) === dir) throw new Error(`astro is not installed where ${packageRoot} can find it`);
  }
}

/**
 * The project root Astro builds from: the package itself when the working folder is inside it;
 * otherwise a copy of the project inside the working folder, beside a node_modules that links to
 * the package's dependencies: the copy's pages and Astro's compiled pages (in the working folder)
 * import them from there.
 */
export function astroProjectRoot(packageRoot: string, workDir: string): string {
  const fromPackage = relative(packageRoot, workDir);
  if (!fromPackage.startsWith('..') && !isAbsolute(fromPackage)) return packageRoot;
  const copy = join(workDir, 'project');
  for (const file of PROJECT_FILES) cpSync(join(packageRoot, file), join(copy, file), { recursive: true });
  symlinkSync(dependencyFolder(packageRoot), join(workDir, 'node_modules'), 'junction');
  return copy;
}
