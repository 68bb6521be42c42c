/**
 * The embedded server's CapabilityStatement: every R4 resource type (from the definitions Medplum's router
 * indexed at start) with the interactions the router
 * serves, our profiles as supportedProfile on the types they constrain, the searches Gradus relies on,
 * transaction and batch, and the Gradus operations ($progress, $validate).
 * See: https://hl7.org/fhir/R4/capabilitystatement.html
 */
import { getResourceTypes } from '@medplum/core';
import type { CapabilityStatement, CapabilityStatementRestResource } from 'fhir/r4';
import { CANONICAL_BASE, FHIR_VERSION, PROFILE } from '../fhir/codes';
import { ENGINE_VERSION } from '../progression';
import { PROGRESS_OPERATION } from './progress-operation';

const INTERACTIONS = ['read', 'vread', 'update', 'patch', 'delete', 'history-instance', 'create', 'search-type'] as const;

/** Our profiles by the resource type they constrain. */
const PROFILES_BY_TYPE: Record<string, string[]> = {
  CarePlan: [PROFILE.exercisePlan],
  ServiceRequest: [PROFILE.exerciseOrder],
  Observation: [PROFILE.exerciseSession, PROFILE.dailyCheckIn, PROFILE.painScore, PROFILE.symptomAlert, PROFILE.toleranceTest],
  Goal: [PROFILE.exerciseGoal],
  Provenance: [PROFILE.progressionProvenance],
};

/** The searches Gradus itself sends, per type (the router supports the other R4 search parameters too). */
const SEARCHES: Record<string, [string, NonNullable<CapabilityStatementRestResource['searchParam']>[number]['type']][]> = {
  CarePlan: [['category', 'token'], ['status', 'token'], ['subject', 'reference']],
  ServiceRequest: [['based-on', 'reference'], ['subject', 'reference'], ['status', 'token']],
  Observation: [['subject', 'reference'], ['code', 'token'], ['date', 'date']],
  Provenance: [['target', 'reference'], ['_tag', 'token']],
};

const VALIDATE_OPERATION = 'http://hl7.org/fhir/OperationDefinition/Resource-validate';

function resourceEntry(type: string): CapabilityStatementRestResource {
  const entry: CapabilityStatementRestResource = {
    type: type as CapabilityStatementRestResource['type'],
    interaction: INTERACTIONS.map((code) => ({ code })),
    versioning: 'versioned-update',
    readHistory: true,
    updateCreate: true,
    conditionalCreate: true,
    conditionalUpdate: true,
  };
  const profiles = PROFILES_BY_TYPE[type];
  if (profiles) entry.supportedProfile = profiles;
  const searches = SEARCHES[type];
  if (searches) entry.searchParam = searches.map(([name, kind]) => ({ name, type: kind }));
  if (type === 'CarePlan') entry.operation = [{ name: 'progress', definition: PROGRESS_OPERATION }];
  return entry;
}

/** The OAuth endpoints of a SMART-protected server. See: https://hl7.org/fhir/smart-app-launch/conformance.html */
export interface SmartSecurity {
  authorize: string;
  token: string;
  revoke?: string;
  introspect?: string;
}

/** `rest.security` of a SMART-protected server: the SMART-on-FHIR service code and the oauth-uris extension. */
function security(smart: SmartSecurity): NonNullable<CapabilityStatement['rest']>[number]['security'] {
  const uris = Object.entries(smart).map(([url, valueUri]) => ({ url, valueUri: String(valueUri) }));
  return {
    cors: false,
    service: [{ coding: [{ system: 'http://terminology.hl7.org/CodeSystem/restful-security-service', code: 'SMART-on-FHIR' }] }],
    description: 'SMART App Launch 2 (authorization code with PKCE, client credentials with private_key_jwt); bearer tokens required; patient scopes confine requests to the launch patient.',
    extension: [{ url: 'http://fhir-registry.smarthealthit.org/StructureDefinition/oauth-uris', extension: uris }],
  };
}

export function capabilityStatement(baseUrl: string, smart?: SmartSecurity): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: '2026-12-04',
    kind: 'instance',
    software: { name: 'Gradus embedded FHIR server (Medplum fhir-router 4.5.2, in memory)', version: ENGINE_VERSION },
    implementation: { description: 'Gradus embedded FHIR server', url: baseUrl },
    fhirVersion: FHIR_VERSION,
    format: ['application/fhir+json', 'json'],
    implementationGuide: [`${CANONICAL_BASE}/ImplementationGuide/gradus.fhir.exercise`],
    rest: [
      {
        mode: 'server',
        ...(smart ? { security: security(smart) } : {}),
        documentation:
          'Writes that claim a Gradus profile in meta.profile are validated against it (400 with the OperationOutcome when invalid). ' +
          'Transactions are atomic. _include and _revinclude are not supported. A transaction holding a conditional create (ifNoneExist) ' +
          'or a conditional update may have at most 8 entries (Medplum).',
        resource: [...getResourceTypes()].sort().map(resourceEntry),
        interaction: [{ code: 'transaction' }, { code: 'batch' }],
        operation: [{ name: 'validate', definition: VALIDATE_OPERATION }],
      },
    ],
  };
}
