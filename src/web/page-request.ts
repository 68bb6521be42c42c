/**
 * What a page handler takes and needs, without express: the SMART context, the path parameters, the query
 * and the posted form as plain strings, and the dependencies (validator, clock).
 */
import type { Validator } from '../validation';
import type { FieldErrors, FormValues } from './fields';
import type { SmartContext } from './smart-context';

export interface PageRequest {
  smart: SmartContext;
  params: Readonly<Record<string, string>>;
  query: Readonly<Record<string, string>>;
  form: FormValues;
}

export interface WebDeps {
  validator: Validator;
  clock: () => Date;
  /** The offset from UTC (minutes east) that dateTimes are written in; default the process's time zone. */
  offsetMinutes: (at: Date) => number;
}

/** A form shown again after a refusal: what was typed and the errors beside the fields. */
export interface PostedForm {
  values: FormValues;
  errors: FieldErrors;
}

/** FHIR's id: letters, digits, `-` and `.`, at most 64. See: https://hl7.org/fhir/R4/datatypes.html#id */
export const FHIR_ID = /^[A-Za-z0-9\-.]{1,64}$/;
