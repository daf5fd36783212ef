import { Controller, Get, Headers, Injectable, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { Public } from '../auth/decorators';
import { NotFoundError } from '../common/errors';
import { LANGS, type Lang, MESSAGES, negotiateLanguage, pageMessages } from '../i18n/messages';

/** The page's own files, found by walking up from here to the project root (from `src/` or `dist/src/`). */
export const PAGE_DIR = 'assets/public';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.json': 'application/json; charset=utf-8',
};

interface Asset {
  type: string;
  body: Buffer;
}

function findPageDir(): string {
  let dir = __dirname;
  for (;;) {
    const candidate = path.join(dir, PAGE_DIR);
    if (existsSync(path.join(candidate, 'index.html'))) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error(`${PAGE_DIR}/index.html not found above ${__dirname}`);
    dir = parent;
  }
}

const escapeHtml = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

/**
 * The workers' page (SPEC §10): plain HTML, CSS and one script, all served from memory by the service (the
 * set of files is fixed at start, so no path from a request ever reaches the file system). The HTML is
 * rendered once per language from the message catalogue; the script switches language in place.
 */
@Injectable()
export class PublicPage {
  private readonly assets = new Map<string, Asset>();
  private readonly html = new Map<Lang, Buffer>();
  /** Changes whenever a file or the catalogue changes: asset URLs carry it, so they may be cached for long. */
  readonly version: string;

  constructor() {
    const dir = findPageDir();
    const hash = createHash('sha256');
    for (const name of readdirSync(dir).sort()) {
      const type = TYPES[path.extname(name)];
      if (!type || name === 'index.html') continue;
      const body = readFileSync(path.join(dir, name));
      this.assets.set(name, { type, body });
      hash.update(name).update(body);
    }
    const messages = Buffer.from(JSON.stringify(Object.fromEntries(LANGS.map((l) => [l, pageMessages(l)]))));
    this.assets.set('messages.json', { type: TYPES['.json'], body: messages });
    const template = readFileSync(path.join(dir, 'index.html'), 'utf8');
    hash.update(template).update(messages);
    this.version = hash.digest('hex').slice(0, 12);
    for (const lang of LANGS) this.html.set(lang, Buffer.from(this.render(template, lang)));
  }

  /** `{{lang}}`, `{{version}}` and `{{t:key}}` (a page message, HTML-escaped). */
  private render(template: string, lang: Lang): string {
    const messages = pageMessages(lang);
    return template.replace(/\{\{(t:)?([\w.]+)\}\}/g, (whole, t: string | undefined, key: string) => {
      if (t) {
        const text = messages[key];
        if (text === undefined) throw new Error(`index.html uses the unknown message '${key}'`);
        return escapeHtml(text);
      }
      if (key === 'lang') return lang === 'zh' ? 'zh-CN' : 'en';
      if (key === 'version') return this.version;
      if (key === 'otherLang') return lang === 'zh' ? 'en' : 'zh';
      if (key === 'title') return escapeHtml(MESSAGES[lang].page.title);
      return whole;
    });
  }

  page(lang: Lang): Buffer {
    return this.html.get(lang)!;
  }

  asset(name: string): Asset | undefined {
    return this.assets.get(name);
  }
}

@ApiExcludeController()
@Controller()
export class PublicPageController {
  constructor(private readonly page: PublicPage) {}

  /** `?lang=en|zh` (the switch without script) wins over `Accept-Language`. */
  @Public()
  @Get()
  index(
    @Query('lang') lang: unknown,
    @Headers('accept-language') acceptLanguage: string | undefined,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const chosen = lang === 'en' || lang === 'zh' ? lang : negotiateLanguage(acceptLanguage);
    void reply
      .type(TYPES['.html'])
      .header('cache-control', 'no-cache')
      .header('content-language', chosen)
      .header('vary', 'Accept-Language');
    return this.page.page(chosen);
  }

  @Public()
  @Get('assets/:file')
  asset(
    @Param('file') file: string,
    @Query('v') version: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    const asset = this.page.asset(file);
    if (!asset) throw new NotFoundError('File');
    void reply
      .type(asset.type)
      .header(
        'cache-control',
        version === this.page.version ? 'public, max-age=31536000, immutable' : 'no-cache',
      );
    return asset.body;
  }
}
