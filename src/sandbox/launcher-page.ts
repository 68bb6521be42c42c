/**
 * The sandbox EHR's own pages under /sandbox. In: a visitor choosing a demo patient and a role, or a user
 * whose access to end; out: the launcher page, a redirect into the app's `/launch` (EHR launch with a fresh
 * launch id, or a standalone launch with a preselected user), the revocation of that user's grants, or (read-only,
 * JSON) how many grants of a user are still active.
 * See: https://hl7.org/fhir/smart-app-launch/app-launch.html#launch-app-ehr-launch
 */
import type { RequestHandler, Response } from 'express';
import type { Logger } from '../server/logger';
import { describeUser, isClinician } from './demo-users';
import { html, type Html } from '../html';
import { sendPage, STYLESHEET } from './html';
import { formFields, sameOrigin } from './form-request';
import { HINT_COOKIE } from './interaction';
import { LAUNCH_TTL_SECONDS, type LaunchStore } from './launch-store';
import type { SandboxUser } from './types';

export interface LauncherDeps {
  fhirBaseUrl: string;
  patients: readonly { id: string; name: string }[];
  users: readonly SandboxUser[];
  launches: LaunchStore;
  backendClient: { clientId: string; keyFile: string };
  tokenEndpoint: string;
  /** Ends every grant of a user (access and refresh tokens); resolves to how many. */
  revokeUser(fhirUser: string): Promise<number>;
  /** How many grants of a user still have a live access or refresh token. */
  activeGrants(fhirUser: string): number;
  logger: Logger;
}

/** The app's launch URL (src/smart), relative so the browser stays on the host it uses. */
const APP_LAUNCH_PATH = '/launch';

function notAllowed(res: Response): void {
  sendPage(res, 403, 'Not allowed', html`<h1>Not allowed</h1><p>This form can only be sent from the sandbox's own pages.</p>`);
}

function badRequest(res: Response, message: string): void {
  sendPage(res, 400, 'Sandbox request refused', html`<h1>Sandbox request refused</h1><p>${message}</p><p><a href="/sandbox">Back to the sandbox launcher</a></p>`);
}

function launcherBody(deps: LauncherDeps): Html {
  const clinician = deps.users.find(isClinician);
  return html`<h1>Gradus sandbox EHR</h1>
<p>This page stands in for a hospital's EHR so that the whole SMART launch can be tried on this machine. Nothing here is real patient data.</p>
<h2>Demo users</h2>
<ul>
${clinician === undefined ? '' : html`<li><strong>${clinician.name}</strong>, clinician (<code>${clinician.fhirUser}</code>): opens Gradus from the EHR for a patient (EHR launch); signs in without a page.</li>\n`}<li>One patient user per demo patient (<code>Patient/&lt;id&gt;</code>): opens Gradus on their own (standalone launch), signs in on the sandbox's sign-in page and sees only their own record.</li>
</ul>
<h2>Demo patients</h2>
<ul class="patients">
${deps.patients.map(
  (p, i) => html`<li>
<h3 id="patient-${i}">${p.name}</h3>
<form method="post" action="/sandbox/launch"><input type="hidden" name="role" value="clinician"><input type="hidden" name="patient" value="${p.id}"><button type="submit" aria-describedby="patient-${i}">Open as clinician<span class="visually-hidden"> for ${p.name}</span></button></form>
<form method="post" action="/sandbox/launch"><input type="hidden" name="role" value="patient"><input type="hidden" name="patient" value="${p.id}"><button type="submit" class="secondary" aria-describedby="patient-${i}">Open as patient<span class="visually-hidden"> (${p.name})</span></button></form>
</li>
`,
)}</ul>
<h2>Backend client</h2>
<p>The nightly job authenticates with SMART Backend Services: client id <code>${deps.backendClient.clientId}</code>, a JWT assertion signed with ES384 by the private key in <code>${deps.backendClient.keyFile}</code>, sent to <code>${deps.tokenEndpoint}</code>. The key is new on every start.</p>
<h2>End a user's access</h2>
<form method="post" action="/sandbox/revoke">
<label for="revoke-user">User</label>
<select id="revoke-user" name="user">
${deps.users.map((u) => html`<option value="${u.fhirUser}">${describeUser(u)}</option>\n`)}</select>
<div class="actions"><button type="submit">Revoke access</button></div>
</form>`;
}

