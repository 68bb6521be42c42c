/**
 * The built CLI against FHIR servers: `gradus serve` starts, prints its URLs and stops on SIGTERM;
 * `gradus progress --server` progresses one plan or all of them (a failing plan is reported and the
 * others still progress); bad input is one clear line and exit 2.
 */
import type { CarePlan } from 'fhir/r4';
import { spawn } from 'node:child_process';
import { FhirClient } from '../src/client';
import type { RunningService } from '../src/server';
import { BIN, ROOT, runGradus as gradus, runProgram } from './support/cli';
import { startDemoService } from './support/demo-service';
import { snapshot } from './support/plan-state';

const NOW = '2026-11-27T09:00:00+01:00';

let service: RunningService;
let client: FhirClient;

beforeAll(async () => {
  service = await startDemoService();
  client = new FhirClient({ baseUrl: service.fhirBaseUrl });
});
afterAll(async () => service.close());

describe('gradus progress --server --plan', () => {
  it('reads, applies and writes one plan, printing its decision table and what was written', async () => {
    const before = await snapshot(client, 'elif-plan');
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, '--plan', 'CarePlan/elif-plan', '--now', NOW]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Phase: build -> deload/);
    expect(run.stdout).toMatch(/^Written: \d+ ServiceRequest, 1 CarePlan, \d+ Provenance\.$/m);
    expect((await snapshot(client, 'elif-plan')).planVersions).toBe(before.planVersions + 1);
  });

  it('writes nothing with --dry-run', async () => {
    const before = await snapshot(client, 'ingrid-plan');
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, '--plan', 'ingrid-plan', '--now', NOW, '--dry-run']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/regress/);
    expect(run.stdout).toMatch(/^Dry run: nothing written\.$/m);
    const after = await snapshot(client, 'ingrid-plan');
    expect(after.planVersions).toBe(before.planVersions);
    expect(after.provenances).toHaveLength(before.provenances.length);
  });

  it.each([
    [['--plan', 'CarePlan/no-such-plan'], /^gradus progress: plan CarePlan\/no-such-plan was not found on the FHIR server\n$/],
    [['--plan', 'Patient/x'], /^gradus progress: --plan 'Patient\/x' is not a CarePlan id/],
    [['--plan', 'amara-plan', '--all'], /^gradus progress: give either --plan <CarePlan\/id> or --all/],
    [['--plan', 'amara-plan', '--now', 'tomorrow'], /^gradus progress: now 'tomorrow' is not an ISO dateTime/],
  ])('exits 2 with one clear line for %j', async (extra, message) => {
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, ...extra]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
    expect(run.stdout).toBe('');
  });

  it('exits 2 with one line when the FHIR server cannot be reached', async () => {
    const run = await gradus(['progress', '--server', 'http://127.0.0.1:9/fhir', '--plan', 'amara-plan']);
    expect(run.code).toBe(2);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
    expect(run.stderr).toMatch(/could not be reached/);
  });
});

describe('gradus progress --server --all', () => {
  it('progresses every active Gradus plan, a line per plan, and reports a failing one without stopping the others', async () => {
    const broken: CarePlan = {
      resourceType: 'CarePlan',
      id: 'zz-broken-plan',
      status: 'active',
      intent: 'plan',
      category: [{ coding: [{ system: 'https://gradus.health/fhir/CodeSystem/gradus', code: 'exercise-program' }] }],
      subject: { reference: 'Patient/nobody' },
    };
    await client.request('PUT', 'CarePlan/zz-broken-plan', broken);
    // The latest demo timestamp (quota-based is dated 2026-11-27T21:30:00-05:00).
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, '--all', '--now', '2026-11-28T03:00:00+01:00', '--concurrency', '2']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n');
    const planLines = lines.filter((l) => /^(ok|FAILED) +CarePlan\//.test(l));
    expect(planLines).toHaveLength(service.demoPatients.length + 1);
    expect(lines).toContain(`${service.demoPatients.length + 1} plan(s) progressed; 1 failed.`);
    expect(run.stdout).toMatch(/^FAILED +CarePlan\/zz-broken-plan: 422 the plan's patient Patient\/nobody was not found/m);
    expect(run.stdout).toMatch(/^Order decisions: .*hold \d+/m);
    expect(run.stdout).toMatch(/^ {2}failed CarePlan\/zz-broken-plan: 422 /m);
    for (const p of service.demoPatients) expect(run.stdout).toContain(`CarePlan/${p.planId}:`);
  });
});

describe('gradus progress --server --all on a terminal', () => {
  it('draws a progress bar instead of a line per plan, then the summary', async () => {
    // util-linux `script` gives the CLI a pseudo-terminal, as a person running it would have.
    const command = [process.execPath, BIN, 'progress', '--server', service.fhirBaseUrl, '--all', '--dry-run', '--now', '2026-11-28T03:00:00+01:00'].join(' ');
    const run = await runProgram('script', ['-qec', command, '/dev/null']);
    const total = service.demoPatients.length + 1; // the broken plan added above
    expect(run.stdout).toMatch(new RegExp(`\\r\\[#{30}\\] ${total}/${total} plans, 1 failed`));
    expect(run.stdout).not.toMatch(/^ok +CarePlan\//m);
    expect(run.stdout).toMatch(new RegExp(`${total} plan\\(s\\) evaluated \\(dry run, nothing written\\); 1 failed\\.`));
  });
});

describe('gradus serve', () => {
  it('starts the service on the embedded server with the demo patients, prints its URLs, and stops on SIGTERM', async () => {
    const child = spawn(process.execPath, [BIN, 'serve', '--port', '0'], { cwd: ROOT, env: { ...process.env, LOG_LEVEL: 'silent' } });
    let stdout = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    await new Promise<void>((ready, fail) => {
      const check = (): void => (stdout.includes('Ctrl-C stops the service.') ? ready() : undefined);
      child.stdout.on('data', check);
      child.on('exit', () => fail(new Error(`serve exited early: ${stdout}`)));
    });
    const url = /^Gradus service +(http:\/\/127\.0\.0\.1:\d+)$/m.exec(stdout)?.[1];
    expect(url).toBeDefined();
    expect(stdout).toMatch(/17 demo patients/);
    expect(stdout).toContain(`curl -s -X POST '${url ?? ''}/fhir/CarePlan/amara-plan/$progress'`);
    const health = await fetch(`${url ?? ''}/health`);
    expect(health.status).toBe(200);
    child.kill('SIGTERM');
    expect(await exited).toBe(0);
    expect(stdout).toMatch(/Gradus service stopped\.\n$/);
  });

  it.each([
    [['--port', 'abc'], /^gradus serve: invalid configuration: PORT must be integer \(got 'abc'\)\n$/],
    [['--fhir', 'ftp://x'], /^gradus serve: invalid configuration: FHIR_BASE_URL must be an http\(s\) URL/],
    [['--bogus'], /^gradus serve: Unknown option '--bogus'/],
  ])('exits 2 with one clear line for %j', async (args, message) => {
    const run = await gradus(['serve', ...args]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(message);
  });
});
