/** Runs in every test file: the temp folders it made are removed when it ends. */
import { afterAll } from 'vitest';
import { removeTempDirs } from './helpers/workspace.ts';

afterAll(removeTempDirs);
