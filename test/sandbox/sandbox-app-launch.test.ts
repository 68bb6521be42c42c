/**
 * The sandbox's authorization server as the Gradus app meets it: EHR and standalone launches done by hand over
 * real HTTP against the compiled startSandboxAuth in a child process (test/sandbox/run-sandbox.mjs).
 */
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { CookieBrowser } from '../support/cookie-browser';
import { authorize, callbackOf, exchangeCode, signInForTokens, tokenRequest, verified } from './oauth-steps';
import { startSandbox, type SandboxProcess } from './sandbox-process';

let sb: SandboxProcess;
/** Every token, code and launch id the tests saw: none may appear in the logs. */
const secrets: string[] = [];

beforeAll(async () => {
  sb = await startSandbox();
});
afterAll(async () => {
  await sb.stop();
});

const PATIENT_APP_SCOPES = 'launch/patient openid fhirUser offline_access patient/Observation.crs patient/CarePlan.rs user/Observation.rs';
const CLINICIAN_APP_SCOPES = 'launch openid fhirUser offline_access patient/CarePlan.rs patient/ServiceRequest.cruds user/Practitioner.r';

async function idTokenClaims(idToken: unknown): Promise<Record<string, unknown>> {
  const jwks = createRemoteJWKSet(new URL(`${sb.url}/auth/jwks`));
  const { payload } = await jwtVerify(String(idToken), jwks, { issuer: `${sb.url}/auth`, audience: 'gradus-app' });
  return payload;
}

/** POST /sandbox/launch as the launcher page's form does; returns the launch id of the app URL it redirects to. */
async function ehrLaunch(patient: string, browser = new CookieBrowser()): Promise<string> {
  const res = await browser.postForm(`${sb.url}/sandbox/launch`, { role: 'clinician', patient });
  expect(res.status).toBe(303);
  const location = new URL(res.headers.get('location') ?? '', sb.url);
  expect(location.pathname).toBe('/launch');
  expect(location.searchParams.get('iss')).toBe(sb.fhirBaseUrl);
  const launch = location.searchParams.get('launch') ?? '';
  expect(launch).toMatch(/^[A-Za-z0-9_-]{20,}$/);
  secrets.push(launch);
  return launch;
}

function scopesOf(body: Record<string, unknown>): string[] {
  return String(body.scope).split(' ');
}

