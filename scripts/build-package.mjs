/**
 * Writes the Gradus FHIR package `gradus.fhir.exercise-<version>.tgz` in the FHIR NPM package layout
 * (https://hl7.org/fhir/packages.html), the form the HL7 validator's `-ig` and HAPI's
 * `NpmPackageValidationSupport` load:
 *   package/package.json         name, version, fhirVersions, type fhir.ig, canonical, dependencies (R4 core)
 *   package/.index.json          index-version 2: one entry per resource (filename, resourceType, id, url, ...)
 *   package/<Type>-<id>.json     every conformance resource of profiles/fsh-generated/resources
 *   package/example/.index.json  the same for the examples
 *   package/example/<Type>-<id>.json  every examples/*.json
 * Name and canonical come from src/fhir/codes.ts (PACKAGE_ID, CANONICAL_BASE), version and FHIR version from
 * profiles/sushi-config.yaml; a disagreement between the two is an error. Node built-ins only: the tar
 * (ustar) is written here and gzipped with zlib. The output is byte-reproducible (fixed mtime, sorted entries).
 * Usage: node scripts/build-package.mjs [outDir]   (default: build/; prints the tarball's path)
 */
import { mkdirSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const DEFAULT_OUT_DIR = join(REPO, 'build');

/** The entries' mtime: npm's own fixed date for reproducible tarballs (1985-10-26T08:15:00Z). */
const FIXED_MTIME = 499162500;

/**
 * The top-level string properties the HL7 Java package indexer (NpmPackageIndexBuilder, index-version 2)
 * copies into `.index.json`; each is written only when the resource has it.
 */
const INDEX_FIELDS = ['id', 'url', 'version', 'kind', 'type', 'supplements', 'content', 'valueSet', 'derivation'];
export const INDEX_VERSION = 2;

/** `key: value` of a flat YAML file (no nesting needed for sushi-config.yaml's top-level scalars). */
function yamlScalar(text, key) {
  const m = new RegExp(`^${key}:\\s*(.+?)\\s*$`, 'm').exec(text);
  return m?.[1]?.replace(/^['"]|['"]$/g, '');
}

/** A `export const NAME = '...'` string constant of a TypeScript source file. */
function tsConstant(text, name) {
  return new RegExp(`export const ${name} = '([^']*)'`).exec(text)?.[1];
}

/** The package's identity: name, version, canonical and FHIR version, each checked against both sources. */
export function packageIdentity(repo = REPO) {
  const sushi = readFileSync(join(repo, 'profiles', 'sushi-config.yaml'), 'utf8');
  const codes = readFileSync(join(repo, 'src', 'fhir', 'codes.ts'), 'utf8');
  const identity = {
    name: tsConstant(codes, 'PACKAGE_ID'),
    version: yamlScalar(sushi, 'version'),
    canonical: yamlScalar(sushi, 'canonical'),
    fhirVersion: yamlScalar(sushi, 'fhirVersion'),
  };
  for (const [key, value] of Object.entries(identity)) {
    if (!value) throw new Error(`build-package: no ${key} found in profiles/sushi-config.yaml or src/fhir/codes.ts`);
  }
  const checks = [
    ['canonical', tsConstant(codes, 'CANONICAL_BASE')],
    ['fhirVersion', tsConstant(codes, 'FHIR_VERSION')],
  ];
  for (const [key, fromCodes] of checks) {
    if (fromCodes !== identity[key]) {
      throw new Error(`build-package: ${key} is '${identity[key]}' in sushi-config.yaml but '${fromCodes}' in src/fhir/codes.ts`);
    }
  }
  return identity;
}

/** The package/package.json manifest. */
export function manifest({ name, version, canonical, fhirVersion }) {
  return {
    name,
    version,
    type: 'fhir.ig',
    title: 'Gradus graded exercise progression',
    description:
      'Gradus FHIR R4 profiles, extensions, code systems, value sets and examples for graded exercise progression in chronic musculoskeletal pain.',
    canonical,
    url: canonical,
    fhirVersions: [fhirVersion],
    dependencies: { 'hl7.fhir.r4.core': fhirVersion },
    license: 'Apache-2.0',
    author: 'Gradus',
    directories: { lib: 'package', example: 'example' },
  };
}

/** The `.index.json` entry of one resource written as `filename`. */
export function indexEntry(filename, resource) {
  const entry = { filename, resourceType: resource.resourceType };
  for (const key of INDEX_FIELDS) if (typeof resource[key] === 'string') entry[key] = resource[key];
  return entry;
}

/**
 * Reads each `*.json` of `dir` as a resource named `<resourceType>-<id>.json` in the package (the IG
 * publisher's convention); two resources with the same type and id are an error, so nothing is overwritten.
 */
function readResources(dir, { requireUrl }) {
  const byName = new Map();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.json')).sort()) {
    const resource = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    const where = `${dir}/${file}`;
    if (typeof resource?.resourceType !== 'string' || typeof resource.id !== 'string') {
      throw new Error(`build-package: ${where} is not a FHIR resource with an id`);
    }
    if (requireUrl && typeof resource.url !== 'string') throw new Error(`build-package: ${where} has no canonical url`);
    const name = `${resource.resourceType}-${resource.id}.json`;
    if (byName.has(name)) throw new Error(`build-package: ${where} and ${byName.get(name).source} are both ${name}`);
    byName.set(name, { name, source: where, resource, bytes: readFileSync(join(dir, file)) });
  }
  return [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The files of the package (path inside the tarball -> bytes), in tar order. */
export function packageFiles({ repo = REPO } = {}) {
  const identity = packageIdentity(repo);
  const conformance = readResources(join(repo, 'profiles', 'fsh-generated', 'resources'), { requireUrl: true });
  const examples = readResources(join(repo, 'examples'), { requireUrl: false });
  const json = (value) => Buffer.from(`${JSON.stringify(value, null, 2)}\n`);
  const index = (items) => json({ 'index-version': INDEX_VERSION, files: items.map((r) => indexEntry(r.name, r.resource)) });
  return {
    identity,
    files: [
      ['package/package.json', json(manifest(identity))],
      ['package/.index.json', index(conformance)],
      ...conformance.map((r) => [`package/${r.name}`, r.bytes]),
      ['package/example/.index.json', index(examples)],
      ...examples.map((r) => [`package/example/${r.name}`, r.bytes]),
    ],
  };
}

/** Writes `value` as a NUL-terminated octal number field of `length` bytes at `offset`. */
function octal(header, offset, length, value) {
  header.write(`${value.toString(8).padStart(length - 1, '0')}\0`, offset, length, 'ascii');
}

/** One ustar header block for a regular file. Paths over 100 bytes are split into prefix and name. */
function tarHeader(path, size, mtime) {
  const header = Buffer.alloc(512, 0);
  let name = path;
  let prefix = '';
  if (Buffer.byteLength(path) > 100) {
    const cut = path.lastIndexOf('/', 155);
    if (cut <= 0 || Buffer.byteLength(path.slice(cut + 1)) > 100) throw new Error(`build-package: path too long for ustar: ${path}`);
    prefix = path.slice(0, cut);
    name = path.slice(cut + 1);
  }
  header.write(name, 0, 100, 'utf8');
  octal(header, 100, 8, 0o644); // mode
  octal(header, 108, 8, 0); // uid
  octal(header, 116, 8, 0); // gid
  octal(header, 124, 12, size);
  octal(header, 136, 12, mtime);
  header.fill(' ', 148, 156); // checksum field counts as spaces while summing
  header.write('0', 156, 1, 'ascii'); // typeflag: regular file
  header.write('ustar\0', 257, 6, 'ascii');
  header.write('00', 263, 2, 'ascii');
  header.write(prefix, 345, 155, 'utf8');
  let sum = 0;
  for (const byte of header) sum += byte;
  header.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 8, 'ascii');
  return header;
}

/** A ustar archive of regular files: header, content padded to 512 bytes, and two zero blocks at the end. */
export function tar(files, mtime = FIXED_MTIME) {
  const blocks = [];
  for (const [path, bytes] of files) {
    blocks.push(tarHeader(path, bytes.length, mtime), bytes);
    const pad = (512 - (bytes.length % 512)) % 512;
    if (pad > 0) blocks.push(Buffer.alloc(pad, 0));
  }
  blocks.push(Buffer.alloc(1024, 0));
  return Buffer.concat(blocks);
}

/**
 * Builds the package into `outDir` (written beside and renamed, so a reader never sees half a file).
 * Returns the tarball's path and what it holds.
 */
export function buildPackage({ outDir = DEFAULT_OUT_DIR, repo = REPO } = {}) {
  const { identity, files } = packageFiles({ repo });
  const gz = gzipSync(tar(files), { level: 9 });
  mkdirSync(outDir, { recursive: true });
  const path = join(outDir, `${identity.name}-${identity.version}.tgz`);
  const partial = `${path}.${process.pid}.partial`;
  writeFileSync(partial, gz);
  renameSync(partial, path);
  return { path, identity, files: files.map(([name]) => name) };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  try {
    const { path, files } = buildPackage(process.argv[2] ? { outDir: resolve(process.argv[2]) } : {});
    process.stdout.write(`${path} (${files.length} files)\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  }
}
