/**
 * The sandbox's sign-in step of an authorization request (`/auth/interaction/:uid`). In: oidc-provider's
 * interaction (its cookie ties it to this browser) and, for a standalone launch, the posted form; out: a grant
 * with the launch context (patient, fhirUser) and the redirect back to oidc-provider, or access_denied.
 * EHR launch: the launch id names the user and patient, nothing is shown. Standalone: "Sign in to the Gradus
 * sandbox" with a demo user, Allow and Deny.
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html#obtain-authorization-code
 */
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from '../server/logger';
import { describeUser, isClinician } from './demo-users';
import { cookieValue, formFields, sameOrigin } from './form-request';
import { html } from '../html';
import { sendPage } from './html';
import type { GrantContexts, LaunchStore } from './launch-store';
import type { InteractionDetails, OidcProvider } from './oidc-types';
import { decideScopes } from './scopes-supported';
import type { SandboxUser } from './types';

/** The non-secret cookie with which the launcher preselects a user on the sign-in page. */
export const HINT_COOKIE = 'gradus_sandbox_hint';

export interface InteractionDeps {
  provider: OidcProvider;
  users: readonly SandboxUser[];
  patients: readonly { id: string; name: string }[];
  launches: LaunchStore;
  grants: GrantContexts;
  logger: Logger;
}

const text = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

function expiredPage(res: Response): void {
  sendPage(
    res,
    400,
    'Sign-in expired',
    html`<h1>Sign-in expired</h1>
<p>This sign-in is no longer open: it expired, was already used, or was started in another browser. Start again from the app or from the <a href="/sandbox">sandbox launcher</a>.</p>`,
  );
}

interface FormState {
  userId?: string;
  patientId?: string;
  error?: 'user' | 'patient';
}

function signInPage(res: Response, status: number, details: InteractionDetails, deps: InteractionDeps, state: FormState): void {
  const scopes = (text(details.params.scope) ?? '').split(' ').filter((s) => s !== '');
  const clientId = text(details.params.client_id) ?? '';
  const userError = state.error === 'user';
  const patientError = state.error === 'patient';
  const body = html`<h1>Sign in to the Gradus sandbox</h1>
<p>The app <strong>${clientId}</strong> asks to open Gradus. This is a sandbox EHR: choose a demo user; there is no password.</p>
<form method="post" action="/auth/interaction/${encodeURIComponent(details.uid)}">
<label for="user">Demo user</label>
<select id="user" name="user" aria-describedby="user-hint${userError ? ' user-error' : ''}"${userError ? html` aria-invalid="true"` : ''}>
${deps.users.map((u) => html`<option value="${u.id}"${u.id === state.userId ? html` selected` : ''}>${describeUser(u)}</option>\n`)}</select>
<p id="user-hint" class="hint">A patient user opens their own record; the clinician opens the patient chosen below.</p>
${userError ? html`<p id="user-error" class="error">Choose one of the demo users.</p>` : ''}
<label for="patient">Patient to open (clinician only)</label>
<select id="patient" name="patient"${patientError ? html` aria-invalid="true" aria-describedby="patient-error"` : ''}>
${deps.patients.map((p) => html`<option value="${p.id}"${p.id === state.patientId ? html` selected` : ''}>${p.name}</option>\n`)}</select>
${patientError ? html`<p id="patient-error" class="error">Choose one of the demo patients.</p>` : ''}
<h2>Access asked for</h2>
<ul class="scopes">
${scopes.map((s) => html`<li><code>${s}</code></li>\n`)}</ul>
<div class="actions">
<button type="submit" name="decision" value="allow">Allow</button>
<button type="submit" name="decision" value="deny" class="secondary">Deny</button>
</div>
</form>`;
  sendPage(res, status, 'Sign in to the Gradus sandbox', body);
}

