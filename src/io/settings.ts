/** Reads the workspace's readback.config.yaml (optional), strictly, and checks its logo file is there. */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { problem } from '../core/problems.ts';
import { parseSettings, type SettingsRead, SETTINGS_FILE } from '../core/settings.ts';
import { readTextFile } from './text-file.ts';

export function readSettings(root: string): SettingsRead {
  const path = join(root, SETTINGS_FILE);
  if (!existsSync(path)) return { settings: {}, problems: [], at: () => ({ file: SETTINGS_FILE }) };
  const text = readTextFile(path, SETTINGS_FILE, 'BAD_SETTING');
  if (text.value === null) return { settings: {}, problems: text.problems, at: () => ({ file: SETTINGS_FILE }) };
  const read = parseSettings(text.value);
  const logo = read.settings.logo;
  if (logo !== undefined && !statSync(join(root, logo), { throwIfNoEntry: false })?.isFile())
    return {
      ...read,
      settings: {},
      problems: [problem('BAD_SETTING', `logo "${logo}": no such file in the workspace`, read.at('logo'))],
    };
  return read;
}
