/**
 * The Gradus service facing bad input and faults, over real HTTP on an ephemeral port: every error an
 * OperationOutcome as application/fhir+json, request ids on every response, logs free of PHI, an
 * external FHIR server that is down or silent, and configuration that is rejected with a clear message.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createNetServer } from 'node:net';
import type { CarePlan, OperationOutcome, Patient } from 'fhir/r4';
import { ConfigError, loadConfig, startService, type RunningService } from '../src/server';
import { startDemoService } from './support/demo-service';
import { call, checkIn, expectOutcome, FHIR_JSON, NOW_QUERY, PLAN_PROFILE, type CallInit } from './support/http';

const diagnostics = (outcome: OperationOutcome): string => outcome.issue.map((i) => i.diagnostics ?? '').join(' ');


/** A port on 127.0.0.1 that nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const server = createNetServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return address.port;
}

describe('configuration', () => {
  it('rejects a PORT that is not a number with a ConfigError naming PORT', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(/PORT/);
  });

  it('rejects a FHIR_BASE_URL that is not a URL with a ConfigError naming FHIR_BASE_URL', () => {
    expect(() => loadConfig({ FHIR_BASE_URL: 'not a url' })).toThrow(ConfigError);
    expect(() => loadConfig({ FHIR_BASE_URL: 'not a url' })).toThrow(/FHIR_BASE_URL/);
  });

  function configMessage(env: Record<string, string>): string {
    try {
      loadConfig(env);
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      return (error as Error).message;
    }
    throw new Error('loadConfig did not throw');
  }

  it('never repeats the FHIR_BEARER_TOKEN value in a ConfigError about another variable', () => {
    const message = configMessage({ FHIR_BASE_URL: 'not a url', FHIR_BEARER_TOKEN: 'tok-s3cr3t-4711' });
    expect(message).toMatch(/FHIR_BASE_URL/);
    expect(message).not.toContain('tok-s3cr3t-4711');
  });

  it('never repeats an invalid FHIR_BEARER_TOKEN value in the ConfigError naming it', () => {
    const message = configMessage({ FHIR_BASE_URL: 'https://fhir.example.org/r4', FHIR_BEARER_TOKEN: 'tok s3cr3t 4711' });
    expect(message).toMatch(/FHIR_BEARER_TOKEN/);
    expect(message).not.toContain('s3cr3t');
  });
});

describe('configuration of SMART and the sandbox', () => {
  it.each([
    ['the open embedded server on a non-loopback address', { HOST: '0.0.0.0' }, /without --auth it is open, so it listens on loopback only/],
    ['the sandbox on a non-loopback address', { GRADUS_AUTH: 'true', HOST: '0.0.0.0' }, /sandbox lets anyone sign in as a demo user .* loopback only/],
    ['--auth with an external FHIR server', { GRADUS_AUTH: 'true', FHIR_BASE_URL: 'https://fhir.example.org/r4' }, /SMART_CLIENT_ID/],
    ['a PUBLIC_URL with a path', { PUBLIC_URL: 'https://gradus.example.org/app' }, /PUBLIC_URL must be an http\(s\) origin/],
    ['a token lifetime of 0 s', { GRADUS_TOKEN_TTL_SECONDS: '0' }, /GRADUS_TOKEN_TTL_SECONDS/],
  ])('refuses %s with a ConfigError that says why', (_name, env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });

  it.each([
    ['the sandbox on loopback', { GRADUS_AUTH: 'true' }, { auth: true, smartClientId: 'gradus-app' }],
    ['an external FHIR server on any address', { FHIR_BASE_URL: 'https://fhir.example.org/r4', HOST: '0.0.0.0' }, { host: '0.0.0.0' }],
    ['an external FHIR server with a SMART client id', { FHIR_BASE_URL: 'https://fhir.example.org/r4', SMART_CLIENT_ID: 'ehr-app-1' }, { auth: false, smartClientId: 'ehr-app-1' }],
    ['no SMART at all by default', {}, { auth: false, tokenTtlSeconds: 3600, dataDir: '.gradus' }],
  ])('accepts %s', (_name, env, expected) => {
    expect(loadConfig(env)).toMatchObject(expected);
  });

  it('has no SMART client unless --auth or SMART_CLIENT_ID asks for one', () => {
    expect(loadConfig({}).smartClientId).toBeUndefined();
  });
});

describe('bad input to the service on the embedded server', () => {
  let service: RunningService;
  let fhir: string;

  beforeAll(async () => {
    service = await startDemoService();
    fhir = service.fhirBaseUrl;
  });

  afterAll(async () => {
    await service.close();
  });

  it('GET /health answers 200 with JSON', async () => {
    const reply = await call(`${service.url}/health`, { headers: { accept: 'application/json' } });
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/json/);
    expect(reply.body).toEqual(expect.any(Object));
  });

  it('answers 404 with an OperationOutcome to $progress on an unknown plan id', async () => {
    expectOutcome(await call(`${fhir}/CarePlan/no-such-plan/$progress?${NOW_QUERY}`, { method: 'POST' }), 404);
  });

  it('answers 422 naming why to $progress on a CarePlan that is not a Gradus plan', async () => {
    const plain: CarePlan = { resourceType: 'CarePlan', status: 'active', intent: 'plan', subject: { reference: 'Patient/amara-okafor' } };
    const created = await call(`${fhir}/CarePlan`, { body: plain });
    expect(created.status).toBe(201);
    const id = (created.body as CarePlan).id ?? '';
    const outcome = expectOutcome(await call(`${fhir}/CarePlan/${id}/$progress?${NOW_QUERY}`, { method: 'POST' }), 422);
    expect(diagnostics(outcome)).toMatch(/gradus/i);
    expect(diagnostics(outcome)).toMatch(/profile|category/i);
  });

  it.each([
    ['POST /fhir/$validate', '/fhir/$validate'],
    ['POST /fhir/Observation/$validate', '/fhir/Observation/$validate'],
    ['POST /fhir/CarePlan/$progress', `/fhir/CarePlan/$progress?${NOW_QUERY}`],
    ['POST /fhir/Observation', '/fhir/Observation'],
  ])('answers 400 with an OperationOutcome to malformed JSON on %s', async (_name, path) => {
    expectOutcome(await call(`${service.url}${path}`, { body: '{"resourceType": "Observation", ' }), 400);
  });

  it.each([
    ['POST /fhir/$validate', '/fhir/$validate'],
    ['POST /fhir/CarePlan/$progress', `/fhir/CarePlan/$progress?${NOW_QUERY}`],
    ['POST /fhir/Observation', '/fhir/Observation'],
  ])('answers 415 with an OperationOutcome to a text/plain body on %s', async (_name, path) => {
    const body = JSON.stringify(checkIn('Patient/amara-okafor', 2));
    expectOutcome(await call(`${service.url}${path}`, { body, headers: { 'content-type': 'text/plain' } }), 415);
  });

  it.each(['2026-11-27T09:00:00', '2026-11-27', 'yesterday', '2026-13-27T09:00:00+01:00'])(
    'answers 400 with an OperationOutcome to $progress with now=%s (not an ISO dateTime with offset)',
    async (now) => {
      const outcome = expectOutcome(await call(`${fhir}/CarePlan/amara-plan/$progress?now=${encodeURIComponent(now)}&dryRun=true`, { method: 'POST' }), 400);
      expect(diagnostics(outcome)).toMatch(/now/);
    },
  );

  it('accepts now as an ISO dateTime with offset (the control for the 400s above)', async () => {
    expect((await call(`${fhir}/CarePlan/amara-plan/$progress?${NOW_QUERY}&dryRun=true`, { method: 'POST' })).status).toBe(200);
  });

  it.each(['/nope', '/fhirx/metadata', '/health/deep/path'])('answers 404 with an OperationOutcome to the unknown route GET %s', async (path) => {
    expectOutcome(await call(`${service.url}${path}`), 404);
  });

  it('answers $validate of a bare Patient against the plan profile with an OperationOutcome carrying an error', async () => {
    const patient: Patient = { resourceType: 'Patient', gender: 'female' };
    const reply = await call(`${fhir}/Patient/$validate?profile=${encodeURIComponent(PLAN_PROFILE)}`, { body: patient });
    expect(reply.headers.get('content-type')).toContain(FHIR_JSON);
    const outcome = reply.body as OperationOutcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.some((i) => i.severity === 'error')).toBe(true);
  });

  it('answers POST /fhir/$validate of an invalid check-in with an error and of a valid one without', async () => {
    const invalid = (await call(`${fhir}/$validate`, { body: checkIn('Patient/amara-okafor', 11) })).body as OperationOutcome;
    expect(invalid.resourceType).toBe('OperationOutcome');
    expect(invalid.issue.some((i) => i.severity === 'error')).toBe(true);

    const valid = await call(`${fhir}/Observation/$validate`, { body: checkIn('Patient/amara-okafor', 2) });
    expect(valid.status).toBe(200);
    const outcome = valid.body as OperationOutcome;
    expect(outcome.resourceType).toBe('OperationOutcome');
    expect(outcome.issue.filter((i) => i.severity === 'error' || i.severity === 'fatal')).toEqual([]);
  });

  describe('X-Request-Id', () => {
    it.each([
      ['GET /health', '/health', 'GET'],
      ['GET /fhir/metadata', '/fhir/metadata', 'GET'],
      ['GET /fhir/Patient/amara-okafor', '/fhir/Patient/amara-okafor', 'GET'],
      ['GET /nope (404)', '/nope', 'GET'],
      ['POST $progress of an unknown plan (404)', '/fhir/CarePlan/no-such-plan/$progress', 'POST'],
    ])('is on the response to %s, generated when none was sent', async (_name, path, method) => {
      const reply = await call(`${service.url}${path}`, { method });
      expect(reply.headers.get('x-request-id')).toEqual(expect.stringMatching(/\S/));
    });

    it('is a different id for each request when none was sent', async () => {
      const a = (await call(`${service.url}/health`)).headers.get('x-request-id');
      const b = (await call(`${service.url}/health`)).headers.get('x-request-id');
      expect(a).not.toBe(b);
    });

    it.each([
      ['GET /health', '/health', 'GET'],
      ['GET /nope (404)', '/nope', 'GET'],
      ['POST $progress of an unknown plan (404)', '/fhir/CarePlan/no-such-plan/$progress', 'POST'],
    ])('echoes a sane X-Request-Id sent with %s', async (_name, path, method) => {
      const reply = await call(`${service.url}${path}`, { method, headers: { 'x-request-id': 'req-3f2a9c01' } });
      expect(reply.headers.get('x-request-id')).toBe('req-3f2a9c01');
    });

    it('replaces an X-Request-Id that is not sane (2000 characters) with one of its own', async () => {
      const insane = 'x'.repeat(2000);
      const reply = await call(`${service.url}/health`, { headers: { 'x-request-id': insane } });
      const id = reply.headers.get('x-request-id');
      expect(id).toEqual(expect.stringMatching(/\S/));
      expect(id).not.toBe(insane);
    });
  });
});

describe('request body limit (BODY_LIMIT_BYTES 2048)', () => {
  let service: RunningService;

  beforeAll(async () => {
    service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', GRADUS_DEMO: 'false', BODY_LIMIT_BYTES: '2048' }));
  });

  afterAll(async () => {
    await service.close();
  });

  const patientOfSize = (bytes: number): string => {
    const base = { resourceType: 'Patient', gender: 'female', name: [{ family: '' }] };
    const overhead = JSON.stringify(base).length;
    return JSON.stringify({ ...base, name: [{ family: 'x'.repeat(bytes - overhead) }] });
  };

  it('accepts a body under the limit', async () => {
    const body = patientOfSize(1500);
    expect(body.length).toBe(1500);
    expect((await call(`${service.fhirBaseUrl}/$validate`, { body })).status).toBe(200);
  });

  it.each([
    ['POST /fhir/$validate', '/fhir/$validate'],
    ['POST /fhir/Patient', '/fhir/Patient'],
    ['POST /fhir/CarePlan/$progress', `/fhir/CarePlan/$progress?${NOW_QUERY}`],
  ])('answers 413 with an OperationOutcome to a body over the limit on %s', async (_name, path) => {
    const body = patientOfSize(3000);
    expect(body.length).toBe(3000);
    expectOutcome(await call(`${service.url}${path}`, { body }), 413);
  });
});

describe('logs', () => {
  interface Line {
    level: string;
    message: string;
    fields: Record<string, unknown>;
  }
  const lines: Line[] = [];
  let service: RunningService;

  beforeAll(async () => {
    service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'info' }), {
      demoAsOfTimestamp: true,
      logger: { log: (level, message, fields = {}) => lines.push({ level, message, fields }) },
    });
    const fhir = service.fhirBaseUrl;
    const requests: [string, CallInit][] = [
      [`${fhir}/CarePlan/amara-plan/$progress?${NOW_QUERY}&dryRun=true`, { method: 'POST', headers: { 'x-request-id': 'log-progress-1' } }],
      [`${fhir}/CarePlan/amara-plan/$progress?${NOW_QUERY}`, { method: 'POST', headers: { 'x-request-id': 'log-progress-2' } }],
      [`${fhir}/Patient/amara-okafor`, { headers: { 'x-request-id': 'log-read-1' } }],
      [`${fhir}/Observation?subject=Patient/amara-okafor&_count=5`, { headers: { 'x-request-id': 'log-search-1' } }],
      [
        `${fhir}/$validate`,
        { body: { resourceType: 'Patient', name: [{ given: ['Zebulon'], family: 'Quackenbush' }], birthDate: 'not-a-date' }, headers: { 'x-request-id': 'log-validate-1' } },
      ],
      [`${fhir}/CarePlan/amara-unknown-plan/$progress?${NOW_QUERY}`, { method: 'POST', headers: { 'x-request-id': 'log-error-1' } }],
      [`${fhir}/$validate`, { body: '{"resourceType": "Patient", "name": [{"family": "Quackenbush"', headers: { 'x-request-id': 'log-error-2' } }],
    ];
    for (const [url, init] of requests) await call(url, init);
  });

  afterAll(async () => {
    await service.close();
  });

  const text = (line: Line): string => JSON.stringify(line);

  it.each(['log-progress-1', 'log-progress-2', 'log-read-1', 'log-search-1', 'log-validate-1', 'log-error-1', 'log-error-2'])(
    'carry the request id %s of each request',
    (id) => {
      expect(lines.filter((l) => Object.values(l.fields).includes(id)).length).toBeGreaterThan(0);
    },
  );

  it.each([
    ['patient names', ['Amara', 'Okafor', 'Zebulon', 'Quackenbush']],
    ['resource ids', ['amara', 'no-such', 'unknown-plan']],
    ['query strings', ['now=', 'dryRun=', 'subject=', '_count', '%2B01', '2026-11-27T09']],
    ['bodies', ['resourceType', 'not-a-date', 'birthDate']],
  ])('contain no %s', (_what, forbidden) => {
    expect(lines.length).toBeGreaterThan(0);
    for (const word of forbidden) {
      expect(lines.filter((l) => text(l).toLowerCase().includes(word.toLowerCase())).map(text)).toEqual([]);
    }
  });
});

describe('an external FHIR server that is down', () => {
  let service: RunningService;
  const lines: string[] = [];

  beforeAll(async () => {
    const port = await closedPort();
    service = await startService(
      loadConfig({ PORT: '0', LOG_LEVEL: 'info', FHIR_BASE_URL: `http://127.0.0.1:${port}/fhir`, FHIR_BEARER_TOKEN: 'tok-down-9c1e', FHIR_TIMEOUT_MS: '2000' }),
      { logger: { log: (level, message, fields) => lines.push(JSON.stringify({ level, message, fields })) } },
    );
  });

  afterAll(async () => {
    await service.close();
  });

  it('makes $progress answer 502 with an OperationOutcome saying the FHIR server could not be reached', async () => {
    const reply = await call(`${service.url}/fhir/CarePlan/amara-plan/$progress?${NOW_QUERY}`, { method: 'POST' });
    const outcome = expectOutcome(reply, 502);
    expect(diagnostics(outcome)).toMatch(/FHIR server/i);
    expect(reply.text).not.toContain('tok-down-9c1e');
    expect(lines.filter((l) => l.includes('tok-down-9c1e'))).toEqual([]);
  });

  it('reports itself unhealthy (503) while its FHIR server cannot be reached', async () => {
    const reply = await call(`${service.url}/health`);
    expect(reply.status).toBe(503);
    expect(reply.body).toMatchObject({ status: 'fail', checks: { 'fhir-server': [{ status: 'fail' }] } });
  });
});

describe('an external FHIR server that does not answer in time (FHIR_TIMEOUT_MS 300)', () => {
  let silent: Server;
  let service: RunningService;
  const received: { method: string; url: string }[] = [];

  beforeAll(async () => {
    silent = createHttpServer((request: IncomingMessage) => {
      received.push({ method: request.method ?? '', url: request.url ?? '' });
      // accept and never respond
    });
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no port');
    service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', FHIR_BASE_URL: `http://127.0.0.1:${address.port}/fhir`, FHIR_TIMEOUT_MS: '300' }));
  });

  afterAll(async () => {
    await service.close();
    silent.closeAllConnections();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it('makes $progress answer 504 with an OperationOutcome and send no write to the FHIR server', async () => {
    const reply = await call(`${service.url}/fhir/CarePlan/amara-plan/$progress?${NOW_QUERY}`, { method: 'POST' });
    expectOutcome(reply, 504);
    expect(received.length).toBeGreaterThan(0);
    const isWrite = (r: { method: string; url: string }): boolean =>
      ['PUT', 'PATCH', 'DELETE'].includes(r.method) || (r.method === 'POST' && !/\/_search(\?|$)/.test(r.url));
    expect(received.filter(isWrite)).toEqual([]);
  });
});
