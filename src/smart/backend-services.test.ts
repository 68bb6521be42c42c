/**
 * SMART Backend Services client: the signed assertion (checked with jose against the public key), key files,
 * discovery, refusals and token reuse. oidc-provider (the sandbox's real authorization server) is ESM-only and
 * cannot load inside jest, so a small HTTP token endpoint runs here and checks each assertion with jose; the
 * CLI against the real sandbox is test/cli-backend-auth.test.ts.
 */
import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeProtectedHeader, exportJWK, jwtVerify, type JWK } from 'jose';
import {
  BackendAuthError,
  backendTokenSource,
  clientAssertion,
  DEFAULT_BACKEND_SCOPE,
  discoverTokenEndpoint,
  importBackendKey,
  JWT_BEARER,
  readPrivateKey,
  renewalMarginSeconds,
  type BackendKey,
} from './backend-services';

const CLIENT = 'gradus-nightly';

function keyPair(kind: 'ec384' | 'ec256' | 'rsa2048' | 'rsa1024' | 'ed25519'): { privateKey: KeyObject; publicKey: KeyObject } {
  switch (kind) {
    case 'ec384':
      return generateKeyPairSync('ec', { namedCurve: 'P-384' });
    case 'ec256':
      return generateKeyPairSync('ec', { namedCurve: 'P-256' });
    case 'rsa2048':
      return generateKeyPairSync('rsa', { modulusLength: 2048 });
    case 'rsa1024':
      return generateKeyPairSync('rsa', { modulusLength: 1024 });
    case 'ed25519':
      return generateKeyPairSync('ed25519');
  }
}

const ec = keyPair('ec384');
const rsa = keyPair('rsa2048');
let ecJwk: JWK;
let dir: string;

