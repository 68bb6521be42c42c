/** The HAPI conformance suite (`npm run test:hapi`): needs Java 17 and Maven, so it stays out of `npm test`. */
const { resolve } = require('node:path');

module.exports = {
  rootDir: resolve(__dirname, '..', '..', '..'),
  testEnvironment: 'node',
  roots: ['<rootDir>/test/servers/hapi'],
  testMatch: ['**/*.hapi.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  globalSetup: '<rootDir>/test/build-once.js',
  testTimeout: 240000,
};
