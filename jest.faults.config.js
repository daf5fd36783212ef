/** Fault tests stop dependencies and kill processes: they run serially, apart from the main suite. */
const base = require('./jest.base.config');

module.exports = { ...base, testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'], maxWorkers: 1, testTimeout: 60000 };
