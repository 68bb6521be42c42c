/**
 * Bundle -> Evidence: the plan, its patient, current orders and the patient's logs as typed facts at
 * `now`. Bad input throws one OperationOutcomeError carrying every problem found.
 * Every value is read as untyped JSON (json.ts): a wrong JSON type in the plan, an exercise order or an
 * Observation the engine reads is an error at its element (shape.ts), never a TypeError. A malformed plan
 * is reported on its own (everything else hangs off it); entries that hold no resource are skipped.
 * See: docs/clinical-rules.md "Terms"; implementation-guide.md "Profiles" and "Extensions".
 */
import type { Bundle, CarePlan, OperationOutcomeIssue, Patient } from 'fhir/r4';
import { CS, EXT, GRADUS_CODE, PHASES, PROFILE } from '../../fhir/codes';
import { isErrorIssue, issue, OperationOutcomeError, outcome } from '../../fhir/outcome';
import { indexBundle, typeAndId, type BundleIndex, type IndexedEntry } from './bundle-index';
import { ageOn, calendarAt, compareDateTimes, isDateTime, programWeek, type Calendar } from './days';
import type { Evidence, PatientFacts } from './evidence-types';
import { asNumber, asString, field, records, strings, type JsonRecord } from './json';
import { readObservations } from './observations';
import { orderKeyOf, readOrders } from './orders';
import { resolvePolicy } from './policy';
import { checkShape, PLAN } from './shape';
import type { Phase, Policy } from '../types';

export type * from './evidence-types';

export interface ReadEvidenceOptions {
  /** The evaluation time: ISO dateTime with offset. */
  now: string;
  /** Caller overrides of the plan's policy. */
  policy?: Partial<Policy>;
}

function fail(issues: OperationOutcomeIssue[]): never {
  throw new OperationOutcomeError(outcome(issues));
}

/** A CarePlan that is a `gradus-exercise-plan` (by profile or by the exercise-program category); reads any JSON safely. */
function isExercisePlan(plan: CarePlan): boolean {
  if (strings(field(plan.meta, 'profile')).includes(PROFILE.exercisePlan)) return true;
  return records(plan.category).some(({ item }) =>
    records(item.coding).some(({ item: c }) => c.system === CS.gradus && c.code === GRADUS_CODE.exerciseProgram),
  );
}

