import { CASE_STATUSES, CLOSURE_REASONS } from '../common/domain';
import { fill, formatFen, LANGS, MESSAGES, negotiateLanguage, pageMessages, statusLabel } from './messages';

describe('negotiateLanguage (Accept-Language with q-values)', () => {
  it.each([
    [undefined, 'zh'],
    ['', 'zh'],
    ['en', 'en'],
    ['en-US,en;q=0.9', 'en'],
    ['zh-CN,zh;q=0.9,en;q=0.8', 'zh'],
    ['zh;q=0.5, en;q=0.8', 'en'],
    ['fr-FR, fr;q=0.9, en;q=0.7, zh;q=0.6', 'en'],
    ['fr', 'zh'],
    ['*', 'zh'],
    ['en;q=0, zh;q=0.1', 'zh'],
    ['en;q=0', 'zh'],
    ['EN-gb', 'en'],
    ['zh-Hans-CN;q=0.8, en;q=0.8', 'zh'],
    ['en;q=garbage', 'en'],
    ['en;q=2', 'en'], // a malformed weight is ignored, as if absent
  ])('%p → %p', (header, lang) => {
    expect(negotiateLanguage(header)).toBe(lang);
  });
});

describe('the catalogue', () => {
  it('has a label for every status and closure reason of SPEC §10 in both languages', () => {
    for (const lang of LANGS) {
      for (const status of CASE_STATUSES.filter((s) => s !== 'closed')) {
        expect(statusLabel(lang, status, null)).not.toBe(status);
      }
      for (const reason of CLOSURE_REASONS) {
        expect(statusLabel(lang, 'closed', reason)).toMatch(lang === 'zh' ? /^已结案：/ : /^Closed: /);
      }
    }
    expect(statusLabel('zh', 'performing', null)).toBe('调解成功，协议履行中');
    expect(statusLabel('en', 'closed', 'litigation')).toBe('Closed: moved to court litigation');
  });

  it('uses the same placeholders in both languages', () => {
    const placeholders = (s: string) => (s.match(/\{\w+\}/g) ?? []).sort().join();
    const walk = (zh: unknown, en: unknown, path: string) => {
      if (typeof zh === 'string') {
        expect([path, placeholders(en as string)]).toEqual([path, placeholders(zh)]);
        return;
      }
      for (const key of Object.keys(zh as object)) {
        expect(en).toHaveProperty([key]);
        walk((zh as Record<string, unknown>)[key], (en as Record<string, unknown>)[key], `${path}.${key}`);
      }
    };
    walk(MESSAGES.zh, MESSAGES.en, '');
    expect(Object.keys(pageMessages('en')).sort()).toEqual(Object.keys(pageMessages('zh')).sort());
  });

  it('fills placeholders and formats fen as yuan on integers', () => {
    expect(fill('至{date}，{x}', { date: '2026年3月17日' })).toBe('至2026年3月17日，{x}');
    expect(formatFen(123450)).toBe('¥1,234.50');
    expect(formatFen(5)).toBe('¥0.05');
    expect(formatFen(100000000001)).toBe('¥1,000,000,000.01');
  });
});