describe('standalone launch (patient user)', () => {
  it('shows the sign-in page with labelled controls, Allow and Deny, and no inline script', async () => {
    const browser = new CookieBrowser();
    const { stop } = await authorize(sb, browser, { scope: PATIENT_APP_SCOPES });
    if (!('page' in stop)) throw new Error('expected the sign-in page');
    expect(stop.page.status).toBe(200);
    expect(new URL(stop.url).pathname).toMatch(/^\/auth\/interaction\/[A-Za-z0-9_-]+$/);
    expect(stop.page.headers.get('content-security-policy')).toContain("default-src 'self'");
    const page = await stop.page.text();
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<h1>Sign in to the Gradus sandbox</h1>');
    expect(page).toMatch(/<label for="user">Demo user<\/label>\s*<select id="user" name="user"/);
    expect(page).toMatch(/<label for="patient">[^<]+<\/label>\s*<select id="patient" name="patient"/);
    expect(page).toContain('<button type="submit" name="decision" value="allow">Allow</button>');
    expect(page).toContain('>Deny</button>');
    expect(page).toContain('Ben &lt;b&gt;Hale&lt;/b&gt; &amp; &quot;co&quot;');
    expect(page).not.toContain('<b>Hale</b>');
    expect(page).not.toMatch(/<script|<style|\sstyle=|\son[a-z]+=/i);
  });

  it('gives access and refresh tokens, the own patient as context and fhirUser in the ID token', async () => {
    const body = await signInForTokens(sb, { scope: PATIENT_APP_SCOPES }, { user: 'Patient/amara', patient: 'ben', decision: 'allow' });
    secrets.push(String(body.access_token), String(body.refresh_token), String(body.id_token));
    expect(body).toMatchObject({ token_type: 'Bearer', patient: 'amara', expires_in: 3600 });
    expect(typeof body.access_token).toBe('string');
    expect(typeof body.refresh_token).toBe('string');
    // A patient user gets patient/ scopes, never user/ ones, nor `launch` without an EHR launch.
    expect(scopesOf(body).sort()).toEqual(['fhirUser', 'launch/patient', 'offline_access', 'openid', 'patient/CarePlan.rs', 'patient/Observation.crs']);
    expect(await idTokenClaims(body.id_token)).toMatchObject({ sub: 'Patient/amara', fhirUser: 'Patient/amara' });
    const check = await verified(sb, String(body.access_token));
    expect(check.status).toBe(200);
    expect(check.body).toMatchObject({ clientId: 'gradus-app', patient: 'amara', fhirUser: 'Patient/amara' });
    expect((check.body.scopes as string[]).sort()).toEqual(scopesOf(body).sort());
    expect(Math.abs(Number(check.body.expiresAt) - (Date.now() / 1000 + 3600))).toBeLessThan(30);
  });

  it('preselects the user the launcher chose ("Open as patient") on the sign-in page', async () => {
    const browser = new CookieBrowser();
    const res = await browser.postForm(`${sb.url}/sandbox/launch`, { role: 'patient', patient: 'ben' });
    expect(res.status).toBe(303);
    const location = new URL(res.headers.get('location') ?? '', sb.url);
    expect(location.pathname).toBe('/launch');
    expect([...location.searchParams.keys()]).toEqual(['iss']);
    const { stop } = await authorize(sb, browser, { scope: PATIENT_APP_SCOPES });
    if (!('page' in stop)) throw new Error('expected the sign-in page');
    expect(await stop.page.text()).toContain('<option value="Patient/ben" selected>');
  });

  it('lets the clinician choose the patient on the sign-in page', async () => {
    const body = await signInForTokens(sb, { scope: 'launch/patient openid fhirUser patient/*.rs user/*.rs' }, { user: 'Practitioner/demo-clinician', patient: 'ben', decision: 'allow' });
    expect(body.patient).toBe('ben');
    expect(scopesOf(body)).toEqual(expect.arrayContaining(['patient/*.rs', 'user/*.rs']));
    expect(await idTokenClaims(body.id_token)).toMatchObject({ fhirUser: 'Practitioner/demo-clinician' });
  });

  it('sends access_denied back to the app when the user presses Deny', async () => {
    const { stop } = await authorize(sb, new CookieBrowser(), { scope: PATIENT_APP_SCOPES, state: 'deny-state' }, { user: 'Patient/amara', decision: 'deny' });
    const callback = callbackOf(stop);
    expect(callback.get('error')).toBe('access_denied');
    expect(callback.get('state')).toBe('deny-state');
    expect(callback.get('code')).toBeNull();
  });

  it('re-shows the sign-in page (400) for a user that is not a demo user', async () => {
    const { stop } = await authorize(sb, new CookieBrowser(), { scope: PATIENT_APP_SCOPES }, { user: 'Patient/nobody', decision: 'allow' });
    if (!('page' in stop)) throw new Error('expected the sign-in page again');
    expect(stop.page.status).toBe(400);
    expect(await stop.page.text()).toMatch(/aria-invalid="true"[\s\S]*id="user-error"/);
  });

  it('issues no refresh token without offline_access', async () => {
    const body = await signInForTokens(sb, { scope: 'launch/patient openid patient/Observation.rs' }, { user: 'Patient/amara', decision: 'allow' });
    expect(body.refresh_token).toBeUndefined();
    expect(body.patient).toBe('amara');
  });
});

