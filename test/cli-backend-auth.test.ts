/**
 * `gradus progress --server` and `gradus token` with SMART Backend Services against the real sandbox:
 * `gradus serve --auth` (oidc-provider as the authorization server, the registered backend client
 * `gradus-nightly` and its private key file) and the built CLI, each in its own process, over real HTTP.
 */
import type { Provenance } from 'fhir/r4';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FhirClient } from '../src/client';
import { startAuthService, type AuthService } from './support/auth-service';
import { runGradus, type Run } from './support/cli';

const CLIENT = 'gradus-nightly';

/** Runs the built CLI; FHIR_BEARER_TOKEN is cleared unless a test sets it. */
const gradus = (args: string[], env: Record<string, string> = {}): Promise<Run> => runGradus(args, { FHIR_BEARER_TOKEN: '', ...env });

let service: AuthService;
let dir: string;
let wrongKey: string;
const credentials = (): string[] => ['--client-id', CLIENT, '--key', service.keyFile];

/** A FHIR client of the test's own, with a token the CLI got (`TOKEN=$(gradus token ...)`). */
async function authorisedClient(): Promise<FhirClient> {
  const run = await gradus(['token', '--server', service.fhirBaseUrl, ...credentials()]);
  expect(run.code).toBe(0);
  return new FhirClient({ baseUrl: service.fhirBaseUrl, token: run.stdout.trim() });
}

const provenanceCount = async (client: FhirClient): Promise<number> => (await client.search<Provenance>('Provenance', {})).length;

beforeAll(async () => {
  service = await startAuthService();
  dir = mkdtempSync(join(tmpdir(), 'gradus-backend-auth-'));
  // A well-formed ES384 key under the registered client's kid, but not the registered key.
  const registered = JSON.parse(readFileSync(service.keyFile, 'utf8')) as { kid?: string };
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-384' });
  wrongKey = join(dir, 'wrong.jwk.json');
  writeFileSync(wrongKey, JSON.stringify({ ...privateKey.export({ format: 'jwk' }), alg: 'ES384', kid: registered.kid }), { mode: 0o600 });
}, 90_000);

