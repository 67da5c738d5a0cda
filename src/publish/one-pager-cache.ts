/**
 * One-pagers a build already rendered, reused by content: the key is the SHA-256 of everything a
 * one-pager is made of (its tuple's page in the site model, the URL its links are built on, the
 * page size) and of the tool that draws it (every source file of this package and the versions of
 * the renderer and fonts), so a reused PDF is the one a clean build would render, byte for byte.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { PdfReading } from '../pdf/readings.ts';
import { packageJsonOf } from '../io/package-json.ts';

/** In the workspace: what earlier builds rendered (like the rest of .readback/, never published). */
export const ONE_PAGER_CACHE_FOLDER = '.readback/cache/one-pagers';

const sha256 = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)],
  );
}

/** The folder of the code running now: the package's src/ (from a checkout) or its compiled lib/ (installed). */
const RUNNING_CODE = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/**
 * What draws a one-pager: the code running now (every file of src/ or lib/, whichever this is;
 * the other is not what draws), the package's version, and the renderer's and fonts'.
 */
export function toolIdentity(packageRoot: string, code = RUNNING_CODE): string {
  const hash = createHash('sha256');
  for (const file of filesUnder(code).sort()) {
    hash.update(`${relative(packageRoot, file)}\0`);
    hash.update(readFileSync(file));
  }
  // every package the renderer and pdf.js load, at the version installed (a lockfile update to any
  // of them, pinned or not, renders again), and the Node.js that runs them (its zlib deflates)
  for (const line of dependencyClosure(join(packageRoot, 'package.json'), [
    '@react-pdf/renderer',
    'pdfjs-dist',
    'react',
    '@fontsource/inter',
    '@fontsource/jetbrains-mono',
  ]))
    hash.update(`${line}\0`);
  hash.update(`node ${process.versions.node} zlib ${process.versions.zlib}\0`);
  hash.update(readFileSync(join(packageRoot, 'package.json')));
  return hash.digest('hex');
}

/** `identity` and the versions of `packages` (as the package loads them, with all they depend on): a cache's tool. */
export function identityWith(identity: string, packageRoot: string, packages: readonly string[]): string {
  return sha256(`${identity}\0${dependencyClosure(join(packageRoot, 'package.json'), packages).join('\0')}`);
}

/** A package as one package.json loads it: where, `name@version`, and what it depends on. */
interface Resolved {
  path: string | null;
  id: string;
  dependencies: string[];
}

/**
 * Each package looked up once per process, by name and the package.json asking: a build asks for
 * the closures of several tools (Astro's of hundreds of packages among them), most sharing packages.
 */
const resolvedPackages = new Map<string, Resolved>();

function resolvePackage(name: string, from: string): Resolved {
  const key = `${name}\0${from}`;
  let resolved = resolvedPackages.get(key);
  if (!resolved) {
    const path = packageJsonOf(name, from);
    const manifest = path ? JSON.parse(readFileSync(path, 'utf8')) : null;
    resolved = {
      path,
      id: `${name}@${manifest?.version ?? 'missing'}`,
      dependencies: path ? Object.keys({ ...manifest.dependencies, ...manifest.optionalDependencies }) : [],
    };
    resolvedPackages.set(key, resolved);
  }
  return resolved;
}

/** `name@version` of each package reachable from `roots` through dependencies, sorted. */
export function dependencyClosure(from: string, roots: readonly string[]): string[] {
  const seen = new Map<string, string>();
  const queue = roots.map((name) => ({ name, from }));
  while (queue.length > 0) {
    const { name, from: parent } = queue.shift()!;
    const { path, id, dependencies } = resolvePackage(name, parent);
    if (seen.has(`${name}\0${path}`)) continue;
    seen.set(`${name}\0${path}`, id);
    if (path) for (const dependency of dependencies) queue.push({ name: dependency, from: path });
  }
  return [...new Set(seen.values())].sort();
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

  /**
   * The file of the PDF stored under `key`. A build links it into the site it publishes: an entry
   * is written once (to a temporary name, then renamed into place) and never changed in place.
   */
  fileOf(key: string): string {
    return join(this.#dir, `${key}.pdf`);
  }

  /** The PDF and its reading stored under `key`, or null (none, or its bytes are not the ones recorded). */
  get(key: string): { pdf: Buffer; reading: PdfReading } | null {
    try {
      const pdf = readFileSync(this.fileOf(key));
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
