/**
 * The sandbox's discovery document, its registered backend client (SMART Backend Services: client_credentials
 * with a private_key_jwt assertion) and its launcher page, over real HTTP against the compiled startSandboxAuth
 * in a child process (test/sandbox/run-sandbox.mjs).
 */
import { exportJWK, generateKeyPair, importJWK, SignJWT, type JWK } from 'jose';
import { randomUUID } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import { tokenRequest, verified } from './oauth-steps';
import { startSandbox, type SandboxProcess } from './sandbox-process';

let sb: SandboxProcess;

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.stop();
});

const ASSERTION_TYPE = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

interface AssertionOptions {
  key?: JWK;
  audience?: string;
  jti?: string;
}

async function assertion(options: AssertionOptions = {}): Promise<string> {
  const jwk = options.key ?? (JSON.parse(readFileSync(sb.keyFile, 'utf8')) as JWK);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'ES384', kid: jwk.kid ?? 'none', typ: 'JWT' })
    .setIssuer('gradus-nightly')
    .setSubject('gradus-nightly')
    .setAudience(options.audience ?? `${sb.url}/auth/token`)
    .setJti(options.jti ?? randomUUID())
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(await importJWK(jwk, 'ES384'));
}

function clientCredentials(clientAssertion: string, scope = 'system/*.rs system/CarePlan.cruds') {
  return tokenRequest(sb, { grant_type: 'client_credentials', scope, client_assertion_type: ASSERTION_TYPE, client_assertion: clientAssertion });
}

