/**
 * Checks on one value against one element definition: primitive format, fixed/pattern, min/max value,
 * required binding, invariants (the element's and its datatype's), references, then the value's own
 * properties and any type profile (extension definitions included).
 * See: https://hl7.org/fhir/R4/elementdefinition.html
 */
import { isJsonObject } from '../fhir/json';
import { checkBinding, checkCodingInSystem } from './bindings';
import { containerFor, isResourceKind } from './children';
import { firstVisit, type ResourceScope, type Run } from './context';

import { checkConstraints } from './invariants';
import { primitiveProblem } from './primitives';
import { contextProblem } from './extension-context';
import { checkReference } from './references';
import { validateNestedResource } from './resource';
import type { ElementNode, TypeRef } from './structure';
import { fixedPatternProblem, limitProblems } from './values';
import { walkProperties } from './walker';

export interface ValueTarget {
  readonly value: unknown;
  readonly node: ElementNode;
  readonly type: string;
  readonly typeRef?: TypeRef | undefined;
  readonly expr: string;
  readonly scope: ResourceScope;
  /** Only the element's own checks (used for the sliced element when an item matched a slice). */
  readonly elementOnly: boolean;
}

/** The FHIRPath base that gives fhirpath.js the right type for a value at this node. */
function fhirpathBase(node: ElementNode, type: string, kind: string | undefined): string {
  if (node.structure.root === node) return node.structure.type;
  if (type === 'BackboneElement' || type === 'Element' || type === '') return node.path.replace(/\[x\]/g, '');
  if (kind === 'primitive-type' || kind === 'complex-type') return type;
  return node.path.replace(/\[x\]/g, '');
}

/** Constraint keys already on the element, so the datatype's own copies are not evaluated twice. */
const keysOf = (node: ElementNode): ReadonlySet<string> => new Set(node.constraints.map((c) => c.key));

export function validateValue(run: Run, t: ValueTarget): void {
  const { value, node, type, expr, scope } = t;
  const kind = run.defs.typeKind(type);
  if (kind === 'primitive-type' || t.typeRef?.system) {
    const problem = primitiveProblem(value, type);
    if (problem) {
      run.issues.error('value', problem, expr);
      return;
    }
    elementChecks(run, t, kind);
    return;
  }
  if (isResourceKind(run.defs, type) || node.path.endsWith('.contained')) {
    if (!t.elementOnly) validateNestedResource(run, { value, node, declaredType: type, expr, parent: scope });
    return;
  }
  if (!isJsonObject(value)) {
    run.issues.error('structure', `Expected an object${type ? ` (${type})` : ''}, found ${Array.isArray(value) ? 'an array' : typeof value}`, expr);
    return;
  }
  elementChecks(run, t, kind);
  if (t.elementOnly) return;
  const typeRoot = kind === 'complex-type' && type !== 'BackboneElement' && type !== 'Element' ? run.defs.typeStructure(type)?.root : undefined;
  if (typeRoot && typeRoot !== node) {
    checkConstraints(run, typeRoot.constraints, { value, base: type, expression: expr, scope }, keysOf(node));
  }
  const container = containerFor(run.defs, node, type);
  if (container && firstVisit(run, value, container, expr)) {
    walkProperties(run, value, container, expr, scope, false);
  } else if (!container && node.children.length === 0 && !typeRoot) {
    run.issues.error('exception', `No definition for the content of ${node.path} (type '${type}')`, expr);
  }
  if (type === 'Reference') {
    const requiredByProfile = node.structure.kind === 'resource' && node.structure.derivation === 'constraint' && node.min >= 1;
    checkReference(run, value, { types: node.types, requiredByProfile }, expr, scope);
  }
  if (type === 'Coding') checkCodingInSystem(run, value, expr);
  typeProfiles(run, t);
}

function elementChecks(run: Run, t: ValueTarget, kind: string | undefined): void {
  const { value, node, type, expr, scope } = t;
  const fp = fixedPatternProblem(node, value);
  if (fp) run.issues.error('value', fp, expr);
  for (const p of limitProblems(node, value)) run.issues.error('value', p, expr);
  checkBinding(run, node, type, value, expr);
  if (node.constraints.length > 0) {
    checkConstraints(run, node.constraints, { value, base: fhirpathBase(node, type, kind), expression: expr, scope });
  }
}

/** An extension's own url, when absolute (relative urls name sub-extensions, defined by their parent). */
function extensionUrl(value: unknown): string[] {
  return isJsonObject(value) && typeof value.url === 'string' && value.url.includes(':') ? [value.url] : [];
}

/** Profiles on the element's type (datatype profiles, extension definitions), and unprofiled extensions by url. */
function typeProfiles(run: Run, t: ValueTarget): void {
  const { value, type, expr, scope } = t;
  const profiles = t.typeRef?.profiles ?? [];
  const urls = profiles.length > 0 ? profiles : type === 'Extension' ? extensionUrl(value) : [];
  if (urls.length === 0 || !isJsonObject(value)) return;
  const known = urls.map((u) => run.defs.structure(u)).filter((s) => s !== undefined);
  if (known.length === 0) {
    if (t.node.jsonName === 'modifierExtension') {
      run.issues.error('not-found', `Unknown modifier extension ${urls.join(', ')}: it changes the meaning of the resource and cannot be ignored`, expr);
    } else {
      const what = type === 'Extension' ? 'extension' : 'profile';
      run.issues.warning('not-found', `Unknown ${what} ${urls.join(', ')}: its content was checked against the base type only`, expr);
    }
    return;
  }
  for (const s of known.slice(0, 1)) {
    // Contexts are judged for our own extensions only: core contexts name datatypes and nested paths
    // this walker does not track well enough to judge without false errors.
    const judged = type === 'Extension' && run.defs.isLocal(s.url) && t.node.structure.root !== t.node;
    const misplaced = judged ? contextProblem(s, t.node, expr, scope) : undefined;
    if (misplaced) run.issues.error('structure', misplaced, expr);
    if (firstVisit(run, value, s, expr)) {
      validateValue(run, { value, node: s.root, type, typeRef: undefined, expr, scope, elementOnly: false });
    }
  }
}
