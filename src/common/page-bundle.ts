/**
 * A page served by the service from memory (the workers' page, the staff console): its files are read once at
 * start (so no path from a request ever reaches the file system), its message catalogue is served as
 * `messages.json`, and a version hashed from all of it goes into asset URLs so they may be cached for long.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import { NotFoundError } from './errors';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

/** The Content-Type of a rendered page. */
export const HTML_TYPE = TYPES['.html'];

export interface Asset {
  type: string;
  body: Buffer;
}

export interface PageBundle {
  assets: Map<string, Asset>;
  /** index.html as written, for the page to render per language. */
  template: string;
  version: string;
}

/** `assets/<name>` of the project, found by walking up from here (from `src/` or `dist/src/`). */
function findDir(relative: string): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, relative);
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${relative}/index.html not found above ${__dirname}`);
    dir = parent;
  }
}

export function loadPageBundle(relative: string, messages: unknown): PageBundle {
  const dir = findDir(relative);
  const hash = createHash('sha256');
  const assets = new Map<string, Asset>();
  for (const name of readdirSync(dir).sort()) {
    const type = TYPES[path.extname(name)];
    if (!type || name === 'index.html') continue;
    const body = readFileSync(path.join(dir, name));
    assets.set(name, { type, body });
    hash.update(name).update(body);
  }
  const catalogue = Buffer.from(JSON.stringify(messages));
  assets.set('messages.json', { type: TYPES['.json'], body: catalogue });
  const template = readFileSync(path.join(dir, 'index.html'), 'utf8');
  hash.update(template).update(catalogue);
  return { assets, template, version: hash.digest('hex').slice(0, 12) };
}

/**
 * One of a page's files for `GET …/assets/:file?v=`: cached for good when the URL carries the current version
 * (a new version is a new URL), revalidated otherwise; an unknown name is 404 like any unknown resource.
 */
export function assetReply(
  bundle: Pick<PageBundle, 'assets' | 'version'>,
  file: string,
  version: unknown,
  reply: FastifyReply,
): Buffer {
  const asset = bundle.assets.get(file);
  if (!asset) throw new NotFoundError('File');
  void reply
    .type(asset.type)
    .header('cache-control', version === bundle.version ? 'public, max-age=31536000, immutable' : 'no-cache');
  return asset.body;
}

export const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );
