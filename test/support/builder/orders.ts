/**
 * An exercise order (ServiceRequest) as implementation-guide.md shapes it: the dose in its `exercise-dose`
 * extension, the therapy and domain categories, the exercise coding, the weekly frequency and the order
 * it replaces. Spelled in the builder's style (conventions.ts).
 */
import type { Narrative, Reference, ServiceRequest, TimingRepeat } from 'fhir/r4';
import { CS, EXERCISE_THERAPY, PROFILE, SNOMED } from '../../../src/fhir/codes';
import type { Domain, Dose } from '../../../src/progression/types';
import { doseExtension } from '../dose-ext';
import type { Style } from './conventions';
import { metaOf } from './plan';
import { Coder } from './vocabulary';

export interface OrderSpec {
  id: string;
  subject: Reference;
  planId: string;
  exercise: string;
  /** The exercise coding's display; none when undefined. */
  display?: string;
  /** code.text, when given. */
  codeText?: string;
  domain: Domain;
  dose: Dose;
  /** Sessions per week. */
  frequency: number;
  daysOfWeek?: TimingRepeat['dayOfWeek'];
  authoredOn: string;
  replaces?: string;
  status: ServiceRequest['status'];
  instruction?: string;
  narrative?: Narrative;
}

export function order(style: Style, o: OrderSpec): ServiceRequest {
  const coder = new Coder(style);
  const repeat: TimingRepeat = { frequency: o.frequency, period: 1, periodUnit: 'wk' };
  if (o.daysOfWeek !== undefined) repeat.dayOfWeek = o.daysOfWeek;
  return {
    resourceType: 'ServiceRequest',
    id: o.id,
    meta: metaOf(style, PROFILE.exerciseOrder),
    ...(o.narrative !== undefined ? { text: o.narrative } : {}),
    extension: [doseExtension(o.dose)],
    status: o.status,
    intent: 'order',
    category: [{ coding: [{ system: SNOMED, code: EXERCISE_THERAPY, display: 'Exercise therapy' }] }, coder.concept(CS.exerciseDomain, o.domain)],
    code: {
      coding: [{ system: CS.exercise, code: o.exercise, ...(o.display !== undefined ? { display: o.display } : {}) }],
      ...(o.codeText !== undefined ? { text: o.codeText } : {}),
    },
    subject: o.subject,
    basedOn: [{ reference: `CarePlan/${o.planId}` }],
    authoredOn: o.authoredOn,
    occurrenceTiming: { repeat },
    ...(o.replaces !== undefined ? { replaces: [{ reference: `ServiceRequest/${o.replaces}` }] } : {}),
    ...(o.instruction !== undefined ? { patientInstruction: o.instruction } : {}),
  };
}