export function launcherPage(deps: LauncherDeps): RequestHandler {
  return (_req, res) => sendPage(res, 200, 'Gradus sandbox EHR', launcherBody(deps));
}

export const stylesheet: RequestHandler = (_req, res) => {
  res.status(200).set({ 'content-type': 'text/css; charset=utf-8', 'cache-control': 'public, max-age=300', 'x-content-type-options': 'nosniff' }).send(STYLESHEET);
};

/** POST /sandbox/launch (form: role=clinician|patient, patient=<id>). */
export function launch(deps: LauncherDeps): RequestHandler {
  return (req, res) => {
    if (!sameOrigin(req)) return notAllowed(res);
    const form = formFields(req);
    const patient = deps.patients.find((p) => p.id === form.patient);
    if (patient === undefined) return badRequest(res, 'Choose one of the demo patients.');
    const iss = encodeURIComponent(deps.fhirBaseUrl);
    if (form.role === 'clinician') {
      const clinician = deps.users.find(isClinician);
      if (clinician === undefined) return badRequest(res, 'The sandbox has no clinician.');
      const id = deps.launches.create({ userId: clinician.id, fhirUser: clinician.fhirUser, patient: patient.id });
      deps.logger.log('info', 'sandbox launch', { role: 'clinician', launch: 'ehr' });
      return void res.set('referrer-policy', 'no-referrer').redirect(303, `${APP_LAUNCH_PATH}?iss=${iss}&launch=${encodeURIComponent(id)}`);
    }
    if (form.role === 'patient') {
      const user = deps.users.find((u) => u.patient === patient.id);
      if (user === undefined) return badRequest(res, 'Choose one of the demo patients.');
      deps.logger.log('info', 'sandbox launch', { role: 'patient', launch: 'standalone' });
      res.cookie(HINT_COOKIE, user.id, { httpOnly: true, sameSite: 'lax', path: '/auth/interaction', maxAge: LAUNCH_TTL_SECONDS * 1000, secure: req.secure });
      return void res.set('referrer-policy', 'no-referrer').redirect(303, `${APP_LAUNCH_PATH}?iss=${iss}`);
    }
    return badRequest(res, 'Choose "Open as clinician" or "Open as patient".');
  };
}

/** POST /sandbox/revoke (form: user=<fhirUser>): a page for a browser form, 204 for other callers. */
export function revoke(deps: LauncherDeps): RequestHandler {
  return async (req, res) => {
    if (!sameOrigin(req)) return notAllowed(res);
    const form = formFields(req);
    const user = deps.users.find((u) => u.fhirUser === form.user);
    if (user === undefined) return badRequest(res, 'Choose one of the demo users.');
    const count = await deps.revokeUser(user.fhirUser);
    deps.logger.log('info', 'sandbox access revoked', { role: isClinician(user) ? 'clinician' : 'patient', grants: count });
    if (!(req.get('accept') ?? '').includes('text/html')) return void res.status(204).set('cache-control', 'no-store').end();
    sendPage(
      res,
      200,
      'Access ended',
      html`<h1>Access ended</h1>
<p role="status" class="status">Ended ${count} ${count === 1 ? 'grant' : 'grants'} of ${describeUser(user)}: their tokens and refresh tokens no longer work, so the app asks them to launch again.</p>
<p><a href="/sandbox">Back to the sandbox launcher</a></p>`,
    );
  };
}

/** GET /sandbox/grants?user=<fhirUser> (read-only admin view): `{ user, activeGrants }`, a count only (no token or grant id). */
export function grantCount(deps: LauncherDeps): RequestHandler {
  return (req, res) => {
    const wanted = req.query.user;
    const user = typeof wanted === 'string' ? deps.users.find((u) => u.fhirUser === wanted) : undefined;
    res.set('cache-control', 'no-store');
    if (user === undefined) return void res.status(400).json({ error: 'Name one of the demo users as ?user=<fhirUser>.' });
    res.status(200).json({ user: user.fhirUser, activeGrants: deps.activeGrants(user.fhirUser) });
  };
}