afterAll(async () => {
  await service?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

jest.setTimeout(60_000);

describe('without credentials', () => {
  it('the FHIR server refuses (401 with WWW-Authenticate: Bearer)', async () => {
    const response = await fetch(`${service.fhirBaseUrl}/CarePlan`, { headers: { accept: 'application/fhir+json' } });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('gradus progress --all exits 1 with one line saying so and how to authenticate', async () => {
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, '--all']);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(/^gradus progress: the FHIR server refused the request \(HTTP 401\).*; give --client-id and --key \(SMART Backend Services\) or set FHIR_BEARER_TOKEN\n$/);
  });
});

describe('gradus token', () => {
  it('prints only the access token, and the FHIR server accepts it', async () => {
    const run = await gradus(['token', '--server', service.fhirBaseUrl, ...credentials()]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe('');
    expect(run.stdout).toMatch(/^[\x21-\x7e]{16,}\n$/);
    const client = new FhirClient({ baseUrl: service.fhirBaseUrl, token: run.stdout.trim() });
    await expect(client.search('CarePlan', {})).resolves.not.toHaveLength(0);
  });

  it("exits 1 naming the token endpoint's refusal when the key is not the registered one, and prints no token", async () => {
    const run = await gradus(['token', '--server', service.fhirBaseUrl, '--client-id', CLIENT, '--key', wrongKey]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^gradus token: the token endpoint ${service.url}/auth/\\S+ refused client ${CLIENT}: invalid_client.*\\n$`));
  });
});

describe('gradus progress --server with --client-id and --key', () => {
  it('evaluates every plan with --dry-run and writes nothing', async () => {
    const client = await authorisedClient();
    const before = await provenanceCount(client);
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, '--all', '--dry-run', ...credentials()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^\d+ plan\(s\) evaluated \(dry run, nothing written\); 0 failed\.$/m);
    expect(await provenanceCount(client)).toBe(before);
  });

  it('progresses one plan with --plan', async () => {
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, '--plan', 'CarePlan/amara-plan', '--dry-run', ...credentials()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^Patient: Patient\/\S+ {2}\| {2}Plan: amara-plan/m);
    expect(run.stdout).toMatch(/^Dry run: nothing written\.$/m);
  });

  it('progresses every plan with --all: a line per plan, and Provenances on the server', async () => {
    const client = await authorisedClient();
    const before = await provenanceCount(client);
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, '--all', ...credentials()]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const plans = Number(/^(\d+) plan\(s\) progressed; 0 failed\.$/m.exec(run.stdout)?.[1]);
    expect(plans).toBeGreaterThan(0);
    expect(run.stdout.match(/^ok +CarePlan\/\S+: /gm)).toHaveLength(plans);
    expect(await provenanceCount(client)).toBeGreaterThanOrEqual(before + plans);
  });

  it('is limited to the scopes it asks for: without write scopes the write is refused (exit 1) and nothing is written', async () => {
    const client = await authorisedClient();
    const before = await provenanceCount(client);
    const readOnly = 'system/CarePlan.rs system/ServiceRequest.rs system/Observation.rs system/Provenance.rs system/Patient.rs system/Goal.rs';
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, '--plan', 'amara-plan', ...credentials(), '--scope', readOnly]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^gradus progress: the FHIR server refused the request \(HTTP 403\)/);
    expect(await provenanceCount(client)).toBe(before);
  });

  it('accepts a token from FHIR_BEARER_TOKEN instead (TOKEN=$(gradus token ...))', async () => {
    const token = await gradus(['token', '--server', service.fhirBaseUrl, ...credentials()]);
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, '--plan', 'amara-plan', '--dry-run'], { FHIR_BEARER_TOKEN: token.stdout.trim() });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
  });

  it("exits 1 naming the token endpoint's refusal when the key is not the registered one", async () => {
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, '--all', '--client-id', CLIENT, '--key', wrongKey]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(new RegExp(`^gradus progress: the token endpoint ${service.url}/auth/\\S+ refused client ${CLIENT}: invalid_client.*\\n$`));
  });

  it('exits 1 when the client id is not registered', async () => {
    const run = await gradus(['progress', '--server', service.fhirBaseUrl, '--all', '--client-id', 'nobody', '--key', service.keyFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^gradus progress: the token endpoint \S+ refused client nobody: invalid_client/);
  });
});

describe('bad options', () => {
  const missing = (): string => join(dir, 'missing.jwk.json');
  const notAKey = (): string => {
    const path = join(dir, 'not-a-key.txt');
    writeFileSync(path, 'hello');
    return path;
  };
  it.each<[string, string, () => string[], RegExp]>([
    ['progress', '--client-id without --key', () => ['--all', '--client-id', CLIENT], /give both --client-id and --key \(SMART Backend Services\), or neither/],
    ['progress', '--key without --client-id', () => ['--all', '--key', service.keyFile], /give both --client-id and --key/],
    ['progress', '--scope without credentials', () => ['--all', '--scope', 'system/CarePlan.rs'], /--scope and --alg need --client-id and --key/],
    ['progress', 'an unreadable key file', () => ['--all', '--client-id', CLIENT, '--key', missing()], /--key \S+missing\.jwk\.json: cannot read \(ENOENT\)/],
    ['progress', 'a file that is no key', () => ['--all', '--client-id', CLIENT, '--key', notAKey()], /--key \S+not-a-key\.txt: expected a private JWK/],
    ['progress', 'an unsupported --alg', () => ['--all', '--client-id', CLIENT, '--key', service.keyFile, '--alg', 'RS256'], /--alg must be RS384 or ES384/],
    ['token', 'no --client-id and --key', () => [], /give --client-id and --key/],
    ['token', '--client-id without --key', () => ['--client-id', CLIENT], /give both --client-id and --key/],
    ['token', 'an unreadable key file', () => ['--client-id', CLIENT, '--key', missing()], /cannot read \(ENOENT\)/],
  ])('gradus %s with %s exits 2 with one line', async (command, _what, args, message) => {
    const run = await gradus([command, '--server', service.fhirBaseUrl, ...args()]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(message);
    expect(run.stderr).toMatch(new RegExp(`^gradus ${command}: [^\\n]+\\n$`));
  });

  it('gradus token without --server exits 2', async () => {
    const run = await gradus(['token', ...credentials()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('gradus token: --server needs an http(s) URL\n');
  });

  it('exits 2 when the server offers no SMART configuration', async () => {
    const run = await gradus(['token', '--server', `${service.url}/elsewhere`, ...credentials()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/^gradus token: no SMART configuration at \S+\/elsewhere\/\.well-known\/smart-configuration \(HTTP \d+\)\n$/);
  });
});
