const { readdirSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

/**
 * Packages published as ES modules (NestJS 12 and a few of its dependencies). Node runs them through
 * require(esm); Jest's own module system cannot, so they are compiled to CommonJS by the same SWC transform
 * as our code (cached after the first run). Found by reading package.json files, so no list to maintain.
 */
function esmPackages(dir) {
  const out = [];
  let entries = [];
  try {
    entries = readdirSync(dir);
  } catch {
    return out;
  }
  for (const name of entries) {
    if (name.startsWith('.')) continue;
    if (name.startsWith('@')) {
      for (const sub of esmPackages(join(dir, name))) out.push(`${name}/${sub}`);
      continue;
    }
    try {
      const pkg = JSON.parse(readFileSync(join(dir, name, 'package.json'), 'utf8'));
      if (pkg.type === 'module') out.push(name);
    } catch {
      // not a package
    }
  }
  return out;
}

const esm = esmPackages(join(__dirname, 'node_modules')).map((n) => n.replace(/[.+]/g, '\\$&'));

module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j|mj)s$': ['@swc/jest'] },
  transformIgnorePatterns: [`/node_modules/(?!(${esm.join('|')})/)`],
  moduleFileExtensions: ['ts', 'js', 'mjs', 'json'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 30000,
};
