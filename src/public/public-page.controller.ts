import { Controller, Get, Headers, Injectable, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators';
import { type Asset, assetReply, HTML_TYPE, escapeHtml, loadPageBundle } from '../common/page-bundle';
import { LANGS, type Lang, MESSAGES, negotiateLanguage, pageMessages } from '../i18n/messages';

/** The page's own files, found by walking up from here to the project root (from `src/` or `dist/src/`). */
export const PAGE_DIR = 'assets/public';

/**
 * The workers' page (SPEC §10): plain HTML, CSS and one script, all served from memory by the service (the
 * set of files is fixed at start, so no path from a request ever reaches the file system). The HTML is
 * rendered once per language from the message catalogue; the script switches language in place.
 */
@Injectable()
export class PublicPage {
  readonly assets: Map<string, Asset>;
  private readonly html = new Map<Lang, Buffer>();
  /** Changes whenever a file or the catalogue changes: asset URLs carry it, so they may be cached for long. */
  readonly version: string;

  constructor() {
    const bundle = loadPageBundle(PAGE_DIR, Object.fromEntries(LANGS.map((l) => [l, pageMessages(l)])));
    this.assets = bundle.assets;
    this.version = bundle.version;
    for (const lang of LANGS) this.html.set(lang, Buffer.from(this.render(bundle.template, lang)));
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
      .type(HTML_TYPE)
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
    return assetReply(this.page, file, version, reply);
  }
}
