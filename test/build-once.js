// jest globalSetup: compile src/ to dist/ once, before any test that runs the built CLI or library.
const { execFileSync } = require('node:child_process');
const { resolve } = require('node:path');

module.exports = function buildOnce() {
  const root = resolve(__dirname, '..');
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
};
