// Unit specs (src/**/*.spec.ts) and HTTP e2e specs (test/**/*.e2e-spec.ts), each e2e file on its own database.
const base = require('./jest.base.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // The tests wait on PostgreSQL and Redis far more than on the CPU: more workers than cores pays off.
  maxWorkers: 4,
};
