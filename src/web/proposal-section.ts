/**
 * "Proposed changes": the engine's dry run for the plan (each current order's decision, dose now and
 * proposed, rationale; the plan's phase from -> to) and the clinician's three answers: approve, reject with a
 * reason, or edit one proposed dose and approve with it. Every form carries the CSRF token and the proposal
 * it answers (hidden `now` and `digest`), so approving writes exactly what was shown.
 */
import type { PlanRun } from '../client';
import type { OrderDecision } from '../progression';
import { formatDateTime } from './dates';
import { formError, hiddenField, numberField, textareaField, type FieldErrors, type FormValues } from './fields';
import { doseText, phrase } from './format';
import { html, type Html } from './html';
import { doseFormValues, editFields, REASON_LENGTH } from './review-forms';

export interface ProposalModel {
  /** The dry run shown; undefined when the engine could not propose (`error` says why). */
  run?: PlanRun;
  digest?: string;
  error?: string;
  /** The reject form as posted, when it is shown again with an error. */
  reject?: { value: string; error?: string };
  /** One edit form as posted, when it is shown again with errors. */
  edit?: { orderId: string; values: FormValues; errors: FieldErrors };
}

const sameDose = (o: OrderDecision): boolean => JSON.stringify(o.from) === JSON.stringify(o.to);

/** The orders whose proposed dose differs from the current one (each gets an "Edit dose" form). */
export const editableOrders = (run: PlanRun): OrderDecision[] => run.result.orders.filter((o) => !sameDose(o));

function hiddenProposal(csrf: string, run: PlanRun, digest: string): Html {
  return html`${hiddenField('csrf', csrf)}${hiddenField('now', run.now)}${hiddenField('digest', digest)}`;
}

function decisionsTable(run: PlanRun): Html {
  const rows = run.result.orders.map(
    (o) =>
      html`<tr><th scope="row">${o.exercise}</th><td>${phrase(o.decision)}</td><td>${doseText(o.from)}</td><td>${sameDose(o) ? 'No change' : doseText(o.to)}</td><td class="rationale">${o.rationale}</td></tr>\n`,
  );
  return html`<div class="table-wrap" role="region" aria-labelledby="proposals-caption" tabindex="0">
<table>
<caption id="proposals-caption">Decisions per exercise</caption>
<thead><tr><th scope="col">Exercise</th><th scope="col">Decision</th><th scope="col">Dose now</th><th scope="col">Proposed dose</th><th scope="col">Rationale</th></tr></thead>
<tbody>
${rows}</tbody>
</table>
</div>`;
}

function planChange(run: PlanRun): Html {
  const p = run.result.plan;
  const phase = p.phaseFrom === p.phaseTo ? html`stays ${phrase(p.phaseTo)}` : html`from ${phrase(p.phaseFrom)} to ${phrase(p.phaseTo)}`;
  return html`<p>Plan phase: ${phase}.${p.rationale !== undefined ? html` ${p.rationale}` : ''}</p>`;
}

function editForm(planId: string, o: OrderDecision, index: number, m: ProposalModel, csrf: string, run: PlanRun, digest: string): Html {
  const posted = m.edit?.orderId === o.orderId ? m.edit : undefined;
  const shown = doseFormValues(o.to);
  const id = `edit-${index}`;
  const fields = editFields(o.to).map((f) =>
    numberField(f, {
      id: `${id}-${f.name}`,
      ...(posted ? { value: posted.values[f.name] ?? '' } : shown[f.name] !== undefined ? { value: shown[f.name] } : {}),
      ...(posted?.errors[f.name] !== undefined ? { error: posted.errors[f.name] } : {}),
    }),
  );
  const problem = posted ? (posted.errors.dose ?? (Object.keys(posted.errors).length > 0 ? 'Check the values marked below.' : undefined)) : undefined;
  return html`<form class="edit-dose" method="post" action="/app/plans/${planId}/edit" novalidate aria-labelledby="${id}-heading">
<h3 id="${id}-heading">Edit dose: ${o.exercise}</h3>
<p class="hint">Proposed: ${doseText(o.to)}. Saving approves all the changes above with this dose instead.</p>
${formError(`${id}-problem`, problem)}${hiddenProposal(csrf, run, digest)}${hiddenField('order', o.orderId)}
<div class="field-row">
${fields}
</div>
<button type="submit" class="button">Save edited dose</button>
</form>`;
}

function answers(planId: string, m: ProposalModel, csrf: string, run: PlanRun, digest: string): Html {
  const reject = textareaField({
    id: 'reject-reason',
    name: 'reason',
    label: 'Reason for rejecting',
    hint: `${REASON_LENGTH.min} to ${REASON_LENGTH.max} characters, recorded with the rejection.`,
    minLength: REASON_LENGTH.min,
    maxLength: REASON_LENGTH.max,
    ...(m.reject !== undefined ? { value: m.reject.value } : {}),
    ...(m.reject?.error !== undefined ? { error: m.reject.error } : {}),
  });
  const editable = editableOrders(run);
  return html`<div class="answers">
<form method="post" action="/app/plans/${planId}/approve" aria-label="Approve the proposed changes">
${hiddenProposal(csrf, run, digest)}
<button type="submit" class="button button--primary">Approve changes</button>
</form>
<form method="post" action="/app/plans/${planId}/reject" novalidate aria-label="Reject the proposed changes">
${hiddenProposal(csrf, run, digest)}
${reject}
<button type="submit" class="button button--danger">Reject changes</button>
</form>
</div>
${editable.map((o, i) => editForm(planId, o, i + 1, m, csrf, run, digest))}`;
}

/** The section; without a proposal it says why and offers no forms. */
export function proposalSection(planId: string, m: ProposalModel, csrf: string): Html {
  const { run, digest } = m;
  const content =
    run === undefined || digest === undefined
      ? html`<p class="form-error">Gradus cannot propose changes for this plan: ${m.error ?? 'the engine gave no answer'}.</p>`
      : html`<p>What the progression rules propose as of ${formatDateTime(run.now)}. Nothing is written until you approve.</p>
${planChange(run)}
${run.result.orders.length > 0 ? decisionsTable(run) : html`<p>There are no current orders to decide on.</p>`}
${answers(planId, m, csrf, run, digest)}`;
  return html`<section aria-labelledby="proposals-heading">
<h2 id="proposals-heading">Proposed changes</h2>
${content}
</section>`;
}