beforeAll(async () => {
  ecJwk = { ...(await exportJWK(ec.privateKey)), alg: 'ES384', kid: 'nightly-1' };
  dir = mkdtempSync(join(tmpdir(), 'gradus-backend-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const file = (name: string, content: string): string => {
  const path = join(dir, name);
  writeFileSync(path, content, { mode: 0o600 });
  return path;
};
const pem = (key: KeyObject): string => key.export({ type: 'pkcs8', format: 'pem' }).toString();

describe('the client assertion', () => {
  it.each<[string, () => Promise<BackendKey>, KeyObject, string, string | undefined]>([
    ['an ES384 JWK', () => importBackendKey(ecJwk), ec.publicKey, 'ES384', 'nightly-1'],
    ['an RSA PEM', () => importBackendKey({ pem: pem(rsa.privateKey) }), rsa.publicKey, 'RS384', undefined],
  ])('signed with %s verifies against the public key, with iss = sub = client, aud = token endpoint, a jti and exp <= 5 min', async (_what, load, publicKey, alg, kid) => {
    const key = await load();
    const endpoint = 'https://auth.example.org/token';
    const nowMs = Date.now();
    const jwt = await clientAssertion({ clientId: CLIENT, tokenEndpoint: endpoint, key, nowMs });
    const { payload, protectedHeader } = await jwtVerify(jwt, publicKey, { algorithms: [alg], issuer: CLIENT, subject: CLIENT, audience: endpoint });
    expect(protectedHeader).toEqual({ alg, kid: kid ?? key.kid, typ: 'JWT' });
    expect(protectedHeader.kid).toMatch(/\S/);
    expect(payload.jti).toMatch(/^[0-9a-f-]{36}$/);
    expect(payload.exp).toBeGreaterThan(nowMs / 1000);
    expect((payload.exp ?? Infinity) - nowMs / 1000).toBeLessThanOrEqual(300);
    const again = await clientAssertion({ clientId: CLIENT, tokenEndpoint: endpoint, key, nowMs });
    expect((await jwtVerify(again, publicKey)).payload.jti).not.toBe(payload.jti);
  });
});

describe('readPrivateKey', () => {
  it.each<[string, () => string, string | undefined, string]>([
    ['a private JWK with alg ES384', () => JSON.stringify(ecJwk), undefined, 'ES384'],
    ['a private EC JWK without alg (by kty and curve)', () => JSON.stringify({ ...ecJwk, alg: undefined }), undefined, 'ES384'],
    ['a PKCS#8 PEM EC P-384 key', () => pem(ec.privateKey), undefined, 'ES384'],
    ['a PKCS#8 PEM RSA key', () => pem(rsa.privateKey), undefined, 'RS384'],
    ['a PKCS#8 PEM RSA key with --alg RS384', () => pem(rsa.privateKey), 'RS384', 'RS384'],
  ])('reads %s', async (_what, content, alg, expected) => {
    const key = await readPrivateKey(file('good.key', content()), alg as 'RS384' | undefined);
    expect(key.alg).toBe(expected);
    expect(key.key.type).toBe('private');
  });

  it('takes the kid from the JWK, and the RFC 7638 thumbprint for a PEM', async () => {
    expect((await readPrivateKey(file('jwk.json', JSON.stringify(ecJwk)))).kid).toBe('nightly-1');
    expect((await readPrivateKey(file('ec.pem', pem(ec.privateKey)))).kid).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it.each<[string, () => string, 'RS384' | 'ES384' | undefined, RegExp]>([
    ['a public key', () => ec.publicKey.export({ type: 'spki', format: 'pem' }).toString(), undefined, /found a public key/],
    ['a public JWK', () => JSON.stringify({ ...ecJwk, d: undefined }), undefined, /not a private key/],
    ['an EC P-256 key', () => pem(keyPair('ec256').privateKey), undefined, /P-384/],
    ['a 1024-bit RSA key', () => pem(keyPair('rsa1024').privateKey), undefined, /at least 2048 bits/],
    ['an Ed25519 key', () => pem(keyPair('ed25519').privateKey), undefined, /ed25519 key is not supported/],
    ['a JWK with alg RS256', () => JSON.stringify({ ...ecJwk, alg: 'RS256' }), undefined, /alg RS256 is not supported/],
    ['--alg RS384 with an EC key', () => pem(ec.privateKey), 'RS384', /RS384 needs an RSA key/],
    ['--alg ES384 against a JWK saying RS384', () => JSON.stringify({ ...ecJwk, alg: 'RS384' }), 'ES384', /says alg RS384, not ES384/],
    ['a JWK Set', () => JSON.stringify({ keys: [ecJwk] }), undefined, /a JWK Set/],
    ['malformed JSON', () => '{"kty": ', undefined, /malformed JSON/],
    ['anything else', () => 'hello', undefined, /expected a private JWK \(JSON\) or a PEM private key/],
  ])('refuses %s with one line naming the file, never its content', async (_what, content, alg, message) => {
    const text = content();
    const path = file('bad.key', text);
    const err = await readPrivateKey(path, alg).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(BackendAuthError);
    expect((err as BackendAuthError).failure).toBe('key');
    expect((err as Error).message).toMatch(message);
    expect((err as Error).message.startsWith(`${path}: `)).toBe(true);
    expect((err as Error).message).not.toContain('\n');
    expect((err as Error).message).not.toContain(String(ecJwk.d));
  });

  it('names a missing file', async () => {
    await expect(readPrivateKey(join(dir, 'nope.jwk'))).rejects.toThrow(/nope\.jwk: cannot read \(ENOENT\)/);
  });
});

/** A small authorization server: SMART configuration, and a token endpoint that checks assertions with jose. */
interface TokenServer {
  fhirBaseUrl: string;
  tokenEndpoint: string;
  requests: URLSearchParams[];
  issued: string[];
  config: Record<string, unknown>;
  /** What the token endpoint answers next; default a valid token living expiresIn seconds. */
  answer?: { status: number; body: unknown };
  expiresIn: number;
  close(): Promise<void>;
}

async function startTokenServer(publicKey: KeyObject): Promise<TokenServer> {
  const seen = new Set<string>();
  const state = { requests: [], issued: [], expiresIn: 300 } as unknown as TokenServer;
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      const send = (status: number, json: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(json));
      };
      if (req.method === 'GET' && req.url === '/fhir/.well-known/smart-configuration') return send(200, state.config);
      if (req.method !== 'POST' || req.url !== '/auth/token') return send(404, { error: 'not_found' });
      const form = new URLSearchParams(body);
      state.requests.push(form);
      if (state.answer) return send(state.answer.status, state.answer.body);
      const assertion = form.get('client_assertion') ?? '';
      jwtVerify(assertion, publicKey, { issuer: CLIENT, subject: CLIENT, audience: state.tokenEndpoint, maxTokenAge: '5m' })
        .then(({ payload }) => {
          if (form.get('client_assertion_type') !== JWT_BEARER || form.get('grant_type') !== 'client_credentials') throw new Error('bad form');
          if (seen.has(String(payload.jti))) throw new Error('replayed jti');
          seen.add(String(payload.jti));
          const token = `access-${state.issued.length + 1}`;
          state.issued.push(token);
          send(200, { access_token: token, token_type: 'Bearer', expires_in: state.expiresIn, scope: form.get('scope') });
        })
        .catch(() => send(401, { error: 'invalid_client', error_description: 'client authentication failed' }));
    });
  });
  await new Promise<void>((ready) => server.listen(0, '127.0.0.1', ready));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  state.fhirBaseUrl = `${origin}/fhir`;
  state.tokenEndpoint = `${origin}/auth/token`;
  state.config = {
    token_endpoint: state.tokenEndpoint,
    grant_types_supported: ['authorization_code', 'client_credentials'],
    token_endpoint_auth_methods_supported: ['private_key_jwt'],
    token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
  };
  state.close = () => new Promise<void>((done) => server.close(() => done()));
  return state;
}

