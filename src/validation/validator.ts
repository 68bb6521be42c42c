/**
 * The validator: one Definitions registry and Terminology, and a fresh run per call that collects every
 * issue into an OperationOutcome. Malformed input and internal failures become issues, never throws.
 * See: https://hl7.org/fhir/R4/resource-operation-validate.html
 */
import type { OperationOutcome } from 'fhir/r4';
import { isJsonObject } from '../fhir/json';
import { outcome } from '../fhir/outcome';
import type { BundleIndex, ResourceScope, Run } from './context';
import { Definitions, type DefinitionsOptions, type Json } from './definitions';
import { IssueSink } from './issues';
import { bundleIndexOf, validateResource, walkResource, type ProfileRequest } from './resource';
import { Terminology } from './terminology';

export interface ValidateOptions {
  /** Canonical url of a profile to validate against instead of meta.profile (the base always applies). */
  readonly profile?: string;
}

const describe = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'a JSON array' : typeof v);

export class Validator {
  readonly definitions: Definitions;
  readonly terminology: Terminology;

  constructor(options: DefinitionsOptions = {}) {
    this.definitions = new Definitions(options);
    this.terminology = new Terminology(this.definitions);
  }

  validate(resource: unknown, options: ValidateOptions = {}): OperationOutcome {
    const issues = new IssueSink();
    try {
      this.run(resource, options, issues);
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      issues.error('exception', `The validator failed on this input: ${message}`);
    }
    return outcome(issues.issues);
  }

  private run(resource: unknown, options: ValidateOptions, issues: IssueSink): void {
    if (!isJsonObject(resource)) {
      issues.error('structure', `The input is not a FHIR resource: expected a JSON object, found ${describe(resource)}`);
      return;
    }
    const rt = resource.resourceType;
    if (typeof rt !== 'string' || !this.definitions.isResourceType(rt)) {
      const what = typeof rt === 'string' ? `unknown resourceType '${rt}'` : 'no resourceType';
      issues.error('structure', `The input is not a FHIR R4 resource: ${what}`);
      return;
    }
    let request: ProfileRequest | undefined;
    let entryProfiles: (r: Json) => readonly string[] = () => [];
    const bundleIndexes = new WeakMap<object, BundleIndex>();
    if (options.profile !== undefined) {
      const target = this.definitions.structure(options.profile);
      if (rt === 'Bundle' && target && target.type !== 'Bundle') {
        const index = bundleIndexOf({ bundleIndexes }, resource);
        const entries = [...index.fullUrlOf.keys(), ...index.byTypeAndId.values()];
        if (!entries.some((e) => e.resourceType === target.type)) {
          issues.error('not-found', `Profile ${options.profile} constrains ${target.type}, and the Bundle has no ${target.type} entry`, 'Bundle');
        }
        const url = options.profile;
        entryProfiles = (r) => (r.resourceType === target.type ? [url] : []);
      } else {
        request = { urls: [options.profile], explicit: true };
      }
    }
    const run = this.newRun(issues, entryProfiles, bundleIndexes);
    validateResource(run, resource, rt, {}, request);
  }

  private newRun(issues: IssueSink, entryProfiles: (r: Json) => readonly string[], bundleIndexes: WeakMap<object, BundleIndex>): Run {
    const conformance = new WeakMap<Json, Map<string, boolean>>();
    const run: Run = {
      defs: this.definitions,
      terminology: this.terminology,
      issues,
      walked: new WeakMap(),
      bundleIndexes,
      invariantResults: new WeakMap(),
      entryProfiles,
      conforms: (target, profile, scope) => {
        let known = conformance.get(target);
        if (!known) {
          known = new Map();
          conformance.set(target, known);
        }
        const hit = known.get(profile);
        if (hit !== undefined) return hit;
        known.set(profile, true);
        const s = this.definitions.structure(profile);
        if (!s) return true;
        if (s.type !== target.resourceType) {
          known.set(profile, false);
          return false;
        }
        const sub: Run = { ...run, issues: new IssueSink(), walked: new WeakMap(), invariantResults: new WeakMap() };
        const type = String(target.resourceType);
        walkResource(sub, target, s, type, { ...targetScope(target, scope), expression: type });
        const ok = sub.issues.errorCount === 0;
        known.set(profile, ok);
        return ok;
      },
    };
    return run;
  }
}

function targetScope(target: Json, from: ResourceScope): ResourceScope {
  const contained = Array.isArray(from.rootResource.contained) && from.rootResource.contained.includes(target);
  const fullUrl = from.bundle?.fullUrlOf.get(target);
  return {
    resource: target,
    rootResource: contained ? from.rootResource : target,
    ...(from.bundle ? { bundle: from.bundle } : {}),
    ...(fullUrl !== undefined ? { fullUrl } : {}),
  };
}
