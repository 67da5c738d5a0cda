/**
 * One-pagers a build already rendered, reused by content: the key is the SHA-256 of everything a
 * one-pager is made of (its tuple's page in the site model, the URL its links are built on, the
 * page size) and of the tool that draws it (every source file of this package and the versions of
 * the renderer and fonts), so a reused PDF is the one a clean build would render, byte for byte.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join, relative } from 'node:path';
import type { PdfReading } from '../pdf/readings.ts';

/** In the workspace: what earlier builds rendered (like the rest of .readback/, never published). */
export const ONE_PAGER_CACHE_FOLDER = '.readback/cache/one-pagers';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** What draws a one-pager: this package's sources (and compiled lib/), its version, and the renderer's and fonts'. */
export function toolIdentity(packageRoot: string): string {
  const hash = createHash('sha256');
  for (const file of [...filesUnder(join(packageRoot, 'src')), ...filesUnder(join(packageRoot, 'lib'))].sort()) {
    hash.update(`${relative(packageRoot, file)}\0`);
    hash.update(readFileSync(file));
  }
  const require = createRequire(join(packageRoot, 'package.json'));
  for (const name of [
    '@react-pdf/renderer',
    '@fontsource/inter',
    '@fontsource/jetbrains-mono',
    'pdfjs-dist',
    'react',
  ]) {
    let version = 'missing';
    try {
      version = JSON.parse(readFileSync(require.resolve(`${name}/package.json`), 'utf8')).version;
    } catch {}
    hash.update(`${name}@${version}\0`);
  }
  hash.update(readFileSync(join(packageRoot, 'package.json')));
  return hash.digest('hex');
}

export class OnePagerCache {
  readonly #dir: string;
  readonly #identity: string;
  readonly #used = new Set<string>();

  constructor(dir: string, identity: string) {
    this.#dir = dir;
    this.#identity = identity;
  }

  key(input: unknown): string {
    const key = sha256(`${this.#identity}\0${JSON.stringify(input)}`);
    this.#used.add(key);
    return key;
  }

  /** The PDF and its reading stored under `key`, or null (none, or its bytes are not the ones recorded). */
  get(key: string): { pdf: Buffer; reading: PdfReading } | null {
    try {
      const pdf = readFileSync(join(this.#dir, `${key}.pdf`));
      const meta = JSON.parse(readFileSync(join(this.#dir, `${key}.json`), 'utf8')) as {
        sha256: string;
        reading: PdfReading;
      };
      return meta.sha256 === sha256(pdf) ? { pdf, reading: meta.reading } : null;
    } catch {
      return null;
    }
  }

  put(key: string, pdf: Uint8Array, reading: PdfReading): void {
    mkdirSync(this.#dir, { recursive: true });
    const write = (name: string, data: string | Uint8Array) => {
      const temporary = join(this.#dir, `${name}.${process.pid}.tmp`);
      writeFileSync(temporary, data);
      renameSync(temporary, join(this.#dir, name));
    };
    write(`${key}.pdf`, pdf);
    write(`${key}.json`, JSON.stringify({ sha256: sha256(pdf), reading }));
  }

  /** Forgets every entry this build did not ask for an hour after it was written, so the cache does not grow. */
  prune(now = Date.now()): void {
    if (!existsSync(this.#dir)) return;
    for (const name of readdirSync(this.#dir)) {
      const key = name.replace(/\.(pdf|json|\d+\.tmp)$/, '');
      if (this.#used.has(key)) continue;
      const path = join(this.#dir, name);
      if (now - statSync(path).mtimeMs > 3_600_000) rmSync(path, { force: true });
    }
  }
}