describe('discovery', () => {
  let auth: TokenServer;
  let good: Record<string, unknown>;
  beforeAll(async () => {
    auth = await startTokenServer(ec.publicKey);
    good = auth.config;
  });
  afterEach(() => (auth.config = good));
  afterAll(() => auth.close());

  it('finds the token endpoint in .well-known/smart-configuration', async () => {
    await expect(discoverTokenEndpoint(`${auth.fhirBaseUrl}/`, 'ES384')).resolves.toBe(auth.tokenEndpoint);
  });

  it.each<[string, (c: Record<string, unknown>) => Record<string, unknown>, RegExp]>([
    ['no client_credentials grant', (c) => ({ ...c, grant_types_supported: ['authorization_code'] }), /no grant type client_credentials/],
    ['no private_key_jwt', (c) => ({ ...c, token_endpoint_auth_methods_supported: ['client_secret_basic'] }), /no client authentication private_key_jwt/],
    ['no ES384', (c) => ({ ...c, token_endpoint_auth_signing_alg_values_supported: ['RS384'] }), /no ES384 assertions \(it accepts RS384\)/],
    ['no token endpoint', (c) => ({ ...c, token_endpoint: undefined }), /has no token_endpoint URL/],
    ['an http token endpoint elsewhere', (c) => ({ ...c, token_endpoint: 'http://auth.example.org/token' }), /http:\/\/auth\.example\.org is not https/],
  ])('refuses a configuration with %s', async (_what, change, message) => {
    auth.config = change(good);
    const err = await discoverTokenEndpoint(auth.fhirBaseUrl, 'ES384').catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: 'discovery' });
    expect((err as Error).message).toMatch(message);
  });

  it('says so when the server has no SMART configuration', async () => {
    const base = auth.fhirBaseUrl.replace('/fhir', '/other');
    await expect(discoverTokenEndpoint(base, 'ES384')).rejects.toThrow(`no SMART configuration at ${base}/.well-known/smart-configuration (HTTP 404)`);
  });

  it('says so when nothing answers', async () => {
    const err = await discoverTokenEndpoint('http://127.0.0.1:9/fhir', 'ES384').catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: 'unreachable' });
    expect((err as Error).message).toMatch(/^the SMART configuration http:\/\/127\.0\.0\.1:9\/fhir\/\.well-known\/smart-configuration could not be reached/);
  });
});

