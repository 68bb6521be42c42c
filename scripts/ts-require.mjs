// Loads TypeScript sources (the tests' builder, test/support/builder) from plain Node scripts: transpile-only, CommonJS,
// no type check. Used by scripts/make-demo-fixtures.mjs, scripts/make-example-bundle.mjs and bench/progress.mjs, so all
// three build their Bundles with the tests' own builder instead of a copy.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const ts = require('typescript');

if (!require.extensions['.ts']) {
  require.extensions['.ts'] = (module, filename) => {
    const { outputText } = ts.transpileModule(readFileSync(filename, 'utf8'), {
      fileName: filename,
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    });
    module._compile(outputText, filename);
  };
}

/** `require` of a .ts file (and the .ts files it imports), resolved from the repository root. */
export function requireTs(pathFromRoot) {
  return require(new URL(`../${pathFromRoot}`, import.meta.url).pathname);
}
