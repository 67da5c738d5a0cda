/**
 * The site a build replaced, removed without the build waiting for it: unlinking some thousands of
 * files takes the kernel about half a second, which the build would otherwise spend at its very
 * end. The old site is first moved out of the way, into `<workspace>/.readback/trash/<build>/`
 * (or, when the output folder is on another file system, beside it as `<out>.previous-<build>`),
 * then a process of its own removes it, and whatever an earlier one left in the trash.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** In the workspace: sites replaced by a build, until the process removing them has. */
export const TRASH_FOLDER = '.readback/trash';

/** The removing process's code: each folder named, each on its own (one that another removes is skipped). */
const REMOVER = `for (const folder of process.argv.slice(1)) try { require('node:fs').rmSync(folder, { recursive: true, force: true }) } catch {}`;

export function removeInBackground(root: string, folder: string, build: string): void {
  if (!existsSync(folder)) return;
  const trash = join(root, TRASH_FOLDER);
  let moved = join(trash, build);
  try {
    mkdirSync(trash, { recursive: true });
    renameSync(folder, moved);
  } catch {
    // another file system: moved aside where it is, under a name no other build uses
    moved = `${folder}-${build}`;
    renameSync(folder, moved);
  }
  const leftovers = existsSync(trash) ? readdirSync(trash).map((name) => join(trash, name)) : [];
  const targets = [...new Set([moved, ...leftovers])];
  try {
    spawn(process.execPath, ['-e', REMOVER, ...targets], {
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
    }).unref();
  } catch {
    // no process to be had: removed here, as before
    for (const target of targets) rmSync(target, { recursive: true, force: true });
  }
}
