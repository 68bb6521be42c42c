/**
 * A session's access token for one FHIR server, refreshed through fhirclient. In come the session and the
 * server; out comes a current access token, or SmartAccessEnded (the session is then ended) when the access
 * cannot be renewed (no refresh token, or the authorization server refuses it: revoked or expired), or
 * AuthServerUnavailable (the session is kept) when the authorization server could not be reached.
 * One refresh runs at a time per session and server: refresh tokens may rotate, and a second use of an old
 * one can make the server revoke the whole grant.
 * See: https://hl7.org/fhir/smart-app-launch/STU2.1/app-launch.html#refresh-access-token
 */
import { isJsonObject } from '../fhir/json';
import { issue, OperationOutcomeError, outcome } from '../fhir/outcome';
import { isFhirclientHttpError, objectStorage, smartApi, type LaunchState } from './fhirclient';
import type { ResolvedSmartOptions } from './options';
import type { Session } from './session';

/** Seconds before expiry at which a token is refreshed (fhirclient's refreshIfNeeded uses the same margin). */
export const REFRESH_MARGIN_SECONDS = 10;

/** The session's access to the FHIR server is gone; the user must launch again (401). */
export class SmartAccessEnded extends OperationOutcomeError {
  constructor(reason: string) {
    super(outcome([issue('error', 'login', reason)]), 401);
    this.name = 'SmartAccessEnded';
  }
}

/** The authorization server could not be reached to renew access; the session is kept (503). */
export class AuthServerUnavailable extends OperationOutcomeError {
  constructor(reason: string) {
    super(outcome([issue('error', 'transient', reason)]), 503);
    this.name = 'AuthServerUnavailable';
  }
}

export interface TokenScope {
  options: ResolvedSmartOptions;
  session: Session;
  serverUrl: string;
}

/** fhirclient's state holding the session's tokens for a server, if it has any. */
export function launchStateOf(session: Session, serverUrl: string): LaunchState | undefined {
  const key = session.servers[serverUrl];
  const state = key === undefined ? undefined : session.storage[key];
  return isJsonObject(state) ? (state as unknown as LaunchState) : undefined;
}

const accessTokenOf = (scope: TokenScope): string | undefined => launchStateOf(scope.session, scope.serverUrl)?.tokenResponse?.access_token;

function expiring(scope: TokenScope): boolean {
  const expiresAt = launchStateOf(scope.session, scope.serverUrl)?.expiresAt ?? 0;
  return expiresAt - REFRESH_MARGIN_SECONDS < Date.now() / 1000;
}

function ended(scope: TokenScope, reason: string, event: string): SmartAccessEnded {
  scope.options.sessions.end(scope.session);
  scope.options.logger?.log('warn', 'smart access ended', { reason: event });
  return new SmartAccessEnded(reason);
}

/** The access token to send now, refreshed first when it expires within the margin. */
export async function currentAccessToken(scope: TokenScope): Promise<string> {
  if (scope.session.ended || accessTokenOf(scope) === undefined) throw new SmartAccessEnded('This session has no access to the FHIR server.');
  if (expiring(scope)) await renew(scope, () => expiring(scope), false);
  return requireToken(scope);
}

/** The token to retry with after the FHIR server refused `rejected` (401): refreshed once unless a newer token already exists. */
export async function tokenAfterRejection(scope: TokenScope, rejected: string): Promise<string> {
  if (scope.session.ended) throw new SmartAccessEnded('This session has ended.');
  await renew(scope, () => accessTokenOf(scope) === rejected, true);
  return requireToken(scope);
}

function requireToken(scope: TokenScope): string {
  const token = accessTokenOf(scope);
  if (scope.session.ended || token === undefined) throw new SmartAccessEnded('This session has ended.');
  return token;
}

/** Refreshes while `stale()`, sharing a refresh already in flight for this session and server. */
async function renew(scope: TokenScope, stale: () => boolean, force: boolean): Promise<void> {
  for (let round = 0; round < 2 && stale(); round++) {
    const inFlight = scope.session.refreshing.get(scope.serverUrl);
    if (inFlight) {
      await inFlight;
      continue;
    }
    const task = refreshNow(scope, force).finally(() => scope.session.refreshing.delete(scope.serverUrl));
    scope.session.refreshing.set(scope.serverUrl, task);
    await task;
    return;
  }
}

/** Whether a failed refresh may succeed later (network, timeout, the server's own failure), so the session is kept. */
function transient(err: unknown): boolean {
  if (isFhirclientHttpError(err)) return err.status >= 500 || err.status === 429;
  const name = (err as { name?: unknown } | undefined)?.name;
  return name === 'FetchError' || name === 'AbortError' || name === 'TimeoutError';
}

async function refreshNow(scope: TokenScope, force: boolean): Promise<void> {
  const { session, serverUrl, options } = scope;
  const state = launchStateOf(session, serverUrl);
  const refreshToken = state?.tokenResponse?.refresh_token;
  if (!state || refreshToken === undefined) {
    throw ended(scope, 'Your access to the FHIR server expired and cannot be renewed.', 'no-refresh-token');
  }
  const client = smartApi(options.publicUrl, objectStorage(session.storage)).client(state);
  const signal = AbortSignal.timeout(options.authTimeoutMs);
  try {
    await (force ? client.refresh({ signal }) : client.refreshIfNeeded({ signal }));
  } catch (err) {
    if (session.ended) throw new SmartAccessEnded('This session has ended.');
    if (transient(err)) {
      // fhirclient drops the refresh token after any failure; one the server never refused is kept for the next try.
      state.tokenResponse = { ...state.tokenResponse, refresh_token: refreshToken };
      options.logger?.log('warn', 'smart refresh failed', { reason: 'unreachable' });
      throw new AuthServerUnavailable('The sign-in service could not be reached to renew your access. Try again in a moment.');
    }
    throw ended(scope, 'Your access to the FHIR server ended (it was revoked or expired).', isFhirclientHttpError(err) ? `refused-${err.status}` : 'refresh-impossible');
  }
  if (session.ended) throw new SmartAccessEnded('This session has ended.');
  options.logger?.log('info', 'smart token refreshed', {});
}