/** Reads a patient's Bundle at `now`; throws OperationOutcomeError with all problems on bad input. */
export function readEvidence(bundle: Bundle, options: ReadEvidenceOptions): Evidence {
  const input: unknown = bundle;
  const resourceType = field(input, 'resourceType');
  if (resourceType !== 'Bundle') {
    const type = typeof resourceType === 'string' ? resourceType : typeof input === 'object' && input !== null ? 'an object without resourceType' : typeof input;
    fail([issue('error', 'structure', `expected a FHIR Bundle, got ${type}`, 'Bundle')]);
  }
  let calendar: Calendar;
  try {
    calendar = calendarAt(options.now);
  } catch {
    fail([issue('error', 'value', `now '${String(options.now)}' is not an ISO dateTime`, 'now')]);
  }
  const entryList = field(input, 'entry');
  if (entryList !== undefined && !Array.isArray(entryList)) fail([issue('error', 'structure', 'Bundle.entry is not a list', 'Bundle.entry')]);
  const index = indexBundle(bundle);
  if (index.entries.length === 0) fail([issue('error', 'required', 'the Bundle has no entries with a resource', 'Bundle.entry')]);

  const issues: OperationOutcomeIssue[] = [];
  const planEntry = findPlan(index, issues);
  if (!planEntry) fail(issues);
  const plan = planEntry.resource;
  // A plan of the wrong JSON shape is reported alone: every later check would only echo it.
  if (checkShape(plan, PLAN, { path: planEntry.path, name: `plan ${planEntry.reference}`, issues }) > 0) fail(issues);

  const patient = readPatient(planEntry, index, calendar, issues);
  const patientKey = typeAndId(plan.subject?.reference ?? '');
  const known = new Map<string, boolean>();
  const isPatient = (subject: string | undefined): boolean => {
    if (subject === undefined) return false;
    let answer = known.get(subject);
    if (answer === undefined) {
      const target = index.resolve(subject);
      answer = patient && target ? target.resource === patient.resource : patientKey !== undefined && typeAndId(subject) === patientKey;
      known.set(subject, answer);
    }
    return answer;
  };

  const planFacts = readPlanExtensions(planEntry, calendar, issues);
  const policy = resolvePolicy({ plan, planPath: planEntry.path, overrides: options.policy ?? {}, issues });
  const observations = readObservations({ index, isPatient, orderKey: orderKeyOf, calendar, issues });
  const orderSet = readOrders({
    index,
    planEntry,
    isPatient,
    calendar,
    policy,
    dailyPain: observations.dailyPain,
    sessionsByOrder: observations.sessionsByOrder,
    testsByOrder: observations.testsByOrder,
    issues,
  });

  const errors = issues.filter(isErrorIssue);
  if (errors.length > 0 || !patient || !planFacts) fail(errors.length > 0 ? errors : issues);

  const phaseStart = planFacts.phaseSince ?? latest(orderSet.orders.map((o) => o.authoredOn));
  const fullUrls = new Map<string, string>();
  for (const e of index.entries) if (e.fullUrl !== undefined && !fullUrls.has(e.reference)) fullUrls.set(e.reference, e.fullUrl);

  return {
    index,
    calendar,
    now: calendar.now,
    today: calendar.today,
    plan,
    planId: plan.id ?? planEntry.reference,
    planReference: planEntry.reference,
    ...(planEntry.fullUrl !== undefined ? { planFullUrl: planEntry.fullUrl } : {}),
    patient,
    phase: planFacts.phase,
    ...(planFacts.phaseSince !== undefined ? { phaseSince: planFacts.phaseSince } : {}),
    ...(phaseStart !== undefined ? { phaseStart, phaseStartDay: calendar.day(phaseStart) } : {}),
    ...(planFacts.referencePain !== undefined ? { referencePain: planFacts.referencePain } : {}),
    ...(planFacts.flareSince !== undefined ? { flareSince: planFacts.flareSince } : {}),
    programStart: planFacts.programStart,
    programWeek: programWeek(planFacts.programStart, calendar),
    policy,
    ordersById: orderSet.ordersById,
    currentOrders: orderSet.currentOrders,
    orders: orderSet.orders,
    dailyPain: observations.dailyPain,
    checkIns: observations.checkIns,
    symptomAlerts: observations.symptomAlerts,
    ...(observations.restingHeartRate ? { restingHeartRate: observations.restingHeartRate } : {}),
    fullUrls,
  };
}

function latest(values: string[]): string | undefined {
  return [...values].sort(compareDateTimes).at(-1);
}

/** The one gradus-exercise-plan in the Bundle; issues for none or several. */
function findPlan(index: BundleIndex, issues: OperationOutcomeIssue[]): IndexedEntry<CarePlan> | undefined {
  const plans = index.entries.filter(
    (e): e is IndexedEntry<CarePlan> => e.resource.resourceType === 'CarePlan' && isExercisePlan(e.resource),
  );
  if (plans.length === 0) {
    issues.push(issue('error', 'required', 'the Bundle has no gradus-exercise-plan (a CarePlan with category gradus#exercise-program)', 'Bundle.entry'));
    return undefined;
  }
  if (plans.length > 1) {
    const names = plans.map((p) => p.reference).join(', ');
    for (const p of plans) {
      issues.push(issue('error', 'invalid', `the Bundle has ${plans.length} gradus-exercise-plans (${names}); expected exactly one`, p.path));
    }
    return undefined;
  }
  return plans[0];
}

