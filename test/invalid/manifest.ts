/**
 * The invalid-fixture manifest (one defect per file, with the issue expression it must produce) and the
 * expression matching rule the tests share (fixtures and manifest are written by make-fixtures.mjs).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

export const INVALID_DIR = __dirname;

/** One fixture's expectation; `file` is relative to test/invalid. */
export interface Expectation {
  file: string;
  /** The valid instance the fixture was derived from (relative to the repository root). */
  base: string;
  /** The expected issue expression: an error must be reported here or below it. */
  expression: string;
  /** Which kind of check the fixture exercises (see CHECK_KINDS). */
  kind: string;
  why: string;
  /** A regular expression the matching error's diagnostics must contain (an invariant's constraint key). */
  diagnostics?: string;
  /** Where the HL7 Java validation engine lets the fixture pass, and why (checked by `npm run conformance`). */
  javaEngine?: { passes: boolean; why: string };
}

/** Every kind of check the fixtures must cover together. */
export const CHECK_KINDS = [
  'missing-required',
  'max-cardinality',
  'required-binding',
  'wrong-type',
  'out-of-range',
  'invariant',
  'fixed-pattern',
  'slicing',
  'sub-extension',
  'component-unit',
  'nested-cardinality',
  'unknown-element',
  'reference-target',
  'primitive-format',
  'bundle-entry',
  'bundle-reference',
] as const;

export function loadManifest(): Expectation[] {
  return JSON.parse(readFileSync(join(INVALID_DIR, 'manifest.json'), 'utf8')) as Expectation[];
}

export function readFixture(file: string): unknown {
  return JSON.parse(readFileSync(join(INVALID_DIR, file), 'utf8')) as unknown;
}

/** A fixture's valid base instance. */
export function readBase(e: Expectation): unknown {
  return JSON.parse(readFileSync(join(INVALID_DIR, '..', '..', e.base), 'utf8')) as unknown;
}

/** All fixture JSON files under test/invalid (the manifest itself excluded), relative to it. */
export function fixtureFiles(dir: string = INVALID_DIR): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const path = join(dir, d.name);
    if (d.isDirectory()) return fixtureFiles(path);
    return d.name.endsWith('.json') && path !== join(INVALID_DIR, 'manifest.json') ? [relative(INVALID_DIR, path)] : [];
  });
}

/** True when `actual` is `expected` or an element below it (`expected.x`, `expected[i]`). */
export function isAtOrBelow(actual: string, expected: string): boolean {
  return actual === expected || actual.startsWith(`${expected}.`) || actual.startsWith(`${expected}[`);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * A pattern for one formatted issue line `<expression>: <diagnostics>` that satisfies the expectation,
 * so a failing assertion prints every issue actually reported.
 */
export function expectedLine(e: Expectation): RegExp {
  const at = `^${escapeRegExp(e.expression)}(?:[.[][^:\\s]*)?: `;
  return new RegExp(e.diagnostics === undefined ? at : `${at}.*${e.diagnostics}`);
}
