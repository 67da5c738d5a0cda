/**
 * The site a build replaced, removed without the build waiting for it: unlinking some thousands of
 * files takes the kernel about half a second, which the build would otherwise spend at its very
 * end. The old site is first moved out of the way, into `<workspace>/.readback/trash/<build>/`
 * (or, when the output folder is on another file system, beside it as `<out>.previous-<build>`),
 * then a process of its own removes it, and whatever an earlier one left in the trash.
 *
 * Its folders are kept: the process removes every file of the old site (and the folders named in
 * `without`), and moves the empty folders left to `<workspace>/.readback/skeleton/`, where the next
 * build takes them as its staging folder (page-folders.ts). A rebuild made some 2,400 folders anew
 * that the site it replaced had, and its old ones were removed meanwhile: on ext4 each new folder
 * is a new inode, found by passing over the ones freed minutes before (docs/PERFORMANCE.md).
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';

/** In the workspace: sites replaced by a build, until the process removing them has. */
export const TRASH_FOLDER = '.readback/trash';

/** In the workspace: the folders of the site last replaced, emptied of its files, for the next build (page-folders.ts). */
export const SKELETON_FOLDER = '.readback/skeleton';

/**
 * What the removing process is told: the folder whose folders it keeps (as `skeleton`, without the
 * folders named in `without`), or none; then the folders it removes whole.
 */
interface RemoverTask {
  keep: { folder: string; skeleton: string; without: string[] } | null;
  remove: string[];
}

/**
 * The removing process's code (self-contained: it runs as `node -e`), on the task passed as JSON.
 * Each folder is first claimed, renamed to a name of this process's own: one that another remover
 * (of a build that ended meanwhile) claimed first is left to it, and no remover works in a folder
 * another then makes the skeleton, which a build may be writing in. The folder kept: its files
 * removed (and the folders it is without), then moved to be the skeleton, unless one is there
 * already or anything fails: then removed whole, as are the others. A link to a folder is a file here.
 */
const REMOVER = `const { existsSync, readdirSync, renameSync, rmSync, unlinkSync } = require('node:fs');
const { join } = require('node:path');
const task = JSON.parse(process.argv[1]);
const empty = (dir) => {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) empty(path);
    else unlinkSync(path);
  }
};
const claim = (folder) => {
  const mine = folder.replace(/\\.removing-\\d+$/, '') + '.removing-' + process.pid;
  try { renameSync(folder, mine); return mine; } catch { return null; }
};
const remove = [];
if (task.keep) {
  const { skeleton, without } = task.keep;
  const folder = claim(task.keep.folder);
  if (folder) try {
    for (const name of without) rmSync(join(folder, name), { recursive: true, force: true });
    empty(folder);
    if (existsSync(skeleton)) throw new Error('a skeleton is kept already');
    renameSync(folder, skeleton);
  } catch {
    remove.push(folder);
  }
}
for (const folder of task.remove) { const mine = claim(folder); if (mine) remove.push(mine); }
for (const folder of remove) try { rmSync(folder, { recursive: true, force: true }); } catch {}`;

export function removeInBackground(
  root: string,
  folder: string,
  build: string,
  /** the folders of `folder` removed with its files: not kept for the next build (the partner bundles') */
  without: string[] = [],
): void {
  if (!existsSync(folder)) return;
  const trash = join(root, TRASH_FOLDER);
  let moved = join(trash, build);
  let keep: RemoverTask['keep'] = null;
  try {
    mkdirSync(trash, { recursive: true });
    renameSync(folder, moved);
    // in the workspace, where the next build stages its site: its folders kept for it
    keep = { folder: moved, skeleton: join(root, SKELETON_FOLDER), without };
  } catch {
    // another file system: moved aside where it is, under a name no other build uses
    moved = `${folder}-${build}`;
    renameSync(folder, moved);
  }
  const leftovers = existsSync(trash) ? readdirSync(trash).map((name) => join(trash, name)) : [];
  const targets = [...new Set([moved, ...leftovers])];
  const task: RemoverTask = { keep, remove: targets.filter((target) => target !== keep?.folder) };
  try {
    spawn(process.execPath, ['-e', REMOVER, JSON.stringify(task)], {
      detached: true,
      stdio: 'ignore',
      windowsHide: true,
    }).unref();
  } catch {
    // no process to be had: removed here, as before
    for (const target of targets) rmSync(target, { recursive: true, force: true });
  }
}
