// Fault tests cut connections and kill processes: they run serially, apart from the main suite. A cut
// connection can leave a driver's reconnect timer behind, so the run is ended explicitly when it is done.
const base = require('./jest.base.config');

module.exports = {
  ...base,
  testMatch: ['<rootDir>/test/faults/**/*.fault-spec.ts'],
  maxWorkers: 1,
  testTimeout: 60000,
  forceExit: true,
};
