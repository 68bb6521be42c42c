/**
 * Where an extension may be used (StructureDefinition.context of type `element`): on a resource type or an
 * element path. Contexts of type `fhirpath` or `extension` are not judged here.
 * See: https://hl7.org/fhir/R4/defining-extensions.html#context
 */
import type { ResourceScope } from './context';
import type { ElementNode, Structure } from './structure';

/** Contexts that admit any element or any resource. */
const ANYWHERE = new Set(['Element', 'Resource', 'DomainResource', 'BackboneElement', 'Base']);

/**
 * The paths that describe where an extension sits: the holder's definition path (`Observation.component`,
 * `CodeableConcept`) and its path in the resource (`Observation.code`, `Patient.birthDate`).
 */
function holderPaths(node: ElementNode, expr: string, scope: ResourceScope): string[] {
  const out = [node.path.replace(/\.(modifierExtension|extension)$/, '').replace(/\[x\]/g, '')];
  const rt = scope.resource.resourceType;
  if (typeof rt === 'string' && scope.expression !== undefined && expr.startsWith(scope.expression)) {
    const inResource = `${rt}${expr.slice(scope.expression.length)}`.replace(/\[\d+\]/g, '');
    out.push(inResource.replace(/\.(modifierExtension|extension)$/, ''));
  }
  return out;
}

/** Why the extension defined by `sd` may not sit where it is, or undefined when it may (or cannot be told). */
export function contextProblem(sd: Structure, node: ElementNode, expr: string, scope: ResourceScope): string | undefined {
  const all = sd.context;
  if (all.length === 0 || all.some((c) => c.type !== 'element' || ANYWHERE.has(c.expression))) return undefined;
  const here = holderPaths(node, expr, scope);
  if (all.some((c) => here.includes(c.expression))) return undefined;
  return `Extension ${sd.url} is not allowed on ${here[here.length - 1] ?? node.path} (its context: ${all.map((c) => c.expression).join(', ')})`;
}
