/** Building sites for tests: in-process with publish(), as `npm run build` in a process, or the run's shared sample. */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, inject } from 'vitest';
import { exitCodeOf, formatProblem } from '../../src/core/problems.ts';
import { parseSiteModel, type SiteModel } from '../../src/core/site-model.ts';
import { publish, type PublishResult } from '../../src/publish/publish.ts';
import { launchBrowser, serveDirectory } from './browser.ts';
import { copyWorkspace, REPO_ROOT, tempDir } from './workspace.ts';

export interface BuiltSite {
  root: string;
  dist: string;
  /** the exit code `npm run build` would give */
  status: number;
  /** what the build said: its log lines and every problem, one per line */
  stderr: string;
  result: PublishResult;
}

/** Builds a workspace in this process with publish(), as `npm run build` does (its settings given as env names). */
export async function buildSite(
  root = copyWorkspace(),
  env: Record<string, string> = {},
  out = join(root, 'dist'),
): Promise<BuiltSite> {
  const lines: string[] = [];
  const result = await publish({
    root,
    out,
    siteUrl: env.READBACK_SITE_URL,
    partnerSiteUrl: env.READBACK_PARTNER_SITE_URL,
    today: env.READBACK_TODAY ?? '2026-11-26',
    allowAnchorRemoval: env.READBACK_ALLOW_ANCHOR_REMOVAL === '1',
    log: (line) => lines.push(line),
  });
  for (const p of result.problems) lines.push(formatProblem(p));
  const status = result.published ? 0 : exitCodeOf(result.problems);
  return { root, dist: out, status, stderr: lines.join('\n'), result };
}

export interface SpawnedBuild {
  root: string;
  dist: string;
  status: number | null;
  stdout: string;
  stderr: string;
}

const buildCommand = (root: string, args: string[]) => [
  join(REPO_ROOT, 'scripts', 'build.ts'),
  '--root',
  root,
  ...args,
];
const buildEnv = (env: Record<string, string>) => ({
  ...process.env,
  ASTRO_TELEMETRY_DISABLED: '1',
  READBACK_TODAY: '2026-11-26',
  ...env,
});

/** Runs `npm run build` itself in a process of its own (for what only a process shows: env, locale, a kill). */
export function spawnBuild(
  root = copyWorkspace(),
  env: Record<string, string> = {},
  args: string[] = [],
): SpawnedBuild {
  const result = spawnSync(process.execPath, buildCommand(root, args), {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: buildEnv(env),
  });
  return { root, dist: join(root, 'dist'), status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** `spawnBuild` without waiting: `pid` at once, the outcome once the process exits (for builds running at the same time). */
export function startBuild(
  root = copyWorkspace(),
  env: Record<string, string> = {},
  args: string[] = [],
): { pid: number; done: Promise<SpawnedBuild> } {
  const child = spawn(process.execPath, buildCommand(root, args), { cwd: REPO_ROOT, env: buildEnv(env) });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const done = new Promise<SpawnedBuild>((resolve) =>
    child.on('close', (status) => resolve({ root, dist: join(root, 'dist'), status, stdout, stderr })),
  );
  return { pid: child.pid!, done };
}

function readModel(root: string): SiteModel {
  const modelPath = join(root, '.readback/site/model.json');
  return parseSiteModel(JSON.parse(readFileSync(modelPath, 'utf8')), modelPath);
}

/**
 * A built site for the calling test file, read-only: the bundled sample the run built once
 * (test/global-setup.ts), or, with `prepare`, a copy of the sample changed by it and built for
 * this file. Read `.root`, `.dist`, `.model` (parsed by its schema) inside tests.
 */
export function useBuiltSite(prepare?: (root: string) => void): { root: string; dist: string; model: SiteModel } {
  const state = {} as { root: string; dist: string; model: SiteModel };
  beforeAll(async () => {
    let root = inject('sampleRoot');
    if (prepare) {
      root = copyWorkspace();
      prepare(root);
      const built = await buildSite(root);
      if (built.status !== 0) throw new Error(built.stderr);
    }
    Object.assign(state, { root, dist: join(root, 'dist'), model: readModel(root) });
  });
  return state;
}

/** A workspace of its own holding the bundled sample as already built and published (dist/ and .readback/ included). */
export function copyBuiltSample(): { root: string; dist: string } {
  const root = tempDir();
  cpSync(inject('sampleRoot'), root, { recursive: true });
  return { root, dist: join(root, 'dist') };
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
