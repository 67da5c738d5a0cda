import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, inject, it } from 'vitest';
import { main } from '../src/cli/main.ts';
import { fileFor } from '../src/cli/preview.ts';
import { REPO_ROOT, tempDir } from './helpers/workspace.ts';

function site(): string {
  const dist = tempDir();
  writeFileSync(join(dist, 'index.html'), '<h1>home</h1>');
  mkdirSync(join(dist, 'annex', 'acme'), { recursive: true });
  writeFileSync(join(dist, 'annex', 'acme', 'index.html'), '<h1>annex</h1>');
  writeFileSync(join(dist, 'report.json'), '{}');
  return dist;
}

/** Runs `readback preview` in-process until `stop` resolves; returns its URL once printed. */
function startPreview(args: string[]) {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let stop!: () => void;
  const stopped = new Promise<void>((done) => (stop = done));
  const url = new Promise<string>((done) => stdout.once('data', (chunk) => done(String(chunk).trim())));
  const exit = main(['preview', ...args], {
    stdout: stdout as unknown as NodeJS.WriteStream,
    stderr: stderr as unknown as NodeJS.WriteStream,
    cwd: REPO_ROOT,
    stopped,
  });
  return { url, stop, exit };
}

describe('readback preview', () => {
  it('serves the built site on 127.0.0.1: folders by their index.html, files with their type, 404 otherwise', async () => {
    const dist = site();
    const preview = startPreview([dist]);
    const url = await preview.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(await (await fetch(url)).text()).toBe('<h1>home</h1>');
    const annex = await fetch(`${url}annex/acme/`);
    expect(await annex.text()).toBe('<h1>annex</h1>');
    expect(annex.headers.get('content-type')).toContain('text/html');
    const redirected = await fetch(`${url}annex/acme`, { redirect: 'manual' });
    expect([redirected.status, redirected.headers.get('location')]).toEqual([301, '/annex/acme/']);
    expect((await fetch(`${url}report.json`)).headers.get('content-type')).toContain('application/json');
    // never a redirect to another host ("//host/…" is a scheme-relative URL)
    const { request } = await import('node:http');
    const location = await new Promise<string | undefined>((done) =>
      request(`${url}annex/acme`, { path: '//annex/acme' }, (response) => {
        response.resume();
        done(response.headers.location);
      }).end(),
    );
    expect(location).toBe('/annex/acme/');
    expect((await fetch(`${url}nothing/`)).status).toBe(404);
    expect((await fetch(`${url}%2e%2e/%2e%2e/etc/passwd`)).status).toBe(404);
    preview.stop();
    expect(await preview.exit).toBe(0);
  });

  it('serves a partner bundle on its own at the path its links start from, every link of its pages resolving', async () => {
    const bundles = join(inject('sampleRoot'), 'dist', 'partners');
    const partnerId = readdirSync(bundles).find((name) => !name.endsWith('.html'))!;
    const preview = startPreview([join(bundles, partnerId)]);
    const url = await preview.url;
    expect(url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:\\d+/partners/${partnerId}/$`));
    const origin = new URL(url).origin;
    expect((await fetch(origin, { redirect: 'manual' })).headers.get('location')).toBe(`/partners/${partnerId}/`);
    const pages = [url];
    const home = await (await fetch(url)).text();
    for (const [, href] of home.matchAll(/href="(\/[^"#]*)/g)) pages.push(`${origin}${href}`);
    expect(pages.length).toBeGreaterThan(3);
    for (const page of pages) expect((await fetch(page)).status, page).toBe(200);
    preview.stop();
    expect(await preview.exit).toBe(0);
  });

  it('never serves a file outside the folder', () => {
    const dist = site();
    expect(fileFor(dist, '/../../etc/passwd')).toBeNull();
    expect(fileFor(dist, '/..%2f..%2fetc/passwd')).toBeNull();
    expect(fileFor(dist, '/%00')).toBeNull();
    expect(fileFor(dist, '/annex/acme/')).toBe(join(dist, 'annex', 'acme', 'index.html'));
  });

  it('is a usage error for a missing folder or a bad port (exit 64)', async () => {
    for (const args of [[join(tempDir(), 'none')], [site(), '--port', 'eighty'], [site(), 'extra']]) {
      const preview = startPreview(args);
      expect(await preview.exit, args.join(' ')).toBe(64);
    }
  });

  it('ends cleanly on Ctrl-C, printing its URL first', async () => {
    const dist = site();
    const child = spawn(process.execPath, [join(REPO_ROOT, 'src/cli/main.ts'), 'preview', dist], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const url = await new Promise<string>((done) => child.stdout.once('data', (chunk) => done(String(chunk).trim())));
    expect((await fetch(url)).status).toBe(200);
    const code = new Promise<number | null>((done) => child.once('exit', (exitCode) => done(exitCode)));
    child.kill('SIGINT');
    expect(await code).toBe(0);
  });
});