/** Grants what this user may have of the requested scopes, remembers the launch context, resumes oidc-provider. */
async function grantAndFinish(req: Request, res: Response, deps: InteractionDeps, details: InteractionDetails, user: SandboxUser, patient: string | undefined, ehrLaunch: boolean): Promise<void> {
  const clientId = text(details.params.client_id) ?? '';
  const requested = (text(details.params.scope) ?? '').split(' ');
  const { granted, refused } = decideScopes(requested, { clinician: isClinician(user), ehrLaunch });
  const grant = new deps.provider.Grant({ accountId: user.id, clientId });
  if (granted.length > 0) grant.addOIDCScope(granted.join(' '));
  if (refused.length > 0) grant.rejectOIDCScope(refused.join(' '));
  const grantId = await grant.save();
  deps.grants.set(grantId, { userId: user.id, fhirUser: user.fhirUser, ...(patient === undefined ? {} : { patient }) });
  deps.logger.log('info', 'sandbox sign-in', {
    launch: ehrLaunch ? 'ehr' : 'standalone',
    role: isClinician(user) ? 'clinician' : 'patient',
    granted: granted.length,
    refused: refused.length,
  });
  await deps.provider.interactionFinished(req, res, { login: { accountId: user.id, remember: false }, consent: { grantId } }, { mergeWithLastSubmission: false });
}

/** The open interaction of this browser, if it is the one in the URL. */
async function openInteraction(req: Request, res: Response, provider: OidcProvider): Promise<InteractionDetails | undefined> {
  try {
    const details = await provider.interactionDetails(req, res);
    return details.uid === req.params.uid ? details : undefined;
  } catch {
    return undefined; // no interaction cookie, or the interaction expired
  }
}

async function finishWithError(req: Request, res: Response, deps: InteractionDeps, error: string, description: string): Promise<void> {
  deps.logger.log('info', 'sandbox sign-in refused', { error });
  await deps.provider.interactionFinished(req, res, { error, error_description: description }, { mergeWithLastSubmission: false });
}

/** GET: an EHR launch signs in at once; a standalone launch shows the sign-in page. */
export function showInteraction(deps: InteractionDeps): RequestHandler {
  return async (req, res) => {
    const details = await openInteraction(req, res, deps.provider);
    if (details === undefined) return expiredPage(res);
    const launchId = text(details.params.launch);
    if (launchId !== undefined) {
      const launch = deps.launches.take(launchId);
      const user = deps.users.find((u) => u.id === launch?.userId);
      if (launch === undefined || user === undefined) return finishWithError(req, res, deps, 'invalid_request', 'the launch is unknown, already used or expired');
      return grantAndFinish(req, res, deps, details, user, launch.patient, true);
    }
    const hint = cookieValue(req, HINT_COOKIE);
    const hinted = deps.users.find((u) => u.id === hint);
    signInPage(res, 200, details, deps, { userId: hinted?.id, patientId: hinted?.patient });
  };
}

/** POST (form: user, patient, decision=allow|deny): the standalone sign-in. */
export function submitInteraction(deps: InteractionDeps): RequestHandler {
  return async (req, res) => {
    if (!sameOrigin(req)) return sendPage(res, 403, 'Not allowed', html`<h1>Not allowed</h1><p>This form can only be sent from the sandbox's own pages.</p>`);
    const details = await openInteraction(req, res, deps.provider);
    if (details === undefined || text(details.params.launch) !== undefined) return expiredPage(res);
    const form = formFields(req);
    if (form.decision === 'deny') return finishWithError(req, res, deps, 'access_denied', 'the user denied access');
    if (form.decision !== 'allow') return signInPage(res, 400, details, deps, {});
    const user = deps.users.find((u) => u.id === form.user);
    const patientId = text(form.patient);
    if (user === undefined) return signInPage(res, 400, details, deps, { patientId, error: 'user' });
    let patient = user.patient;
    if (patient === undefined) {
      patient = deps.patients.find((p) => p.id === patientId)?.id;
      if (patient === undefined) return signInPage(res, 400, details, deps, { userId: user.id, error: 'patient' });
    }
    return grantAndFinish(req, res, deps, details, user, patient, false);
  };
}
