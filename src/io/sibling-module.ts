/**
 * A module beside the running one, for a worker thread or child process to start: a checkout runs
 * the TypeScript sources (`.ts`, Node strips their types), the installed package runs the compiled
 * lib/ (`.js`: Node refuses to strip types under node_modules, and the compiler rewrites only
 * static import specifiers, never a URL built at run time).
 */
export function siblingModule(name: string, importMetaUrl: string): URL {
  const extension = importMetaUrl.endsWith('.ts') ? '.ts' : '.js';
  return new URL(`./${name}${extension}`, importMetaUrl);
}
