/**
 * The conformance suite's inputs: the engine's output for every demo patient, written to a folder, and the
 * list of every file the suite validates.
 *   valid    examples/*.json; for each fixtures/demo/*.json, progress() at its Bundle.timestamp: the
 *            transaction Bundle whole (engine/<patient>/transaction.json) and each entry's resource alone
 *            (engine/<patient>/entry-<n>-<Type>[-<id>].json)
 *   invalid  every fixture of test/invalid (its manifest entry carried along)
 * Uses the built library (dist/: run `npm run build` first), as an integrator would.
 * Writes `<outDir>/inputs.json` ([{ id, path, expect: 'valid' | 'invalid', manifest? }]) and
 * `<outDir>/inputs.tsv` (`id<TAB>path`, the Java runner's list).
 * Usage: node test/conformance/hl7/make-inputs.mjs <outDir>
 */
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const HERE = dirname(fileURLToPath(import.meta.url));
export const REPO = resolve(HERE, '..', '..', '..');

const jsonFiles = (dir) => readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const readJson = (path) => JSON.parse(readFileSync(path, 'utf8'));

/** Runs the engine on each demo patient at its Bundle.timestamp and writes what it returns. */
function engineInputs(outDir) {
  const { progress } = require(join(REPO, 'dist'));
  const inputs = [];
  const demo = join(REPO, 'fixtures', 'demo');
  for (const file of jsonFiles(demo)) {
    const patient = file.replace(/\.json$/, '');
    const bundle = readJson(join(demo, file));
    const { transaction } = progress(bundle, { now: bundle.timestamp });
    const dir = join(outDir, 'engine', patient);
    mkdirSync(dir, { recursive: true });
    const write = (name, resource) => {
      const path = join(dir, name);
      writeFileSync(path, `${JSON.stringify(resource, null, 2)}\n`);
      inputs.push({ id: `engine/${patient}/${name}`, path, expect: 'valid' });
    };
    write('transaction.json', transaction);
    (transaction.entry ?? []).forEach((entry, i) => {
      const r = entry.resource;
      if (r === undefined) return;
      write(`entry-${String(i).padStart(2, '0')}-${r.resourceType}${r.id ? `-${r.id}` : ''}.json`, r);
    });
  }
  return inputs;
}

/** Writes the engine outputs and the input lists into `outDir`; returns the inputs. */
export function makeInputs(outDir) {
  mkdirSync(outDir, { recursive: true });
  const examples = jsonFiles(join(REPO, 'examples')).map((f) => ({ id: `examples/${f}`, path: join(REPO, 'examples', f), expect: 'valid' }));
  const invalidDir = join(REPO, 'test', 'invalid');
  const invalid = readJson(join(invalidDir, 'manifest.json')).map((m) => ({
    id: `test/invalid/${m.file}`,
    path: join(invalidDir, m.file),
    expect: 'invalid',
    manifest: m,
  }));
  const inputs = [...examples, ...engineInputs(outDir), ...invalid];
  writeFileSync(join(outDir, 'inputs.json'), `${JSON.stringify(inputs, null, 2)}\n`);
  writeFileSync(join(outDir, 'inputs.tsv'), inputs.map((i) => `${i.id}\t${i.path}\n`).join(''));
  return inputs;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const outDir = process.argv[2];
  if (!outDir) {
    process.stderr.write('usage: node test/conformance/hl7/make-inputs.mjs <outDir>\n');
    process.exitCode = 2;
  } else {
    const inputs = makeInputs(resolve(outDir));
    const count = (e) => inputs.filter((i) => i.expect === e).length;
    process.stdout.write(`${inputs.length} inputs (${count('valid')} valid, ${count('invalid')} invalid) in ${resolve(outDir)}\n`);
  }
}
