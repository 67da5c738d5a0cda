/** Reads the workspace's readback.config.yaml (optional), strictly, and checks its logo file. */
import { existsSync, lstatSync, readFileSync, realpathSync } from 'node:fs';
import { join, sep } from 'node:path';
import { problem } from '../core/problems.ts';
import { parseSettings, type SettingsRead, SETTINGS_FILE, svgLogoProblem } from '../core/settings.ts';
import { readTextFile } from './text-file.ts';
import { TUPLES_FOLDER } from './workspace.ts';

/**
 * Why a logo cannot be published, or null. It is copied into every site, partner bundles
 * included, so it must be a plain image file of the workspace itself: no symlink (which could
 * publish any file), nothing of a tuple's exports, nothing Readback writes.
 */
function logoProblem(root: string, logo: string): string | null {
  const path = join(root, logo);
  const stat = lstatSync(path, { throwIfNoEntry: false });
  if (!stat) return 'no such file in the workspace';
  if (stat.isSymbolicLink()) return 'is a symbolic link; give the image file itself';
  if (!stat.isFile()) return 'is not a file';
  const real = realpathSync(path);
  const workspace = realpathSync(root);
  if (!real.startsWith(workspace + sep)) return 'leads outside the workspace';
  const inside = real
    .slice(workspace.length + 1)
    .split(sep)
    .join('/');
  if (inside.startsWith(`${TUPLES_FOLDER}/`) || inside.startsWith('.readback/') || inside.startsWith('dist/'))
    return `is inside ${inside.split('/').slice(0, 2).join('/')}/, which holds exports or what Readback writes`;
  if (logo.toLowerCase().endsWith('.svg')) return svgLogoProblem(readFileSync(path, 'utf8'));
  return null;
}

export function readSettings(root: string): SettingsRead {
  const path = join(root, SETTINGS_FILE);
  if (!existsSync(path)) return { settings: {}, problems: [], at: () => ({ file: SETTINGS_FILE }) };
  const text = readTextFile(path, SETTINGS_FILE, 'BAD_SETTING');
  if (text.value === null) return { settings: {}, problems: text.problems, at: () => ({ file: SETTINGS_FILE }) };
  const read = parseSettings(text.value);
  const logo = read.settings.logo;
  const why = logo === undefined ? null : logoProblem(root, logo);
  if (why !== null)
    return { ...read, settings: {}, problems: [problem('BAD_SETTING', `logo "${logo}" ${why}`, read.at('logo'))] };
  return read;
}
