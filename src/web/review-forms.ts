/**
 * The clinician's review forms, read and checked before anything is written: the proposal shown (hidden
 * `now` and `digest`), the reason for rejecting, and an edited dose (the proposed dose with the parts the
 * clinician changed). Pure: the posted text in; values or field errors out.
 */
import type { OperationOutcome } from 'fhir/r4';
import { isDateTimeWithOffset, type Dose } from '../progression';
import type { FieldErrors, FormValues, NumberFieldSpec } from './fields';
import { parseNumber } from './numbers';
import type { Parsed } from './patient-log';

/** What the page showed: the evaluation time and the digest of the decisions. */
export interface Shown {
  now: string;
  digest: string;
}

export const REASON_LENGTH = { min: 3, max: 500 } as const;

const DIGEST = /^[0-9a-f]{16,128}$/;

/** The hidden fields of a review form; undefined when missing or malformed (not a form this page made). */
export function parseShown(form: FormValues): Shown | undefined {
  const now = form.now ?? '';
  const digest = form.digest ?? '';
  return isDateTimeWithOffset(now) && DIGEST.test(digest) ? { now, digest } : undefined;
}

/** The reason for rejecting: 3 to 500 characters once trimmed; line ends kept, other control characters refused. */
export function parseReject(form: FormValues): Parsed<{ reason: string }> {
  const reason = (form.reason ?? '').replace(/\r\n?/g, '\n').trim();
  const { min, max } = REASON_LENGTH;
  if (reason.length < min) return { ok: false, errors: { reason: `Enter a reason of at least ${min} characters.` } };
  if (reason.length > max) return { ok: false, errors: { reason: `Enter a reason of at most ${max} characters (this one has ${reason.length}).` } };
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u0008\u000b-\u001f\u007f]/.test(reason)) return { ok: false, errors: { reason: 'Enter the reason as plain text.' } };
  return { ok: true, values: { reason } };
}

export type DosePartName = 'sets' | 'reps' | 'load' | 'duration';

/** The inputs of an "Edit dose" form: the parts the proposed dose has, each in a sane range. */
export function editFields(dose: Dose): (NumberFieldSpec & { name: DosePartName })[] {
  const fields: (NumberFieldSpec & { name: DosePartName })[] = [];
  if (dose.sets !== undefined) fields.push({ name: 'sets', label: 'Sets', rule: { kind: 'integer', min: 1, max: 20, required: true } });
  if (dose.reps !== undefined) fields.push({ name: 'reps', label: 'Reps', rule: { kind: 'integer', min: 1, max: 200, required: true } });
  if (dose.load !== undefined) fields.push({ name: 'load', label: 'Load (kg)', rule: { kind: 'decimal', min: 0, max: 500, decimals: 2, required: true } });
  if (dose.duration?.unit === 'min') {
    fields.push({ name: 'duration', label: 'Duration (min)', rule: { kind: 'decimal', min: 1, max: 600, decimals: 1, required: true } });
  } else if (dose.duration?.unit === 's') {
    fields.push({ name: 'duration', label: 'Hold (s)', rule: { kind: 'integer', min: 1, max: 3600, required: true } });
  }
  return fields;
}

/** The form's values for a dose (what the inputs show before editing). */
export function doseFormValues(dose: Dose): Record<DosePartName, string | undefined> {
  return { sets: dose.sets?.toString(), reps: dose.reps?.toString(), load: dose.load?.toString(), duration: dose.duration?.value.toString() };
}

/** The proposed dose with the edited parts (its intensity targets and ladder step kept). */
export function parseEdit(form: FormValues, proposed: Dose): Parsed<Dose> {
  const errors: Record<string, string> = {};
  const dose: Dose = structuredClone(proposed);
  for (const field of editFields(proposed)) {
    const result = parseNumber(form[field.name], field.rule);
    if ('error' in result) errors[field.name] = result.error;
    else if (!('value' in result)) continue;
    else if (field.name === 'duration' && dose.duration) dose.duration = { ...dose.duration, value: result.value };
    else if (field.name !== 'duration') dose[field.name] = result.value;
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, values: dose };
}

/**
 * The field errors of a refused edit: issues whose expression is `edits.<orderId>.<part>` (the review API's
 * convention), by part; anything else about the edit goes under `dose`.
 */
export function editErrors(oo: OperationOutcome, orderId: string): FieldErrors {
  const errors: Record<string, string> = {};
  for (const i of oo.issue.filter((x) => x.severity === 'error' || x.severity === 'fatal')) {
    const text = i.diagnostics ?? 'This value is not allowed.';
    const parts = (i.expression ?? []).flatMap((e) => {
      const m = /^edits\.(.+)\.(sets|reps|load|duration)$/.exec(e);
      return m && m[1] === orderId ? [m[2] ?? ''] : [];
    });
    for (const part of parts.length > 0 ? parts : ['dose']) errors[part] ??= text;
  }
  return errors;
}