describe('EHR launch (clinician)', () => {
  it('signs the clinician in without a page and gives the launch patient as context', async () => {
    const launch = await ehrLaunch('ben');
    const { verifier, stop } = await authorize(sb, new CookieBrowser(), { scope: CLINICIAN_APP_SCOPES, launch });
    expect(stop.hops).toEqual([expect.stringMatching(/^\/auth\/interaction\//), expect.stringMatching(/^\/auth\/authorize\//), '/callback']);
    const code = callbackOf(stop).get('code') ?? '';
    secrets.push(code);
    const { status, body } = await exchangeCode(sb, code, verifier);
    expect(status).toBe(200);
    secrets.push(String(body.access_token), String(body.refresh_token));
    expect(body.patient).toBe('ben');
    expect(scopesOf(body).sort()).toEqual(CLINICIAN_APP_SCOPES.split(' ').sort());
    expect(await idTokenClaims(body.id_token)).toMatchObject({ sub: 'Practitioner/demo-clinician', fhirUser: 'Practitioner/demo-clinician' });
    expect((await verified(sb, String(body.access_token))).body).toMatchObject({ patient: 'ben', fhirUser: 'Practitioner/demo-clinician' });
  });

  it('accepts a launch id once: a second authorization request with it is refused with invalid_request', async () => {
    const launch = await ehrLaunch('amara');
    await signInForTokens(sb, { scope: CLINICIAN_APP_SCOPES, launch });
    const { stop } = await authorize(sb, new CookieBrowser(), { scope: CLINICIAN_APP_SCOPES, launch });
    expect(callbackOf(stop).get('error')).toBe('invalid_request');
  });

  it('refuses a launch id it never issued', async () => {
    const { stop } = await authorize(sb, new CookieBrowser(), { scope: CLINICIAN_APP_SCOPES, launch: 'made-up-launch-id-0123456789' });
    expect(callbackOf(stop).get('error')).toBe('invalid_request');
  });

  it('starts each launch with a fresh sign-in: a patient sign-in in the same browser does not carry over', async () => {
    const browser = new CookieBrowser();
    const first = await authorize(sb, browser, { scope: PATIENT_APP_SCOPES }, { user: 'Patient/amara', decision: 'allow' });
    expect(callbackOf(first.stop).get('code')).not.toBeNull();
    const launch = await ehrLaunch('ben', browser);
    const second = await authorize(sb, browser, { scope: CLINICIAN_APP_SCOPES, launch });
    const answer = await exchangeCode(sb, callbackOf(second.stop).get('code') ?? '', second.verifier);
    expect(answer.body.patient).toBe('ben');
    expect(await idTokenClaims(answer.body.id_token)).toMatchObject({ fhirUser: 'Practitioner/demo-clinician' });
  });
});

describe('refusals at the authorization endpoint', () => {
  it.each([
    ['another FHIR server', 'https://fhir.example.org/fhir'],
    ['the issuer instead of the FHIR base', 'ISSUER'],
    ['no aud at all', null],
  ])('refuses an aud that is not the FHIR base URL (%s) with invalid_request', async (_case, aud) => {
    const { stop } = await authorize(sb, new CookieBrowser(), { scope: PATIENT_APP_SCOPES, aud: aud === 'ISSUER' ? `${sb.url}/auth` : aud });
    const callback = callbackOf(stop);
    expect(callback.get('error')).toBe('invalid_request');
    expect(callback.get('error_description')).toMatch(/aud/);
  });

  it.each([
    ['no code_challenge', { codeChallenge: null }],
    ['the plain method', { codeChallengeMethod: 'plain' }],
  ])('refuses an authorization request with %s (PKCE S256 is required)', async (_case, pkce) => {
    const { stop } = await authorize(sb, new CookieBrowser(), { scope: PATIENT_APP_SCOPES, ...pkce });
    expect(callbackOf(stop).get('error')).toBe('invalid_request');
  });

  it.each([
    ['an unknown client', { client_id: 'someone-else', redirect_uri: 'https://attacker.example/callback' }],
    ['a redirect_uri the app did not register', { client_id: 'gradus-app', redirect_uri: 'https://attacker.example/callback' }],
  ])('shows an error page instead of redirecting for %s', async (_case, client) => {
    const params = new URLSearchParams({ response_type: 'code', scope: 'openid', state: 's', aud: sb.fhirBaseUrl, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', ...client });
    const res = await fetch(`${sb.url}/auth/authorize?${params.toString()}`, { redirect: 'manual', headers: { accept: 'text/html' } });
    expect(res.status).toBe(400);
    expect(res.headers.get('location')).toBeNull();
    const page = await res.text();
    expect(page).toContain('<h1>Sign-in failed</h1>');
    expect(page).not.toContain('attacker.example');
  });

  it('refuses system/ scopes for the app with invalid_scope', async () => {
    const { stop } = await authorize(sb, new CookieBrowser(), { scope: `${PATIENT_APP_SCOPES} system/*.rs` });
    expect(callbackOf(stop).get('error')).toBe('invalid_scope');
  });
});

describe('the token endpoint', () => {
  it.each([
    ['no code_verifier', undefined],
    ['a wrong code_verifier', 'a-wrong-verifier-that-is-long-enough-0123456789abcdef'],
  ])('refuses a code exchanged with %s (invalid_grant)', async (_case, verifier) => {
    const { stop } = await authorize(sb, new CookieBrowser(), { scope: PATIENT_APP_SCOPES }, { user: 'Patient/amara', decision: 'allow' });
    const code = callbackOf(stop).get('code') ?? '';
    const { status, body } = await exchangeCode(sb, code, verifier);
    expect(status).toBe(400);
    expect(body.error).toBe('invalid_grant');
  });

  it('refreshes: a new access token with the same patient context and scopes, and a rotated refresh token', async () => {
    const first = await signInForTokens(sb, { scope: PATIENT_APP_SCOPES }, { user: 'Patient/amara', decision: 'allow' });
    const { status, body } = await tokenRequest(sb, { grant_type: 'refresh_token', refresh_token: String(first.refresh_token), client_id: 'gradus-app' });
    expect(status).toBe(200);
    secrets.push(String(body.access_token), String(body.refresh_token));
    expect(body.access_token).not.toBe(first.access_token);
    expect(body.refresh_token).not.toBe(first.refresh_token);
    expect(body.patient).toBe('amara');
    expect(scopesOf(body).sort()).toEqual(scopesOf(first).sort());
    expect(await idTokenClaims(body.id_token)).toMatchObject({ fhirUser: 'Patient/amara' });
    expect((await verified(sb, String(body.access_token))).body).toMatchObject({ patient: 'amara', fhirUser: 'Patient/amara' });
  });
});

describe('revocation from the sandbox launcher', () => {
  it("ends every grant of the user: verify() forgets their tokens and refresh fails; other users' tokens stay", async () => {
    const amara = await signInForTokens(sb, { scope: PATIENT_APP_SCOPES }, { user: 'Patient/amara', decision: 'allow' });
    const launch = await ehrLaunch('amara');
    const clinician = await signInForTokens(sb, { scope: CLINICIAN_APP_SCOPES, launch });
    expect((await verified(sb, String(amara.access_token))).status).toBe(200);

    const res = await fetch(`${sb.url}/sandbox/revoke`, { method: 'POST', body: new URLSearchParams({ user: 'Patient/amara' }) });
    expect(res.status).toBe(204);

    expect(await verified(sb, String(amara.access_token))).toEqual({ status: 401, body: { active: false } });
    const refresh = await tokenRequest(sb, { grant_type: 'refresh_token', refresh_token: String(amara.refresh_token), client_id: 'gradus-app' });
    expect(refresh).toMatchObject({ status: 400, body: { error: 'invalid_grant' } });
    expect((await verified(sb, String(clinician.access_token))).status).toBe(200);
  });

  it('answers a browser form with a status page', async () => {
    const res = await fetch(`${sb.url}/sandbox/revoke`, { method: 'POST', body: new URLSearchParams({ user: 'Practitioner/demo-clinician' }), headers: { accept: 'text/html' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<p role="status"[^>]*>Ended \d+ grants? of Dr Alex Morgan \(clinician\)/);
  });

  it('treats unknown tokens as not valid', async () => {
    for (const token of ['', 'not a token', 'a'.repeat(43), 'x'.repeat(2000)]) expect((await verified(sb, token)).status).toBe(401);
  });
});

describe('the admin view of active grants (GET /sandbox/grants)', () => {
  async function activeGrants(user: string): Promise<number> {
    const res = await fetch(`${sb.url}/sandbox/grants?user=${encodeURIComponent(user)}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['activeGrants', 'user']);
    expect(body.user).toBe(user);
    return Number(body.activeGrants);
  }
  const revokeAt = (token: unknown, hint: string): Promise<Response> =>
    fetch(`${sb.url}/auth/token/revocation`, { method: 'POST', body: new URLSearchParams({ token: String(token), token_type_hint: hint, client_id: 'gradus-app' }) });

  it('counts grants with a live token: a revoked access token leaves the refresh token live; a revoked refresh token ends the grant', async () => {
    const before = await activeGrants('Patient/ben');
    const first = await signInForTokens(sb, { scope: PATIENT_APP_SCOPES }, { user: 'Patient/ben', decision: 'allow' });
    const second = await signInForTokens(sb, { scope: PATIENT_APP_SCOPES }, { user: 'Patient/ben', decision: 'allow' });
    secrets.push(String(first.access_token), String(first.refresh_token), String(second.access_token), String(second.refresh_token));
    expect(await activeGrants('Patient/ben')).toBe(before + 2);

    expect((await revokeAt(first.access_token, 'access_token')).status).toBe(200);
    expect(await activeGrants('Patient/ben')).toBe(before + 2);
    expect((await revokeAt(first.refresh_token, 'refresh_token')).status).toBe(200);
    expect(await activeGrants('Patient/ben')).toBe(before + 1);
    expect((await verified(sb, String(second.access_token))).status).toBe(200);
  });

  it('answers 400 for a user that is not a demo user, and names no token or grant id', async () => {
    for (const query of ['?user=Patient/nobody', '', '?user=a&user=b']) {
      const res = await fetch(`${sb.url}/sandbox/grants${query}`);
      expect(res.status).toBe(400);
      expect(res.headers.get('cache-control')).toBe('no-store');
    }
  });
});

describe('logs', () => {
  it('name no token, code, launch id or patient id', () => {
    const logs = sb.logs();
    expect(logs).toContain('sandbox token issued');
    expect(secrets.length).toBeGreaterThan(10);
    for (const secret of secrets) expect(logs).not.toContain(secret);
    expect(logs).not.toMatch(/amara|ben\b|Patient\//);
  });
});
