import { Controller, Get, Injectable, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../auth/decorators';
import { type Asset, assetReply, escapeHtml, HTML_TYPE, loadPageBundle } from '../common/page-bundle';
import { LANGS, type Lang } from '../i18n/messages';
import { consoleMessages } from './console-messages';

export const CONSOLE_DIR = 'assets/console';

/**
 * The staff console's policy: its own scripts and styles only, JSON calls to this origin, nothing from any
 * other host, no inline script or style, no framing.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; " +
  "font-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

/**
 * The staff console (SPEC §3, §5, §8, §9): one HTML shell and a few vanilla JavaScript modules, all held in
 * memory from start (no request path reaches the file system), calling the same JSON API with the user's
 * bearer token. Like the workers' page, it needs no build step and loads nothing from another host.
 */
@Injectable()
export class ConsolePage {
  readonly assets: Map<string, Asset>;
  private readonly html = new Map<Lang, Buffer>();
  readonly version: string;

  constructor() {
    const bundle = loadPageBundle(CONSOLE_DIR, Object.fromEntries(LANGS.map((l) => [l, consoleMessages(l)])));
    this.assets = bundle.assets;
    this.version = bundle.version;
    const template = bundle.template;
    for (const lang of LANGS) {
      const m = consoleMessages(lang);
      this.html.set(
        lang,
        Buffer.from(
          template.replace(/\{\{(\w+)\}\}/g, (whole, key: string) => {
            if (key === 'lang') return lang === 'zh' ? 'zh-CN' : 'en';
            if (key === 'version') return this.version;
            if (key === 'title') return escapeHtml(m['app.title']);
            if (key === 'loading') return escapeHtml(m['app.loading']);
            if (key === 'skip') return escapeHtml(m['app.skip']);
            if (key === 'noscript') return escapeHtml(m['app.noscript']);
            return whole;
          }),
        ),
      );
    }
  }

  page(lang: Lang): Buffer {
    return this.html.get(lang)!;
  }
}

@ApiExcludeController()
@Controller('console')
export class ConsolePageController {
  constructor(private readonly page: ConsolePage) {}

  private shell(lang: unknown, reply: FastifyReply) {
    // Chinese unless English is asked for; the page remembers the user's switch itself.
    const chosen: Lang = lang === 'en' ? 'en' : 'zh';
    void reply
      .type(HTML_TYPE)
      .header('cache-control', 'no-cache')
      .header('content-security-policy', CONSOLE_CSP)
      .header('content-language', chosen);
    return this.page.page(chosen);
  }

  @Public()
  @Get()
  index(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.shell(lang, reply);
  }

  @Public()
  @Get('assets/:file')
  asset(
    @Param('file') file: string,
    @Query('v') version: unknown,
    @Res({ passthrough: true }) reply: FastifyReply,
  ) {
    // The console's own policy covers its scripts and styles too.
    void reply.header('content-security-policy', CONSOLE_CSP);
    return assetReply(this.page, file, version, reply);
  }

  /** Deep links (`/console/cases/…`) get the same shell; the script routes on the path. */
  @Public()
  @Get('*')
  deep(@Query('lang') lang: unknown, @Res({ passthrough: true }) reply: FastifyReply) {
    return this.shell(lang, reply);
  }
}
