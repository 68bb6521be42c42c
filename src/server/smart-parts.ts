/**
 * The SMART side of a starting service, from its configuration: with `--auth`, the sandbox EHR (oidc-provider
 * as the embedded FHIR server's authorization server, the demo clinician seeded, tokens required on /fhir);
 * with `--auth` or SMART_CLIENT_ID, the SMART app (launch, callback, pages) against the FHIR server.
 * See: https://hl7.org/fhir/smart-app-launch/
 */
import { resolve } from 'node:path';
import { startSandboxAuth } from '../sandbox';
import { SessionStore, storeReader } from '../smart';
import type { Validator } from '../validation';
import type { AppDeps } from './app';
import type { ServiceConfig } from './config';
import { DEMO_CLINICIAN, type DemoPatient } from './demo-seed';
import type { EmbeddedFhirServer } from './embedded-fhir';
import type { FhirStore } from './fhir-store';
import type { Logger } from './logger';
import type { SandboxInfo } from './start';

export interface SmartPartsInput {
  config: ServiceConfig;
  store: FhirStore | undefined;
  embedded: EmbeddedFhirServer | undefined;
  demoPatients: DemoPatient[];
  /** The service's URL as browsers reach it. */
  publicUrl: string;
  /** The FHIR base URL as launches name it (`iss`). */
  fhirBaseUrl: string;
  logger: Logger;
  validator: Validator;
  clock: () => Date;
}

export interface SmartParts {
  app: Pick<AppDeps, 'sandbox' | 'fhirGuard' | 'smartApp'>;
  sandbox?: SandboxInfo;
  close(): Promise<void>;
}

export async function smartParts(input: SmartPartsInput): Promise<SmartParts> {
  const { config, store, embedded, publicUrl, fhirBaseUrl, logger } = input;
  const app: SmartParts['app'] = {};
  let sandbox: SandboxInfo | undefined;
  let close = async (): Promise<void> => {};
  if (config.auth && store && embedded) {
    await store.seed([DEMO_CLINICIAN]);
    const auth = await startSandboxAuth({
      publicUrl,
      fhirBaseUrl,
      appClientId: config.smartClientId ?? 'gradus-app',
      patients: input.demoPatients.map((p) => ({ id: p.patientId, name: p.name })),
      dataDir: resolve(config.dataDir),
      accessTokenTtlSeconds: config.tokenTtlSeconds,
      logger,
    });
    const endpoints = auth.smartConfiguration();
    embedded.security = {
      authorize: String(endpoints.authorization_endpoint),
      token: String(endpoints.token_endpoint),
      ...(typeof endpoints.revocation_endpoint === 'string' ? { revoke: endpoints.revocation_endpoint } : {}),
      ...(typeof endpoints.introspection_endpoint === 'string' ? { introspect: endpoints.introspection_endpoint } : {}),
    };
    app.sandbox = auth;
    app.fhirGuard = { verify: (token) => auth.verify(token), read: storeReader(store) };
    sandbox = { launcherUrl: `${publicUrl}/sandbox`, issuer: auth.issuer, backendClient: auth.backendClient };
    close = () => auth.close();
  }
  if (config.smartClientId !== undefined) {
    app.smartApp = {
      smart: {
        publicUrl,
        clientId: config.smartClientId,
        issuers: [fhirBaseUrl],
        sessions: new SessionStore(),
        logger,
        ...(sandbox ? { launcherUrl: '/sandbox' } : {}),
      },
      web: { validator: input.validator, clock: input.clock, logger },
    };
  }
  return { app, ...(sandbox ? { sandbox } : {}), close };
}
