import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { consoleMessages } from './console-messages';

/** Every message key the console's scripts name literally exists in both languages. */
describe('the console catalogue', () => {
  const dir = path.join(__dirname, '../../assets/console');
  const keys = new Set<string>();
  for (const name of readdirSync(dir).filter((n) => n.endsWith('.js'))) {
    const source = readFileSync(path.join(dir, name), 'utf8');
    for (const re of [
      /(?:\bt|\btOr|\bsection|\bdisclosure|\bdone)\(\s*'([^'$]+)'/g,
      /\b(?:label|hint|title|intro|submitLabel):\s*'([^'$]+)'/g,
    ]) {
      for (const m of source.matchAll(re)) keys.add(m[1]);
    }
  }

  it('names keys', () => expect(keys.size).toBeGreaterThan(150));

  it.each(['zh', 'en'] as const)('%s has them all', (lang) => {
    const messages = consoleMessages(lang);
    expect([...keys].filter((k) => !(k in messages))).toEqual([]);
  });

  it('has the same keys in both languages', () => {
    expect(Object.keys(consoleMessages('en')).sort()).toEqual(Object.keys(consoleMessages('zh')).sort());
  });
});
