// jest globalSetup: compile src/ to dist/ once, before any test that runs the built CLI or library.
// It builds into a fresh folder and swaps it in, so a test run started meanwhile never sees a half-built dist/
// (and a file left from an earlier layout, like dist/progression/dose.js, cannot shadow a folder of that name).
const { execFileSync } = require('node:child_process');
const { existsSync, renameSync, rmSync } = require('node:fs');
const { resolve } = require('node:path');

module.exports = function buildOnce() {
  const root = resolve(__dirname, '..');
  const fresh = resolve(root, `dist.build-${process.pid}`);
  rmSync(fresh, { recursive: true, force: true });
  try {
    try {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', 'tsconfig.build.json', '--outDir', fresh], {
        cwd: root,
        stdio: 'inherit',
      });
    } catch (err) {
      // tsc still emits JavaScript on type errors (ts-jest and `npm run typecheck` report them); only a missing build stops the run.
      if (!existsSync(resolve(fresh, 'cli', 'main.js'))) throw err;
      console.warn('test/build-once.js: tsc reported type errors; the tests run on the JavaScript it emitted');
    }
    rmSync(resolve(root, 'dist'), { recursive: true, force: true });
    renameSync(fresh, resolve(root, 'dist'));
  } finally {
    rmSync(fresh, { recursive: true, force: true });
  }
};
