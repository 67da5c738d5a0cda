/** `readback preview`: a built site served on 127.0.0.1, for a look before publishing. */
import { createReadStream, existsSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, resolve, sep } from 'node:path';
import { type Io, UsageError } from '../io/context.ts';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.md': 'text/markdown; charset=utf-8',
  '.pdf': 'application/pdf',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
  '.txt': 'text/plain; charset=utf-8',
};

/** The file a URL path names inside `root` (a folder's index.html), or null: outside it, or nothing there. */
export function fileFor(root: string, urlPath: string): string | null {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0]!.split('#')[0]!);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const path = resolve(root, `.${decoded.startsWith('/') ? decoded : `/${decoded}`}`);
  if (path !== root && !path.startsWith(root + sep)) return null;
  const stat = statSync(path, { throwIfNoEntry: false });
  if (stat?.isFile()) return path;
  if (stat?.isDirectory()) {
    const index = join(path, 'index.html');
    return statSync(index, { throwIfNoEntry: false })?.isFile() ? index : null;
  }
  return null;
}

/**
 * The path a built site's links start from: `/` for a site at the root of its origin, or the path
 * of a partner bundle's base URL (`/partners/<partner_id>/` by default), read from the home page's
 * own link to itself.
 */
export function sitePathOf(root: string): string {
  const home = join(root, 'index.html');
  if (!existsSync(home)) return '/';
  const brand = /<a class="brand" href="(\/[^"]*)"/.exec(readFileSync(home, 'utf8'));
  return brand && brand[1]!.endsWith('/') ? brand[1]! : '/';
}

export function previewServer(root: string, base = '/'): Server {
  return createServer((request, response) => {
    const url = request.url ?? '/';
    // the site is served where its links expect it; the bare origin leads there
    if (base !== '/' && (url === '/' || url === base.slice(0, -1))) {
      response.writeHead(302, { location: base });
      response.end();
      return;
    }
    const inSite = base === '/' ? url : url.startsWith(base) ? url.slice(base.length - 1) : null;
    const file =
      inSite !== null && (request.method === 'GET' || request.method === 'HEAD') ? fileFor(root, inSite) : null;
    if (!file) {
      const notFound = fileFor(root, '/404.html');
      response.writeHead(request.method === 'GET' || request.method === 'HEAD' ? 404 : 405, {
        'content-type': 'text/html; charset=utf-8',
      });
      if (notFound && request.method === 'GET') createReadStream(notFound).pipe(response);
      else response.end('Not found\n');
      return;
    }
    // a folder asked for without its trailing slash: redirect, so its relative links resolve as deployed
    const path = url.split('?')[0]!;
    if (file.endsWith(`${sep}index.html`) && !path.endsWith('/') && !path.endsWith('index.html')) {
      // a path on this server only: leading slashes or backslashes collapsed, so "//host" never leaves it
      response.writeHead(301, { location: `/${path.replace(/^[/\\]+/, '')}/` });
      response.end();
      return;
    }
    response.writeHead(200, {
      'content-type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream',
      'cache-control': 'no-store',
    });
    if (request.method === 'HEAD') response.end();
    else createReadStream(file).pipe(response);
  });
}

export async function previewCommand(
  options: { positionals: string[]; port?: string },
  io: Io,
  stopped: Promise<void>,
): Promise<number> {
  if (options.positionals.length > 1) throw new UsageError(`unexpected argument "${options.positionals[1]}"`);
  const dirArg = options.positionals[0] ?? 'dist';
  const root = resolve(io.cwd, dirArg);
  if (!existsSync(root) || !statSync(root).isDirectory())
    throw new UsageError(`${dirArg}: no such folder; build the site first (readback build) or name its folder`);
  if (!existsSync(join(root, 'index.html')))
    io.stderr.write(`readback: ${dirArg} has no index.html; is it a built site?\n`);
  const port = options.port === undefined ? 0 : Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be a port number from 0 to 65535, not "${options.port}"`);
  const base = sitePathOf(root);
  const server = previewServer(root, base);
  await new Promise<void>((done, fail) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      fail(error.code === 'EADDRINUSE' ? new UsageError(`port ${port} is in use; give another with --port`) : error),
    );
    server.listen(port, '127.0.0.1', done);
  });
  const address = server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : port}${base}`;
  io.stdout.write(`${url}\n`);
  io.stderr.write(`serving ${root} at ${url} (Ctrl-C stops)\n`);
  await stopped;
  server.closeAllConnections();
  await new Promise<void>((done) => server.close(() => done()));
  io.stderr.write('stopped\n');
  return 0;
}
