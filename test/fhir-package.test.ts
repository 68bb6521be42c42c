/**
 * The FHIR package (`npm run package`, scripts/build-package.mjs) in the FHIR NPM package layout
 * (https://hl7.org/fhir/packages.html): built into a temporary folder and read back from the tarball with a
 * reader of its own, so the check does not trust the writer. See: implementation-guide.md "Profiles".
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CANONICAL_BASE, FHIR_VERSION, PACKAGE_ID } from '../src/fhir/codes';

const REPO = resolve(__dirname, '..');
const CONFORMANCE = join(REPO, 'profiles', 'fsh-generated', 'resources');
const EXAMPLES = join(REPO, 'examples');
const VERSION = /^version:\s*(\S+)\s*$/m.exec(readFileSync(join(REPO, 'profiles', 'sushi-config.yaml'), 'utf8'))?.[1];

interface TarEntry {
  path: string;
  type: string;
  body: Buffer;
}

interface IndexEntry {
  filename: string;
  resourceType: string;
  id?: string;
  url?: string;
  version?: string;
  kind?: string;
  type?: string;
  [key: string]: unknown;
}

interface PackageIndex {
  'index-version': number;
  files: IndexEntry[];
}

type Json = Record<string, unknown>;

/** Reads a ustar archive: a 512-byte header per entry (name, octal size, typeflag, prefix), data padded to 512. */
function readTar(archive: Buffer): TarEntry[] {
  const entries: TarEntry[] = [];
  const text = (start: number, length: number): string => {
    const raw = archive.subarray(start, start + length);
    const nul = raw.indexOf(0);
    return raw.subarray(0, nul === -1 ? raw.length : nul).toString('utf8');
  };
  let offset = 0;
  while (offset + 512 <= archive.length) {
    const header = archive.subarray(offset, offset + 512);
    if (header.every((b) => b === 0)) break;
    let sum = 0;
    header.forEach((b, i) => (sum += i >= 148 && i < 156 ? 32 : b));
    if (sum !== parseInt(text(offset + 148, 8).trim(), 8)) throw new Error(`bad tar header checksum at ${offset}`);
    if (text(offset + 257, 6) !== 'ustar') throw new Error(`not a ustar header at ${offset}`);
    const name = text(offset, 100);
    const prefix = text(offset + 345, 155);
    const size = parseInt(text(offset + 124, 12).trim(), 8);
    const start = offset + 512;
    entries.push({ path: prefix ? `${prefix}/${name}` : name, type: text(offset + 156, 1), body: archive.subarray(start, start + size) });
    offset = start + Math.ceil(size / 512) * 512;
  }
  return entries;
}

let dir = '';
let tarball = '';
let entries: TarEntry[] = [];
let files = new Map<string, Buffer>();
const json = (path: string): Json => {
  const body = files.get(path);
  if (body === undefined) throw new Error(`${path} is not in the package`);
  return JSON.parse(body.toString('utf8')) as Json;
};
const jsonDir = (folder: string): Json[] =>
  readdirSync(folder)
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(join(folder, f), 'utf8')) as Json);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gradus-package-'));
  execFileSync(process.execPath, [join(REPO, 'scripts', 'build-package.mjs'), dir], { cwd: REPO, stdio: 'pipe' });
  tarball = join(dir, `${PACKAGE_ID}-${VERSION ?? '?'}.tgz`);
  entries = readTar(gunzipSync(readFileSync(tarball)));
  files = new Map(entries.map((e) => [e.path, e.body]));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('the FHIR package tarball', () => {
  it('is named <name>-<version>.tgz and holds only regular files under package/, each once', () => {
    expect(VERSION).toBe('0.1.0');
    expect(readdirSync(dir)).toEqual([`${PACKAGE_ID}-0.1.0.tgz`]);
    expect(entries.length).toBeGreaterThan(0);
    for (const e of entries) {
      expect({ path: e.path, type: e.type }).toEqual({ path: expect.stringMatching(/^package\/[^/]+(\/[^/]+)?$/) as unknown, type: '0' });
    }
    expect(files.size).toBe(entries.length);
  });

  it('has a package.json with the name, version, FHIR version, canonical and the R4 core dependency', () => {
    expect(json('package/package.json')).toMatchObject({
      name: PACKAGE_ID,
      version: VERSION,
      type: 'fhir.ig',
      canonical: CANONICAL_BASE,
      fhirVersions: [FHIR_VERSION],
      dependencies: { 'hl7.fhir.r4.core': '4.0.1' },
    });
  });

  it('is byte-identical when built twice (fixed mtime, sorted entries)', () => {
    const again = mkdtempSync(join(tmpdir(), 'gradus-package-'));
    try {
      execFileSync(process.execPath, [join(REPO, 'scripts', 'build-package.mjs'), again], { cwd: REPO, stdio: 'pipe' });
      expect(readFileSync(join(again, `${PACKAGE_ID}-0.1.0.tgz`)).equals(readFileSync(tarball))).toBe(true);
    } finally {
      rmSync(again, { recursive: true, force: true });
    }
  });
});

describe.each([
  ['package', CONFORMANCE],
  ['package/example', EXAMPLES],
])('%s/', (folder, source) => {
  const index = (): PackageIndex => json(`${folder}/.index.json`) as unknown as PackageIndex;
  const resourcesIn = (): string[] => [...files.keys()].filter((p) => p.startsWith(`${folder}/`) && !p.slice(folder.length + 1).includes('/'));

  it('has an .index.json (index-version 2) listing exactly the resources of the folder', () => {
    expect(index()['index-version']).toBe(2);
    const listed = index().files.map((f) => `${folder}/${f.filename}`);
    const present = resourcesIn().filter((p) => !/\/(package|\.index)\.json$/.test(p));
    expect(new Set(listed).size).toBe(listed.length);
    expect(listed.sort()).toEqual(present.sort());
  });

  it('indexes each file with its resourceType, id, url, version, kind and type as in the resource', () => {
    for (const entry of index().files) {
      const resource = json(`${folder}/${entry.filename}`);
      expect(entry.filename).toBe(`${String(resource.resourceType)}-${String(resource.id)}.json`);
      const expected: Json = { filename: entry.filename, resourceType: resource.resourceType };
      for (const key of ['id', 'url', 'version', 'kind', 'type', 'supplements', 'content', 'valueSet', 'derivation']) {
        if (typeof resource[key] === 'string') expected[key] = resource[key];
      }
      expect(entry).toEqual(expected);
    }
  });

  it(`holds every resource of ${source.slice(REPO.length + 1)}/ unchanged`, () => {
    const packed = index().files.map((f) => json(`${folder}/${f.filename}`));
    const expected = jsonDir(source);
    expect(packed.length).toBe(expected.length);
    const key = (r: Json): string => `${String(r.resourceType)}/${String(r.id)}`;
    const byKey = new Map(packed.map((r) => [key(r), r]));
    for (const r of expected) expect(byKey.get(key(r))).toEqual(r);
  });
});

describe('the conformance resources', () => {
  it('are the profiles, extensions, code systems and value sets, each under the canonical base at the package version', () => {
    const index = json('package/.index.json') as unknown as PackageIndex;
    expect(new Set(index.files.map((f) => f.resourceType))).toEqual(new Set(['StructureDefinition', 'CodeSystem', 'ValueSet']));
    for (const f of index.files) {
      expect(f.url).toBe(`${CANONICAL_BASE}/${f.resourceType}/${String(f.id)}`);
      expect(f.version).toBe(VERSION);
    }
  });
});
