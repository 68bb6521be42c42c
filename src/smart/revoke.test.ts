/**
 * The sign-out's token revocation against a small in-process authorization server over real HTTP: the RFC 7009
 * requests it sends (form-encoded, refresh token first, the public client's id), the discovery cache, and every
 * failure (no endpoint, a refusal, a hanging or closed endpoint) logged by event name without any token.
 */
import express from 'express';
import type { Server } from 'node:http';
import { closedLocalUrl, listenLocal } from '../../test/support/listen';
import type { Level, LogFields } from '../server/logger';
import { heldTokens, tokenRevoker } from './revoke';
import { SessionStore } from './session';

let server: Server;
let base: string;
let closedUrl: string;
const received: { path: string; contentType: string | undefined; body: Record<string, string> }[] = [];
const discoveries: string[] = [];
let logs: { level: Level; message: string; fields: LogFields }[] = [];
const logger = { log: (level: Level, message: string, fields: LogFields = {}) => void logs.push({ level, message, fields }) };

const ACCESS = 'access-token-value-0123456789';
const REFRESH = 'refresh-token-value-0123456789';

beforeAll(async () => {
  closedUrl = await closedLocalUrl();
  const app = express();
  ({ server, url: base } = await listenLocal(app));
  const endpoints: Record<string, unknown> = {
    ok: `${base}/auth/revoke`,
    refusing: `${base}/auth/refuse`,
    hanging: `${base}/auth/hang`,
    closed: `${closedUrl}/auth/revoke`,
    plainhttp: 'http://auth.example.org/revoke',
    none: undefined,
  };
  app.get('/:server/.well-known/smart-configuration', (req, res) => {
    discoveries.push(req.params.server);
    if (req.params.server === 'broken') return void res.status(500).end();
    res.json({ token_endpoint: `${base}/auth/token`, revocation_endpoint: endpoints[req.params.server] });
  });
  const record = express.urlencoded({ extended: false });
  app.post('/auth/revoke', record, (req, res) => {
    received.push({ path: req.path, contentType: req.get('content-type'), body: req.body as Record<string, string> });
    res.status(200).end();
  });
  app.post('/auth/refuse', record, (_req, res) => void res.status(400).json({ error: 'invalid_client' }));
  app.post('/auth/hang', () => undefined); // never answers
});

afterAll(() => {
  server.closeAllConnections();
  return new Promise((resolve) => server.close(resolve));
});

beforeEach(() => {
  received.length = 0;
  discoveries.length = 0;
  logs = [];
});

const held = (name: string) => [{ serverUrl: `${base}/${name}`, accessToken: ACCESS, refreshToken: REFRESH }];
const outcomes = (): unknown[] => logs.map((l) => l.fields.outcome);
const noTokenLogged = (): void => {
  const text = JSON.stringify(logs);
  expect(text).not.toContain(ACCESS);
  expect(text).not.toContain(REFRESH);
};

describe('tokenRevoker', () => {
  it('posts RFC 7009 requests, form-encoded: the refresh token, then the access token, with the client id and no secret', async () => {
    await tokenRevoker({ clientId: 'gradus-app', logger })(held('ok'), { requestId: 'r1' });
    expect(received).toEqual([
      { path: '/auth/revoke', contentType: 'application/x-www-form-urlencoded', body: { token: REFRESH, token_type_hint: 'refresh_token', client_id: 'gradus-app' } },
      { path: '/auth/revoke', contentType: 'application/x-www-form-urlencoded', body: { token: ACCESS, token_type_hint: 'access_token', client_id: 'gradus-app' } },
    ]);
    expect(logs).toEqual([{ level: 'info', message: 'smart tokens revoked', fields: { requestId: 'r1', outcome: 'ok' } }]);
    noTokenLogged();
  });

  it('reads the SMART configuration once per server and keeps the endpoint; a failed read is not kept', async () => {
    const revoke = tokenRevoker({ clientId: 'gradus-app', logger });
    await revoke(held('ok'));
    await revoke(held('ok'));
    await revoke(held('broken'));
    await revoke(held('broken'));
    expect(discoveries).toEqual(['ok', 'broken', 'broken']);
    expect(received).toHaveLength(4);
  });

  it('sends only the tokens the session has', async () => {
    await tokenRevoker({ clientId: 'gradus-app', logger })([{ serverUrl: `${base}/ok`, accessToken: ACCESS }]);
    expect(received.map((r) => r.body.token_type_hint)).toEqual(['access_token']);
  });

  it.each([
    ['no revocation_endpoint', 'none', 'no-revocation-endpoint'],
    ['an unreadable SMART configuration', 'broken', 'discovery-failed'],
    ['a FHIR server that cannot be reached', 'unreachable', 'discovery-failed'],
    ['a refusal (non-200)', 'refusing', 'revocation-refused'],
    ['a closed revocation endpoint', 'closed', 'revocation-unreachable'],
    ['a revocation endpoint over plain http off this machine', 'plainhttp', 'bad-revocation-endpoint'],
  ])('with %s: resolves, logs "%s" by event name only', async (_case, name, event) => {
    const serverUrl = name === 'unreachable' ? `${closedUrl}/fhir` : `${base}/${name}`;
    await expect(tokenRevoker({ clientId: 'gradus-app', logger })([{ serverUrl, accessToken: ACCESS, refreshToken: REFRESH }])).resolves.toBeUndefined();
    expect(logs).toEqual([{ level: 'warn', message: 'smart token revocation failed', fields: { outcome: event } }]);
    noTokenLogged();
  });

  it('gives up on an endpoint that does not answer within the timeout', async () => {
    const started = Date.now();
    await tokenRevoker({ clientId: 'gradus-app', logger, timeoutMs: 300 })(held('hanging'));
    expect(Date.now() - started).toBeLessThan(2000);
    expect(outcomes()).toEqual(['revocation-timeout']);
  });

  it('tries every server, one failing not stopping the others', async () => {
    await tokenRevoker({ clientId: 'gradus-app', logger })([...held('closed'), ...held('ok')]);
    expect(received).toHaveLength(2);
    expect(outcomes().sort()).toEqual(['ok', 'revocation-unreachable']);
  });
});

describe('heldTokens', () => {
  it('reads the access and refresh token of each server the session holds tokens for', () => {
    const session = new SessionStore().create();
    session.servers = { 'https://a.example/fhir': 'ka', 'https://b.example/fhir': 'kb', 'https://c.example/fhir': 'missing' };
    session.storage = {
      ka: { serverUrl: 'https://a.example/fhir', tokenResponse: { access_token: 'a1', refresh_token: 'r1' } },
      kb: { serverUrl: 'https://b.example/fhir', tokenResponse: { access_token: 'b1' } },
      pending: { serverUrl: 'https://a.example/fhir', tokenResponse: {} },
    };
    expect(heldTokens(session)).toEqual([
      { serverUrl: 'https://a.example/fhir', accessToken: 'a1', refreshToken: 'r1' },
      { serverUrl: 'https://b.example/fhir', accessToken: 'b1' },
    ]);
  });
});
