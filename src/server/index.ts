/**
 * The Gradus service and the embedded FHIR server. In come HTTP requests (FHIR REST, the Gradus
 * operations) and configuration; out go FHIR resources and OperationOutcomes. The only door to src/server.
 */
export { startService, type RunningService, type StartOptions } from './start';
export { loadConfig, ConfigError, type ServiceConfig } from './config';
export { createApp, type AppDeps } from './app';
export { EmbeddedFhirServer, type FhirHttpRequest, type FhirHttpResponse } from './embedded-fhir';
export { FhirStore, claimsGradusProfile, type FhirStoreOptions } from './fhir-store';
export { seedDemo, shiftDates, shiftDate, daysSince, namespaceObservations, DEMO_CLINICIAN, DEMO_DIR, type DemoPatient } from './demo-seed';
export { jsonLogger, maskPath, type Logger, type Level } from './logger';
export { capabilityStatement } from './capability';
export { PROGRESS_OPERATION, progressOperationDefinition } from './progress-operation';
