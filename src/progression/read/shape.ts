/**
 * The JSON shapes of the elements the engine and its output read from the plan, the orders and the
 * patient's Observations, and a checker that reports each present element of the wrong JSON type as an
 * error with its FHIRPath (the issue expression convention of implementation-guide.md "Validating"). Only types are checked here:
 * whether an element is required, or its value sensible, is for the readers.
 * See: https://hl7.org/fhir/R4/json.html
 */
import type { OperationOutcomeIssue } from 'fhir/r4';
import { issue } from '../../fhir/outcome';
import { isRecord } from './json';

export type Shape =
  | { kind: 'string' | 'number' | 'integer' | 'boolean' }
  | { kind: 'object'; fields: readonly NamedField[] }
  | { kind: 'array'; items: Shape }
  | { kind: 'lazy'; shape: () => Shape };

/** One element of an object: its shape, and the name its expression uses (a choice element's base name). */
export interface Field {
  shape: Shape;
  as?: string;
}

/** A field with its JSON name and the name its expression uses. */
interface NamedField {
  name: string;
  as: string;
  shape: Shape;
}

const STRING: Shape = { kind: 'string' };
const NUMBER: Shape = { kind: 'number' };
const INTEGER: Shape = { kind: 'integer' };
const BOOLEAN: Shape = { kind: 'boolean' };

function object(fields: Readonly<Record<string, Shape | Field>>): Shape {
  const list = Object.entries(fields).map(([name, f]): NamedField => ('kind' in f ? { name, as: name, shape: f } : { name, as: f.as ?? name, shape: f.shape }));
  return { kind: 'object', fields: list };
}
const list = (items: Shape): Shape => ({ kind: 'array', items });
const choice = (base: string, shape: Shape): Field => ({ shape, as: base });

export const CODING = object({ system: STRING, code: STRING, display: STRING });
export const CODEABLE_CONCEPT = object({ coding: list(CODING), text: STRING });
export const REFERENCE = object({ reference: STRING, display: STRING });
export const QUANTITY = object({ value: NUMBER, unit: STRING, system: STRING, code: STRING });
export const RANGE = object({ low: QUANTITY, high: QUANTITY });
export const PERIOD = object({ start: STRING, end: STRING });
const META = object({ versionId: STRING, profile: list(STRING) });

/** Any extension as the engine walks it: url and nested extensions (values are read, and checked, by url). */
const EXTENSION: Shape = object({ url: STRING, extension: list({ kind: 'lazy', shape: () => EXTENSION }) });

/** `exercise-dose`: its sub-extensions' values (implementation-guide.md "Extensions"). */
export const DOSE_EXTENSION = object({
  url: STRING,
  extension: list(
    object({
      url: STRING,
      valueInteger: choice('value', INTEGER),
      valueQuantity: choice('value', QUANTITY),
      valueRange: choice('value', RANGE),
    }),
  ),
});

/** `gradus-exercise-plan` (CarePlan): what evidence, policy and plan output read. */
export const PLAN = object({
  id: STRING,
  meta: META,
  extension: list(EXTENSION),
  category: list(CODEABLE_CONCEPT),
  subject: REFERENCE,
  period: PERIOD,
  activity: list(object({ reference: REFERENCE })),
});

/** `gradus-exercise-order` (ServiceRequest): what the order reader and the order output read. */
export const ORDER = object({
  id: STRING,
  meta: META,
  extension: list(EXTENSION),
  status: STRING,
  category: list(CODEABLE_CONCEPT),
  code: CODEABLE_CONCEPT,
  subject: REFERENCE,
  basedOn: list(REFERENCE),
  replaces: list(REFERENCE),
  authoredOn: STRING,
  occurrenceTiming: object({ repeat: object({ frequency: INTEGER, period: NUMBER, periodUnit: STRING }) }),
});

const VALUE = {
  valueInteger: choice('value', INTEGER),
  valueQuantity: choice('value', QUANTITY),
};

/** A patient's Observation of a kind the engine reads (session, check-in, pain, alert, tolerance test, resting HR). */
export const OBSERVATION = object({
  id: STRING,
  meta: META,
  status: STRING,
  code: CODEABLE_CONCEPT,
  subject: REFERENCE,
  basedOn: list(REFERENCE),
  effectiveDateTime: choice('effective', STRING),
  effectiveInstant: choice('effective', STRING),
  effectivePeriod: choice('effective', PERIOD),
  ...VALUE,
  valueBoolean: choice('value', BOOLEAN),
  component: list(object({ code: CODEABLE_CONCEPT, ...VALUE })),
});

const EXPECTED: Record<Exclude<Shape['kind'], 'lazy'>, string> = {
  string: 'a string',
  number: 'a number',
  integer: 'an integer',
  boolean: 'true or false',
  object: 'an object',
  array: 'a list',
};

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 20 ? `${value.slice(0, 20)}...` : value)}`;
  return `${typeof value} ${JSON.stringify(value) ?? ''}`;
}

function fits(value: unknown, kind: Exclude<Shape['kind'], 'lazy'>): boolean {
  switch (kind) {
    case 'string':
      return typeof value === 'string';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value);
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'boolean':
      return typeof value === 'boolean';
    case 'object':
      return isRecord(value);
    case 'array':
      return Array.isArray(value);
  }
}

export interface ShapeCheck {
  /** FHIRPath of the value (e.g. `Bundle.entry[3].resource`). */
  path: string;
  /** How the diagnostics name the resource (e.g. `order ServiceRequest/s1`); a function is called only on an error. */
  name: string | (() => string);
  issues: OperationOutcomeIssue[];
}

/** Checks `value` against `shape`; each element of the wrong JSON type gives one error. Returns the number of errors. */
export function checkShape(value: unknown, shape: Shape, check: ShapeCheck): number {
  const before = check.issues.length;
  walk(value, shape, check.path, check);
  return check.issues.length - before;
}

function report(value: unknown, kind: Exclude<Shape['kind'], 'lazy'>, path: string, check: ShapeCheck): void {
  const element = path.startsWith(check.path) ? path.slice(check.path.length).replace(/^\./, '') : path;
  const name = typeof check.name === 'string' ? check.name : check.name();
  const what = `${name}: ${element || 'the resource'} is ${describeValue(value)}, expected ${EXPECTED[kind]}`;
  check.issues.push(issue('error', 'structure', what, path));
}

function resolved(shape: Shape): Exclude<Shape, { kind: 'lazy' }> {
  return shape.kind === 'lazy' ? resolved(shape.shape()) : shape;
}

/** Paths are built only for objects and lists that are walked into and for elements in error. */
function walk(value: unknown, lazyShape: Shape, path: string, check: ShapeCheck): void {
  const shape = resolved(lazyShape);
  if (!fits(value, shape.kind)) {
    report(value, shape.kind, path, check);
    return;
  }
  if (shape.kind === 'array') {
    const items = resolved(shape.items);
    (value as unknown[]).forEach((item, i) => {
      if (items.kind === 'object' || items.kind === 'array' || !fits(item, items.kind)) walk(item, items, `${path}[${i}]`, check);
    });
  } else if (shape.kind === 'object') {
    const record = value as Record<string, unknown>;
    for (const field of shape.fields) {
      const child = record[field.name];
      if (child === undefined) continue;
      const childShape = resolved(field.shape);
      if (childShape.kind === 'object' || childShape.kind === 'array' || !fits(child, childShape.kind)) {
        walk(child, childShape, `${path}.${field.as}`, check);
      }
    }
  }
}
