/**
 * How a builder writes what its callers leave out: the style of the resources, how Observations are named,
 * the times of day of untimed records and the names of exercises. Each caller's conventions are fixed
 * here, so the same calls always give the same Bundle and committed files stay byte for byte.
 */
import type { When } from './clock';

/**
 * `fixture`: the IG contract's shapes as a FHIR server returns them (demo fixtures, test histories, unit
 * scenarios): plan and orders at meta.versionId 1, codings without displays (but SNOMED's |Exercise therapy|).
 * `published`: as examples/ publishes them for readers: displays on codings, subjects and plan activities,
 * human unit texts, no versionId, a generated narrative on each log (patient, plan, orders and goals take the
 * caller's), and the logs and the Bundle in FHIR's element order.
 * Some element orders differ only because the committed files were first written so, and stay byte for
 * byte: in `fixture` the plan's progression-policy extension comes first (last in `published`), a session
 * lists basedOn after subject and its effective time last, and the Bundle's id follows its timestamp.
 */
export type Style = 'fixture' | 'published';

export type ObservationKind = 'checkin' | 'pain' | 'session' | 'alert' | 'tolerance' | 'rhr';

/** What an id scheme knows of a new Observation. */
export interface NewObservation {
  kind: ObservationKind;
  /** 1 for the first Observation of its kind in this builder (after those of an extended Bundle). */
  nth: number;
  /** 1 for the first Observation of any kind in this builder. */
  seq: number;
  /** The calendar date it is recorded on (its own offset). */
  date: string;
  /** The order a session or tolerance test is based on. */
  orderId?: string;
}

/** `per-kind`: `session-3`; `sequence`: `o7`; or the caller's own names. */
export type IdScheme = 'per-kind' | 'sequence' | ((o: NewObservation) => string);

/** Local times of day (HH:MM) of records given by day number only. */
export interface Times {
  session: string;
  checkIn: string;
  painScore: string;
  alert: string;
  toleranceTest: string;
  restingHeartRate: string;
  /** phase-since and flare-since. */
  phaseChange: string;
  authoredOn: string;
  /** period.start given as a day number is written as a dateTime at this time. */
  planStart: string;
}

export interface Conventions {
  style: Style;
  ids: IdScheme;
  times: Times;
  /**
   * The display of an order's exercise coding when the order gives none: `code` repeats the code (so
   * rationales quote it), `catalogue` takes the IG catalogue's, `none` leaves it out (the engine then
   * names the exercise from its catalogue).
   */
  exerciseDisplay: 'code' | 'catalogue' | 'none';
  /** authoredOn of an order that gives none (default: the plan start). */
  authoredOn?: When;
}

/** Test histories and demo fixtures (history()). */
export const FIXTURE: Conventions = {
  style: 'fixture',
  ids: 'per-kind',
  times: {
    session: '17:30',
    checkIn: '07:30',
    painScore: '12:00',
    alert: '10:00',
    toleranceTest: '11:00',
    restingHeartRate: '07:00',
    phaseChange: '08:00',
    authoredOn: '08:00',
    planStart: '00:00',
  },
  exerciseDisplay: 'none',
};

/** Published examples: the fixture times, with plan and orders written at 09:00, in the published style. */
export const PUBLISHED: Conventions = {
  ...FIXTURE,
  style: 'published',
  times: { ...FIXTURE.times, phaseChange: '09:00', authoredOn: '09:00' },
  exerciseDisplay: 'catalogue',
};
