/** Builds the bundled sample into a temp workspace once per test file. */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { parseSiteModel, type SiteModel } from '../../src/core/site-model.ts';
import { launchBrowser, serveDirectory } from './browser.ts';
import { copyWorkspace, REPO_ROOT } from './workspace.ts';

export function buildSite(
  root = copyWorkspace(),
  env: Record<string, string> = {},
): { root: string; dist: string; status: number | null; stderr: string } {
  const result = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'build.ts'), '--root', root], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, ASTRO_TELEMETRY_DISABLED: '1', READBACK_TODAY: '2026-11-26', ...env },
  });
  return { root, dist: join(root, 'dist'), status: result.status, stderr: result.stderr };
}

/** Builds the sample once for the calling test file; read `.root`, `.dist`, `.model` (parsed by its schema) inside tests. */
export function useBuiltSite(prepare?: (root: string) => void): { root: string; dist: string; model: SiteModel } {
  const state = {} as { root: string; dist: string; model: SiteModel };
  beforeAll(() => {
    const root = copyWorkspace();
    prepare?.(root);
    const built = buildSite(root);
    if (built.status !== 0) throw new Error(built.stderr);
    const modelPath = join(built.root, '.readback/site/model.json');
    Object.assign(state, {
      root: built.root,
      dist: built.dist,
      model: parseSiteModel(JSON.parse(readFileSync(modelPath, 'utf8')), modelPath),
    });
  });
  return state;
}

/** A static server for `dist` and a headless Chromium, started once for the calling describe block. */
export function useBrowser(dist: () => string): { browser: Browser; url: string } {
  const state = {} as { browser: Browser; url: string; close: () => Promise<void> };
  beforeAll(async () => {
    const server = await serveDirectory(dist());
    Object.assign(state, { url: server.url, close: server.close, browser: await launchBrowser() });
  });
  afterAll(async () => {
    await state.browser?.close();
    await state.close?.();
  });
  return state;
}
