/** `gradus progress` end to end: the built CLI (bin/gradus.cjs) on the example patient Bundle and on bad input. */
import type { Bundle, Provenance } from 'fhir/r4';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');
const BIN = join(ROOT, 'bin', 'gradus.cjs');
const EXAMPLE = join(ROOT, 'examples', 'patient-bundle.json');

interface Run {
  status: number | null;
  stdout: string;
  stderr: string;
}

function gradus(...args: string[]): Run {
  const run = spawnSync(process.execPath, [BIN, 'progress', ...args], { cwd: ROOT, encoding: 'utf8' });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

let dir: string;
const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};

beforeAll(() => {
  // dist/ is built once by jest's globalSetup (test/build-once.js).
  if (!existsSync(join(ROOT, 'dist', 'cli', 'progress-command.js'))) throw new Error('dist/ is not built');
  dir = mkdtempSync(join(tmpdir(), 'gradus-cli-progress-'));
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('gradus progress on the example patient', () => {
  const example = JSON.parse(readFileSync(EXAMPLE, 'utf8')) as Bundle;

  it('prints the transaction Bundle as 2-space JSON and exits 0', () => {
    const run = gradus(EXAMPLE);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const bundle = JSON.parse(run.stdout) as Bundle;
    expect(bundle).toMatchObject({ resourceType: 'Bundle', type: 'transaction' });
    expect(run.stdout).toBe(`${JSON.stringify(bundle, null, 2)}\n`);
    const provenances = (bundle.entry ?? []).filter((e) => e.resource?.resourceType === 'Provenance');
    expect(provenances.length).toBeGreaterThan(0);
    for (const entry of provenances) expect((entry.resource as Provenance).recorded).toBe(example.timestamp);
  });

  it('gives byte-identical output when run twice on the same input', () => {
    expect(gradus(EXAMPLE).stdout).toBe(gradus(EXAMPLE).stdout);
  });

  it('evaluates at --now when given', () => {
    const now = '2026-02-23T07:30:00+01:00';
    const bundle = JSON.parse(gradus(EXAMPLE, '--now', now).stdout) as Bundle;
    const recorded = (bundle.entry ?? []).flatMap((e) => (e.resource?.resourceType === 'Provenance' ? [(e.resource as Provenance).recorded] : []));
    expect(recorded.length).toBeGreaterThan(0);
    expect(new Set(recorded)).toEqual(new Set([now]));
  });

  it('prints a readable table with --summary: the plan line, then one row per order', () => {
    const run = gradus(EXAMPLE, '--summary');
    expect(run.status).toBe(0);
    const lines = run.stdout.split('\n');
    expect(lines[0]).toMatch(/^Patient: Patient\/gradus-example-patient {2}\| {2}Plan: gradus-example-plan {2}\| {2}Phase: \S+/);
    expect(lines[2]).toMatch(/^ORDER\s+EXERCISE\s+DECISION\s+DOSE\s+REASON$/);
    for (const order of ['strength', 'mobility', 'endurance', 'neuromotor']) {
      expect(run.stdout).toMatch(new RegExp(`^gradus-example-order-${order}\\s+\\S`, 'm'));
    }
    expect(run.stdout).toMatch(/^Transaction: \d+ entr/m);
  });

  it('applies a valid --policy file', () => {
    const policy = file('policy.json', JSON.stringify({ mode: 'quota-based', deloadEveryWeeks: 6 }));
    const run = gradus(EXAMPLE, '--policy', policy);
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});

describe('gradus progress on bad input', () => {
  const patient = JSON.stringify({ resourceType: 'Patient', id: 'p' });
  const noPlan = JSON.stringify({ resourceType: 'Bundle', type: 'collection', entry: [{ resource: { resourceType: 'Patient', id: 'p' } }] });

  it.each<[string, () => string[], RegExp]>([
    ['a missing file', () => [join(dir, 'nope.json')], /nope\.json: cannot read \(ENOENT\)/],
    ['malformed JSON', () => [file('bad.json', '{"resourceType": "Bundle",')], /bad\.json: malformed JSON/],
    ['a resource that is not a Bundle', () => [file('patient.json', patient)], /expected a FHIR Bundle, found a Patient/],
    ['a Bundle without a plan', () => [file('no-plan.json', noPlan)], /^gradus progress: error: the Bundle has no gradus-exercise-plan/],
    ['a --now without an offset', () => [EXAMPLE, '--now', '2026-02-23T08:00:00'], /now '2026-02-23T08:00:00' is not an ISO dateTime/],
    ['a --policy out of range', () => [EXAMPLE, '--policy', file('p1.json', '{"painCeiling": 11}')], /--policy .*p1\.json: painCeiling must be <= 10/],
    ['a --policy with an unknown property', () => [EXAMPLE, '--policy', file('p2.json', '{"ceiling": 5}')], /unknown property 'ceiling'/],
    ['a --policy that is not JSON', () => [EXAMPLE, '--policy', file('p3.json', 'mode=quota')], /--policy .*p3\.json: malformed JSON/],
    ['an unknown option', () => [EXAMPLE, '--fast'], /Unknown option '--fast'/],
    ['no Bundle file', () => [], /missing <bundle\.json>/],
  ])('reports %s on stderr and exits 2, without a stack trace', (_what, args, message) => {
    const run = gradus(...args());
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr.split('\n')[0]).toMatch(/^gradus progress: /);
    expect(run.stderr).not.toMatch(/^\s+at /m);
  });

  it('reports a bad --policy in one line', () => {
    const run = gradus(EXAMPLE, '--policy', file('p4.json', '{"painCeiling": 11, "mode": "fast", "extra": 1}'));
    expect(run.status).toBe(2);
    expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  });
});