function readPatient(planEntry: IndexedEntry<CarePlan>, index: BundleIndex, calendar: Calendar, issues: OperationOutcomeIssue[]): PatientFacts | undefined {
  const where = `${planEntry.path}.subject`;
  const reference = planEntry.resource.subject?.reference;
  if (reference === undefined) {
    issues.push(issue('error', 'required', 'the plan has no subject (the patient)', where));
    return undefined;
  }
  const target = index.resolve(reference);
  if (!target || target.resource.resourceType !== 'Patient') {
    const what = target ? `a ${target.resource.resourceType}` : 'not in the Bundle';
    issues.push(issue('error', 'not-found', `the plan's subject ${reference} is ${what}; the Bundle must hold the Patient`, where));
    return undefined;
  }
  const resource: Patient = target.resource;
  const birthDate = asString(resource.birthDate);
  const age = birthDate !== undefined && isDateTime(birthDate) ? ageOn(birthDate, calendar.today) : undefined;
  return {
    reference,
    resource,
    ...(target.fullUrl !== undefined ? { fullUrl: target.fullUrl } : {}),
    ...(birthDate !== undefined ? { birthDate } : {}),
    ...(age !== undefined ? { age } : {}),
  };
}

interface PlanExtensionFacts {
  phase: Phase;
  phaseSince?: string;
  referencePain?: number;
  flareSince?: string;
  programStart: string;
}

function findExtension(plan: CarePlan, url: string): { ext: JsonRecord; k: number } | undefined {
  const found = records(plan.extension).find(({ item }) => item.url === url);
  return found ? { ext: found.item, k: found.index } : undefined;
}

/** progression-phase, phase-since, reference-pain, flare-since and period.start, with their issues. */
function readPlanExtensions(planEntry: IndexedEntry<CarePlan>, calendar: Calendar, issues: OperationOutcomeIssue[]): PlanExtensionFacts | undefined {
  const plan = planEntry.resource;
  const { path } = planEntry;
  const before = issues.length;

  const phaseExt = findExtension(plan, EXT.progressionPhase);
  const code = asString(phaseExt?.ext.valueCode) ?? asString(field(phaseExt?.ext.valueCoding, 'code'));
  const phase = (PHASES as readonly string[]).includes(code ?? '') ? (code as Phase) : undefined;
  if (!phaseExt) issues.push(issue('error', 'required', 'the plan has no progression-phase extension', `${path}.extension`));
  else if (!phase) issues.push(issue('error', 'code-invalid', `the plan's progression-phase '${code ?? ''}' is not one of ${PHASES.join(', ')}`, `${path}.extension[${phaseExt.k}].value`));

  const dateExtension = (url: string, name: string): string | undefined => {
    const found = findExtension(plan, url);
    if (!found) return undefined;
    const value = asString(found.ext.valueDateTime);
    const where = `${path}.extension[${found.k}].value`;
    if (value === undefined || !isDateTime(value)) issues.push(issue('error', 'invalid', `the plan's ${name} is not a dateTime`, where));
    else if (calendar.isFuture(value)) issues.push(issue('error', 'invalid', `the plan's ${name} ${value} is after now (${calendar.now})`, where));
    else return value;
    return undefined;
  };
  const phaseSince = dateExtension(EXT.phaseSince, 'phase-since');
  const flareSince = dateExtension(EXT.flareSince, 'flare-since');

  const painExt = findExtension(plan, EXT.referencePain);
  const referencePain = asNumber(painExt?.ext.valueDecimal);
  if (painExt && (referencePain === undefined || referencePain < 0 || referencePain > 10)) {
    const why = referencePain !== undefined ? `${referencePain} is outside the 0-10 scale` : 'is not a number (valueDecimal)';
    issues.push(issue('error', 'value', `the plan's reference-pain ${why}`, `${path}.extension[${painExt.k}].value`));
  }

  const programStart = plan.period?.start;
  if (programStart === undefined) issues.push(issue('error', 'required', 'the plan has no period.start (program week 1 starts there)', `${path}.period.start`));
  else if (!isDateTime(programStart)) issues.push(issue('error', 'invalid', `the plan's period.start '${programStart}' is not a date`, `${path}.period.start`));
  else if (calendar.isFuture(programStart)) issues.push(issue('error', 'invalid', `the plan's period.start ${programStart} is after now (${calendar.now})`, `${path}.period.start`));

  if (issues.length > before || !phase || programStart === undefined) return undefined;
  return {
    phase,
    programStart,
    ...(phaseSince !== undefined ? { phaseSince } : {}),
    ...(referencePain !== undefined ? { referencePain } : {}),
    ...(flareSince !== undefined ? { flareSince } : {}),
  };
}
