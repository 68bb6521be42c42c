// jest globalSetup: compile src/ to dist/ once, before any test that runs the built CLI or library.
const { execFileSync } = require('node:child_process');
const { resolve } = require('node:path');

module.exports = function buildOnce() {
  const root = resolve(__dirname, '..');
  // A clean dist/: a file left from an earlier layout (dist/progression/dose.js) would shadow a folder of the same name.
  require('node:fs').rmSync(resolve(root, 'dist'), { recursive: true, force: true });
  execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json'], {
    cwd: root,
    stdio: 'inherit',
  });
};
