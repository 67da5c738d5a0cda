// Node's compile cache keeps the compiled code of every module between runs, so a command starts
// faster from its second run on. It is kept in this user's cache folder (never beside the
// workspace, never in a folder other users write to); NODE_COMPILE_CACHE, when set, chooses
// another folder and NODE_DISABLE_COMPILE_CACHE=1 turns it off (Node reads both itself).
//
// The folder is also handed to the build's worker threads and to the process that renders the
// pages (Astro, Vite and the site's modules, by far the most code a build compiles): Node enables
// the cache for them only through NODE_COMPILE_CACHE in their environment.
import nodeModule from 'node:module';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';

function userCacheFolder() {
  try {
    const env = process.env;
    const base =
      process.platform === 'win32'
        ? env.LOCALAPPDATA
        : process.platform === 'darwin'
          ? join(homedir(), 'Library', 'Caches')
          : env.XDG_CACHE_HOME || join(homedir(), '.cache');
    // a relative folder would be read from the current directory: the workspace
    return base && isAbsolute(base) ? join(base, 'readback', 'compile-cache') : null;
  } catch {
    return null; // no home folder: no cache
  }
}

/** Turns the compile cache on for this process and for the threads and processes it starts. */
export function enableCompileCache() {
  // Node enabled it already, and children inherit it: as a full path, as Astro's process runs in
  // a folder of its own and would read a relative one from there
  if (process.env.NODE_COMPILE_CACHE) {
    process.env.NODE_COMPILE_CACHE = resolve(process.env.NODE_COMPILE_CACHE);
    return;
  }
  const folder = userCacheFolder();
  // Node before 22.1 has no compile cache; a folder that cannot be written only means no cache
  const enabled = folder ? nodeModule.enableCompileCache?.(folder) : undefined;
  // set only when the cache is on: NODE_DISABLE_COMPILE_CACHE=1 leaves it off everywhere
  if (enabled?.directory && process.env.NODE_DISABLE_COMPILE_CACHE !== '1')
    process.env.NODE_COMPILE_CACHE = enabled.directory;
}