describe('backendTokenSource', () => {
  let auth: TokenServer;
  let clock: number;
  const now = (): number => clock;
  const source = (extra: { scope?: string } = {}): (() => Promise<string>) =>
    backendTokenSource({ fhirBaseUrl: auth.fhirBaseUrl, clientId: CLIENT, privateKey: ecJwk, now, ...extra });

  beforeEach(async () => {
    auth = await startTokenServer(ec.publicKey);
    clock = Date.now();
  });
  afterEach(() => auth.close());

  it('asks with client_credentials, the jwt-bearer assertion type and the default scope', async () => {
    await expect(source()()).resolves.toBe('access-1');
    expect(Object.fromEntries(auth.requests[0] ?? [])).toMatchObject({
      grant_type: 'client_credentials',
      scope: DEFAULT_BACKEND_SCOPE,
      client_assertion_type: JWT_BEARER,
    });
    expect(decodeProtectedHeader(auth.requests[0]?.get('client_assertion') ?? '')).toMatchObject({ alg: 'ES384', kid: 'nightly-1' });
  });

  it('sends the scope it is given', async () => {
    await source({ scope: 'system/CarePlan.rs' })();
    expect(auth.requests[0]?.get('scope')).toBe('system/CarePlan.rs');
  });

  it('reuses the token until shortly before it expires, then gets a new one with a fresh assertion', async () => {
    auth.expiresIn = 300;
    const token = source();
    expect(await token()).toBe('access-1');
    clock += (300 - renewalMarginSeconds(300)) * 1000 - 1;
    expect(await token()).toBe('access-1');
    expect(auth.requests).toHaveLength(1);
    clock += 1;
    expect(await token()).toBe('access-2');
    expect(auth.requests).toHaveLength(2);
    expect(auth.requests[1]?.get('client_assertion')).not.toBe(auth.requests[0]?.get('client_assertion'));
  });

  it.each([
    [3600, 60],
    [300, 30],
    [10, 1],
  ])('renews a token living %i s %i s before it expires', (expiresIn, margin) => {
    expect(renewalMarginSeconds(expiresIn)).toBe(margin);
  });

  it('shares one request between concurrent callers', async () => {
    const token = source();
    expect(await Promise.all([token(), token(), token(), token()])).toEqual(['access-1', 'access-1', 'access-1', 'access-1']);
    expect(auth.requests).toHaveLength(1);
  });

  it("reports the token endpoint's refusal with its error and error_description, and tries again on the next call", async () => {
    const wrong = { ...(await exportJWK(keyPair('ec384').privateKey)), alg: 'ES384', kid: 'nightly-1' };
    const token = backendTokenSource({ fhirBaseUrl: auth.fhirBaseUrl, clientId: CLIENT, privateKey: wrong, now });
    const err = await token().catch((e: unknown) => e);
    expect(err).toMatchObject({ failure: 'refused', status: 401 });
    expect((err as Error).message).toBe(`the token endpoint ${auth.tokenEndpoint} refused client ${CLIENT}: invalid_client (client authentication failed)`);
    await expect(token()).rejects.toThrow(/refused/);
    expect(auth.requests).toHaveLength(2);
  });

  it.each<[string, { status: number; body: unknown }, string, RegExp]>([
    ['a refusal without a body', { status: 400, body: 'nope' }, 'refused', /refused client gradus-nightly: HTTP 400$/],
    ['a server error', { status: 500, body: {} }, 'unreachable', /failed \(HTTP 500\)$/],
    ['an answer without a token', { status: 200, body: { token_type: 'Bearer' } }, 'unreachable', /without a bearer access_token$/],
    ['a token that is not a bearer token', { status: 200, body: { access_token: 'x', token_type: 'DPoP' } }, 'unreachable', /without a bearer access_token$/],
  ])('reports %s in one line', async (_what, answer, failure, message) => {
    auth.answer = answer;
    const err = await source()().catch((e: unknown) => e);
    expect(err).toMatchObject({ failure });
    expect((err as Error).message).toMatch(message);
  });

  it('never puts the token in an error', async () => {
    auth.answer = { status: 200, body: { access_token: 'secret-token', token_type: 'DPoP' } };
    const err = await source()().catch((e: unknown) => e);
    expect((err as Error).message).not.toContain('secret-token');
  });
});
