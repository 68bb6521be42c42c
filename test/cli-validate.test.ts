/**
 * `gradus validate` as a user runs it (a child process on the built CLI): exit 0 on the examples, 1 with an
 * `<severity> <file> <expression>: <message>` line on each invalid fixture, 2 with one line on stderr for
 * input that is not a FHIR resource (README.md "Command line").
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { isAtOrBelow, loadManifest, type Expectation } from './invalid/manifest';

const ROOT = join(__dirname, '..');
const BIN = join(ROOT, 'bin', 'gradus.cjs');
const BUILT = join(ROOT, 'dist', 'cli', 'main.js');
const manifest = loadManifest();
const fixturePath = (m: Expectation): string => ['test', 'invalid', ...m.file.split('/')].join(sep);

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function gradus(...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Issue lines `<severity> <file> <expression>: <message>` of one run. */
function issueLines(run: Run): { severity: string; file: string; expression: string; line: string }[] {
  return run.stdout.split('\n').flatMap((line) => {
    const m = /^(fatal|error|warning|information) (\S+) (\S*): /.exec(line);
    return m ? [{ severity: m[1] ?? '', file: m[2] ?? '', expression: m[3] ?? '', line }] : [];
  });
}

/** True when a printed file name denotes `path` (relative to the repo root), however the CLI spells it. */
const sameFile = (printed: string, path: string): boolean =>
  printed === path || relative(ROOT, join(ROOT, printed)) === path || relative(ROOT, printed) === path;

beforeAll(() => {
  // dist/ is built once by jest's globalSetup (test/build-once.js).
  if (!existsSync(BUILT)) throw new Error('dist/ is not built');
});

describe('gradus validate on valid input', () => {
  it('exits 0 on examples/ and prints no error line', () => {
    const run = gradus('validate', 'examples/');
    expect(issueLines(run).filter((l) => l.severity === 'error' || l.severity === 'fatal').map((l) => l.line)).toEqual([]);
    expect(run.status).toBe(0);
  });
});

describe('gradus validate on invalid fixtures', () => {
  let batch: Run = { status: null, stdout: '', stderr: '' };
  beforeAll(() => {
    batch = gradus('validate', ...manifest.map(fixturePath));
  }, 120_000);

  /** The error lines a run printed for one fixture at or below its expected expression. */
  const matching = (run: Run, m: Expectation): string[] =>
    issueLines(run)
      .filter((l) => l.severity === 'error' && sameFile(l.file, fixturePath(m)) && isAtOrBelow(l.expression, m.expression))
      .map((l) => l.line);

  it('exits 1 on the whole fixture set, with nothing on stderr', () => {
    expect(batch.stderr).toBe('');
    expect(batch.status).toBe(1);
  });

  it.each(manifest)('prints an error line at $expression for $file', (m) => {
    const forFile = issueLines(batch).filter((l) => sameFile(l.file, fixturePath(m))).map((l) => l.line);
    expect({ file: m.file, expected: m.expression, found: matching(batch, m).length > 0, printed: forFile }).toEqual(
      expect.objectContaining({ file: m.file, expected: m.expression, found: true }),
    );
  });

  /** One fixture of each kind of check, run on its own: the exit code is the file's own verdict. */
  const onePerKind = manifest.filter((m, i) => manifest.findIndex((x) => x.kind === m.kind) === i);
  it.each(onePerKind)('exits 1 on $file alone ($kind) and prints $expression', (m) => {
    const run = gradus('validate', fixturePath(m));
    expect(matching(run, m)).not.toEqual([]);
    expect(run.status).toBe(1);
  });

  it('exits 1 when one of several files has errors, and names only that file in error lines', () => {
    const bad = fixturePath(manifest[0] as Expectation);
    const run = gradus('validate', join('examples', 'gradus-pain-score.json'), bad);
    const files = new Set(issueLines(run).filter((l) => l.severity === 'error').map((l) => l.file));
    expect([...files].every((f) => sameFile(f, bad))).toBe(true);
    expect(files.size).toBe(1);
    expect(run.status).toBe(1);
  });
});

describe('gradus validate on input that is not a FHIR resource', () => {
  let dir = '';
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'gradus-cli-'));
    writeFileSync(join(dir, 'malformed.json'), '{ "resourceType": "Patient", ');
    writeFileSync(join(dir, 'empty.json'), '');
    writeFileSync(join(dir, 'array.json'), '[{ "resourceType": "Patient", "id": "a" }]');
    writeFileSync(join(dir, 'not-fhir.json'), '{ "title": "shopping list", "items": ["oats", "milk"] }');
    writeFileSync(join(dir, 'unknown-type.json'), '{ "resourceType": "NotAType", "id": "x" }');
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['malformed JSON', 'malformed.json'],
    ['an empty file', 'empty.json'],
    ['a JSON array', 'array.json'],
    ['a JSON document that is not FHIR', 'not-fhir.json'],
    ['a file that does not exist', 'missing.json'],
    ['a resourceType that FHIR R4 does not define', 'unknown-type.json'],
  ])('exits 2 on %s with one clear line on stderr and no stack trace', (_label, name) => {
    const run = gradus('validate', join(dir, name));
    const lines = run.stderr.split('\n').filter((l) => l.trim() !== '');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(name);
    expect(run.stderr).not.toMatch(/^\s+at .+\(?.+:\d+:\d+\)?$/m);
    expect(run.status).toBe(2);
  });
});