describe('discovery', () => {
  it('serves the SMART configuration: endpoints under the issuer, S256 only, asymmetric client auth and the capabilities', async () => {
    const config = (await (await fetch(`${sb.fhirBaseUrl}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    const issuer = `${sb.url}/auth`;
    expect(config).toMatchObject({
      issuer,
      jwks_uri: `${issuer}/jwks`,
      authorization_endpoint: `${issuer}/authorize`,
      token_endpoint: `${issuer}/token`,
      revocation_endpoint: `${issuer}/token/revocation`,
      introspection_endpoint: `${issuer}/token/introspection`,
      token_endpoint_auth_methods_supported: ['none', 'private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS384', 'ES384'],
      grant_types_supported: ['authorization_code', 'refresh_token', 'client_credentials'],
      response_types_supported: ['code'],
      code_challenge_methods_supported: ['S256'],
    });
    expect([...(config.capabilities as string[])].sort()).toEqual(
      [
        'launch-ehr',
        'launch-standalone',
        'client-public',
        'client-confidential-asymmetric',
        'context-ehr-patient',
        'context-standalone-patient',
        'permission-offline',
        'permission-patient',
        'permission-user',
        'permission-v2',
        'sso-openid-connect',
      ].sort(),
    );
    expect(config.scopes_supported).toEqual(expect.arrayContaining(['openid', 'fhirUser', 'launch', 'launch/patient', 'offline_access', 'patient/Observation.crs', 'user/CarePlan.cruds', 'system/*.rs', 'patient/*.read']));
  });

  it("agrees with oidc-provider's own OpenID configuration", async () => {
    const smart = (await (await fetch(`${sb.fhirBaseUrl}/.well-known/smart-configuration`)).json()) as Record<string, unknown>;
    const openid = (await (await fetch(`${sb.url}/auth/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    for (const field of ['issuer', 'jwks_uri', 'authorization_endpoint', 'token_endpoint', 'revocation_endpoint', 'introspection_endpoint', 'code_challenge_methods_supported', 'response_types_supported']) {
      expect([field, smart[field]]).toEqual([field, openid[field]]);
    }
    expect([...(openid.scopes_supported as string[])].sort()).toEqual([...(smart.scopes_supported as string[])].sort());
  });
});

describe('the backend client gradus-nightly', () => {
  it('has its private ES384 JWK (with kid and alg) in a file only its owner can read', () => {
    const jwk = JSON.parse(readFileSync(sb.keyFile, 'utf8')) as JWK;
    expect(jwk).toMatchObject({ kty: 'EC', crv: 'P-384', alg: 'ES384', use: 'sig' });
    expect(typeof jwk.d).toBe('string');
    expect(typeof jwk.kid).toBe('string');
    expect(statSync(sb.keyFile).mode & 0o777).toBe(0o600);
  });

  it('gets an access token with system scopes for an assertion signed with that key', async () => {
    const { status, body } = await clientCredentials(await assertion());
    expect(status).toBe(200);
    expect(body).toMatchObject({ token_type: 'Bearer', expires_in: 3600, scope: 'system/*.rs system/CarePlan.cruds' });
    expect(body.refresh_token).toBeUndefined();
    const check = await verified(sb, String(body.access_token));
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ clientId: 'gradus-nightly', scopes: ['system/*.rs', 'system/CarePlan.cruds'] });
    expect(check.body.patient).toBeUndefined();
    expect(check.body.fhirUser).toBeUndefined();
  });

  it.each<[string, () => Promise<string>, string | undefined, string]>([
    ['signed with another key', async () => assertion({ key: { ...(await exportJWK((await generateKeyPair('ES384', { extractable: true })).privateKey)), kid: 'another' } }), undefined, 'invalid_client'],
    ['addressed to another audience', () => assertion({ audience: 'https://elsewhere.example/token' }), undefined, 'invalid_client'],
    ['asking for a patient/ scope', () => assertion(), 'patient/Observation.rs', 'invalid_scope'],
    ['asking for openid', () => assertion(), 'openid system/*.rs', 'invalid_scope'],
  ])('refuses an assertion %s', async (_case, make, scope, error) => {
    const { status, body } = await clientCredentials(await make(), scope);
    expect(status).toBeGreaterThanOrEqual(400);
    expect(body.error).toBe(error);
  });

  it('refuses an assertion used twice (same jti)', async () => {
    const once = await assertion({ jti: randomUUID() });
    expect((await clientCredentials(once)).status).toBe(200);
    expect((await clientCredentials(once)).body.error).toBe('invalid_client');
  });
});

describe('token lifetime', () => {
  it('verify() forgets an access token once it expired', async () => {
    const short = await startSandbox({ SANDBOX_TTL_SECONDS: '1' });
    try {
      const jwk = JSON.parse(readFileSync(short.keyFile, 'utf8')) as JWK;
      const signed = await new SignJWT({})
        .setProtectedHeader({ alg: 'ES384', kid: jwk.kid ?? '' })
        .setIssuer('gradus-nightly')
        .setSubject('gradus-nightly')
        .setAudience(`${short.url}/auth/token`)
        .setJti(randomUUID())
        .setIssuedAt()
        .setExpirationTime('5m')
        .sign(await importJWK(jwk, 'ES384'));
      const { body } = await tokenRequest(short, { grant_type: 'client_credentials', scope: 'system/*.rs', client_assertion_type: ASSERTION_TYPE, client_assertion: signed });
      expect(body.expires_in).toBe(1);
      expect((await verified(short, String(body.access_token))).status).toBe(200);
      await new Promise((done) => setTimeout(done, 2100));
      expect((await verified(short, String(body.access_token))).status).toBe(401);
    } finally {
      await short.stop();
    }
  });
});

describe('the launcher page /sandbox', () => {
  it('lists each demo patient with "Open as clinician" and "Open as patient", escaped, and names the backend client', async () => {
    const res = await fetch(`${sb.url}/sandbox`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    const page = await res.text();
    expect(page).toContain('<html lang="en">');
    expect(page.match(/<h1[ >]/g)).toHaveLength(1);
    expect(page.match(/>Open as clinician<span class="visually-hidden"> for [^<]+<\/span><\/button>/g)).toHaveLength(2);
    expect(page.match(/>Open as patient<span class="visually-hidden"> \([^<]+\)<\/span><\/button>/g)).toHaveLength(2);
    expect(page).toContain('Ben &lt;b&gt;Hale&lt;/b&gt; &amp; &quot;co&quot;');
    expect(page).not.toContain('<b>Hale</b>');
    expect(page).toContain('Dr Alex Morgan');
    expect(page).toContain('<code>gradus-nightly</code>');
    expect(page).toContain(sb.keyFile);
    expect(page).toMatch(/<label for="revoke-user">[^<]+<\/label>\s*<select id="revoke-user" name="user">/);
    expect(page).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
    const css = await fetch(`${sb.url}/sandbox/sandbox.css`);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
  });

  it.each([
    ['/sandbox/launch', { role: 'clinician', patient: 'amara' }],
    ['/sandbox/revoke', { user: 'Patient/amara' }],
  ])('refuses a form posted to %s from another origin (403)', async (path, fields) => {
    const res = await fetch(`${sb.url}${path}`, { method: 'POST', body: new URLSearchParams(fields), headers: { origin: 'https://attacker.example' }, redirect: 'manual' });
    expect(res.status).toBe(403);
  });

  it.each([
    ['an unknown patient', { role: 'clinician', patient: 'nobody' }],
    ['an unknown role', { role: 'admin', patient: 'amara' }],
  ])('refuses a launch for %s (400)', async (_case, fields) => {
    const res = await fetch(`${sb.url}/sandbox/launch`, { method: 'POST', body: new URLSearchParams(fields), redirect: 'manual' });
    expect(res.status).toBe(400);
  });

  it('refuses to revoke a user that is not a demo user (400)', async () => {
    const res = await fetch(`${sb.url}/sandbox/revoke`, { method: 'POST', body: new URLSearchParams({ user: 'Patient/nobody' }) });
    expect(res.status).toBe(400);
  });
});
