/**
 * The patient's page: h1 "Today's check-in" with its six optional scores, then "Log a session" for one
 * exercise of the current plan. Phone first (one column, large targets); every control labelled; errors
 * beside their field. Templates only: the view model in, an HTML document out.
 */
import { doseText } from './format';
import { formError, hiddenField, numberField, selectField } from './fields';
import { html, type Html } from './html';
import { page } from './layout';
import type { PostedForm } from './page-request';
import { CHECK_IN_EMPTY, CHECK_IN_FIELDS, SESSION_FIELDS } from './patient-log';
import type { OrderView } from './plan-view';

export interface PatientPageModel {
  csrfToken: string;
  /** The current orders of the patient's active plan; undefined when there is no active plan. */
  orders?: OrderView[];
  checkIn?: PostedForm;
  session?: PostedForm;
  message?: { role: 'status' | 'alert'; text: string };
}

const CHECK_IN_PROBLEM = 'check-in-problem';

function checkInForm(m: PatientPageModel): Html {
  const posted = m.checkIn;
  const empty = posted?.errors[CHECK_IN_EMPTY];
  const fieldErrors = posted !== undefined && empty === undefined && Object.keys(posted.errors).length > 0;
  const fields = CHECK_IN_FIELDS.map((f) => {
    const error = posted?.errors[f.name];
    return numberField(f, { id: `check-in-${f.name}`, ...(posted ? { value: posted.values[f.name] ?? '' } : {}), ...(error !== undefined ? { error } : {}) });
  });
  return html`<form method="post" action="/me/check-in" novalidate aria-labelledby="check-in-legend">
${hiddenField('csrf', m.csrfToken)}
<fieldset${empty !== undefined ? html` aria-describedby="${CHECK_IN_PROBLEM}"` : ''}>
<legend id="check-in-legend">How are you this morning? Fill in what you can.</legend>
${formError(CHECK_IN_PROBLEM, empty ?? (fieldErrors ? 'Check the values marked below.' : undefined))}
${fields}
</fieldset>
<button type="submit" class="button button--primary">Save check-in</button>
</form>`;
}

function sessionForm(m: PatientPageModel, orders: OrderView[]): Html {
  const posted = m.session;
  const orderError = posted?.errors.order;
  const options = [
    { value: '', text: 'Choose an exercise' },
    ...orders.map((o) => ({ value: o.id, text: o.dose ? `${o.exercise}: ${doseText(o.dose)}` : o.exercise })),
  ];
  const fields = SESSION_FIELDS.map((f) => {
    const error = posted?.errors[f.name];
    return numberField(f, { id: `session-${f.name}`, ...(posted ? { value: posted.values[f.name] ?? '' } : {}), ...(error !== undefined ? { error } : {}) });
  });
  const problem = posted !== undefined && Object.keys(posted.errors).length > 0 ? (posted.errors.session ?? 'Check the values marked below.') : undefined;
  return html`<form method="post" action="/me/sessions" novalidate aria-labelledby="session-heading">
${hiddenField('csrf', m.csrfToken)}
${formError('session-problem', problem)}
${selectField({ id: 'session-order', name: 'order', label: 'Exercise', options, ...(posted ? { value: posted.values.order ?? '' } : {}), ...(orderError !== undefined ? { error: orderError } : {}) })}
<p class="hint">Fill in what you measured; leave the rest empty.</p>
${fields}
<button type="submit" class="button button--primary">Save session</button>
</form>`;
}

/** The whole patient page. */
export function patientPage(m: PatientPageModel): string {
  const message = m.message ? html`<p class="message message--${m.message.role}" role="${m.message.role}">${m.message.text}</p>` : '';
  const session =
    m.orders === undefined
      ? html`<p>You have no active exercise plan, so there is no exercise to log yet.</p>`
      : m.orders.length === 0
        ? html`<p>Your plan has no current exercises to log.</p>`
        : sessionForm(m, m.orders);
  const body = html`${message}
${checkInForm(m)}
<section aria-labelledby="session-heading">
<h2 id="session-heading">Log a session</h2>
${session}
</section>`;
  return page({ h1: "Today's check-in", body, csrfToken: m.csrfToken });
}
