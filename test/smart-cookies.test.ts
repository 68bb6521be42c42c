/**
 * The session cookie behind a TLS-terminating proxy: with PUBLIC_URL on https the service believes a
 * loopback proxy's X-Forwarded-Proto, so the cookie is Secure; over plain http it is not (a browser would
 * drop a Secure cookie there). Both HttpOnly and SameSite=Lax always.
 */
import { loadConfig, startService, type RunningService } from '../src/server';

let service: RunningService | undefined;
afterEach(async () => {
  await service?.close();
  service = undefined;
});

async function launchCookie(env: Record<string, string>, headers: Record<string, string>): Promise<string> {
  service = await startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', FHIR_BASE_URL: 'http://127.0.0.1:9/fhir', SMART_CLIENT_ID: 'gradus-app', FHIR_TIMEOUT_MS: '1000', ...env }));
  const res = await fetch(`${service.url}/launch?iss=${encodeURIComponent('http://127.0.0.1:9/fhir')}`, { headers, redirect: 'manual' });
  return res.headers.getSetCookie().find((c) => c.startsWith('gradus_session=')) ?? '';
}

describe('the session cookie', () => {
  test.each([
    ['PUBLIC_URL https behind a loopback proxy that says https', true, { PUBLIC_URL: 'https://gradus.example.org' }, { 'x-forwarded-proto': 'https', host: 'gradus.example.org' }],
    ['plain http on loopback', false, {}, {}],
    ['plain http with a forged X-Forwarded-Proto and no PUBLIC_URL (no proxy trusted)', false, {}, { 'x-forwarded-proto': 'https' }],
  ])('%s: Secure %s', async (_name, secure, env: Record<string, string>, headers: Record<string, string>) => {
    const cookie = await launchCookie(env, headers);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    expect(/;\s*Secure/i.test(cookie)).toBe(secure);
  });
});
