/**
 * Token revocation at sign-out (best effort). In come the tokens a session holds, per FHIR server; out go RFC 7009
 * requests to each server's `revocation_endpoint` (found in `<server>/.well-known/smart-configuration`): the
 * refresh token first (revoking it usually ends the whole grant), then the access token, as a public client
 * (`client_id`, no secret). Nothing here throws: a missing endpoint, a network error or a refusal is logged by
 * event name only (never a token) and the sign-out goes on.
 * See: https://www.rfc-editor.org/rfc/rfc7009 ; https://hl7.org/fhir/smart-app-launch/STU2.1/conformance.html#metadata
 */
import { safeForToken } from '../client';
import { isJsonObject } from '../fhir/json';
import type { Logger, LogFields } from '../server/logger';
import { smartConfigurationUrl } from './options';
import type { Session } from './session';
import { launchStateOf } from './tokens';

/** Timeout of the discovery read, and the budget of one server's revocation requests together. */
export const REVOCATION_TIMEOUT_MS = 3000;

/** The tokens a session holds for one FHIR server. */
export interface HeldTokens {
  serverUrl: string;
  accessToken?: string;
  refreshToken?: string;
}

/** The tokens to revoke, read from the session before it ends (ending it drops them). */
export function heldTokens(session: Session): HeldTokens[] {
  return Object.keys(session.servers).flatMap((serverUrl) => {
    const tokens = launchStateOf(session, serverUrl)?.tokenResponse;
    const accessToken = typeof tokens?.access_token === 'string' && tokens.access_token !== '' ? tokens.access_token : undefined;
    const refreshToken = typeof tokens?.refresh_token === 'string' && tokens.refresh_token !== '' ? tokens.refresh_token : undefined;
    if (accessToken === undefined && refreshToken === undefined) return [];
    return [{ serverUrl, ...(accessToken !== undefined ? { accessToken } : {}), ...(refreshToken !== undefined ? { refreshToken } : {}) }];
  });
}

export interface RevokerOptions {
  clientId: string;
  logger?: Logger;
  /** Default REVOCATION_TIMEOUT_MS. */
  timeoutMs?: number;
}

/** Why one server's tokens were not (all) revoked; logged as `event`. */
class RevocationFailure extends Error {
  constructor(readonly event: string) {
    super(event);
    this.name = 'RevocationFailure';
  }
}

/**
 * A revoker for one app: `revoke(held, fields)` (fields: what else to log, e.g. the request id) resolves once every server was tried (never rejects). Revocation endpoints
 * found by discovery are cached per server for the life of the revoker; a failed discovery is not cached.
 */
export function tokenRevoker(options: RevokerOptions): (held: readonly HeldTokens[], fields?: LogFields) => Promise<void> {
  const timeoutMs = options.timeoutMs ?? REVOCATION_TIMEOUT_MS;
  const endpoints = new Map<string, string>();

  async function revocationEndpoint(serverUrl: string): Promise<string> {
    const known = endpoints.get(serverUrl);
    if (known !== undefined) return known;
    let body: unknown;
    try {
      const response = await fetch(smartConfigurationUrl(serverUrl), {
        headers: { accept: 'application/json' },
        redirect: 'error',
        signal: AbortSignal.timeout(timeoutMs),
      });
      if (!response.ok) throw new RevocationFailure('discovery-failed');
      body = await response.json();
    } catch (err) {
      throw err instanceof RevocationFailure ? err : new RevocationFailure('discovery-failed');
    }
    const endpoint = isJsonObject(body) ? body.revocation_endpoint : undefined;
    if (typeof endpoint !== 'string' || endpoint === '') throw new RevocationFailure('no-revocation-endpoint');
    let url: URL;
    try {
      url = new URL(endpoint);
    } catch {
      throw new RevocationFailure('bad-revocation-endpoint');
    }
    // Tokens go only over TLS (or to this machine), like every other request that carries one.
    if ((url.protocol !== 'https:' && url.protocol !== 'http:') || !safeForToken(url.href)) throw new RevocationFailure('bad-revocation-endpoint');
    endpoints.set(serverUrl, url.href);
    return url.href;
  }

  async function post(endpoint: string, token: string, hint: 'refresh_token' | 'access_token', signal: AbortSignal): Promise<void> {
    let status: number;
    try {
      const response = await fetch(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body: new URLSearchParams({ token, token_type_hint: hint, client_id: options.clientId }).toString(),
        redirect: 'error',
        signal,
      });
      status = response.status;
      await response.body?.cancel();
    } catch {
      throw new RevocationFailure(signal.aborted ? 'revocation-timeout' : 'revocation-unreachable');
    }
    if (status !== 200) throw new RevocationFailure('revocation-refused');
  }

  async function revokeAt(held: HeldTokens): Promise<void> {
    const endpoint = await revocationEndpoint(held.serverUrl);
    const signal = AbortSignal.timeout(timeoutMs);
    const failures: RevocationFailure[] = [];
    // One after the other: the refresh token first, so no new access token can be made from it meanwhile.
    for (const [token, hint] of [
      [held.refreshToken, 'refresh_token'],
      [held.accessToken, 'access_token'],
    ] as const) {
      if (token === undefined) continue;
      try {
        await post(endpoint, token, hint, signal);
      } catch (err) {
        failures.push(err instanceof RevocationFailure ? err : new RevocationFailure('revocation-failed'));
      }
    }
    if (failures[0] !== undefined) throw failures[0];
  }

  return async (held, fields = {}) => {
    await Promise.all(
      held.map(async (tokens) => {
        try {
          await revokeAt(tokens);
          options.logger?.log('info', 'smart tokens revoked', { ...fields, outcome: 'ok' });
        } catch (err) {
          const event = err instanceof RevocationFailure ? err.event : 'revocation-failed';
          options.logger?.log('warn', 'smart token revocation failed', { ...fields, outcome: event });
        }
      }),
    );
  };
}
