/**
 * The service's configuration: environment variables (and CLI flags over them) -> one typed options
 * object, checked once at start with an ajv schema; every problem is reported in one clear message.
 *
 * | variable            | default      | meaning                                                             |
 * |---------------------|--------------|---------------------------------------------------------------------|
 * | PORT                | 8080         | port to listen on (0: any free port)                                 |
 * | HOST                | 127.0.0.1    | address to bind                                                     |
 * | FHIR_BASE_URL       | (embedded)   | an external R4 server; absent: the embedded server, seeded           |
 * | FHIR_BEARER_TOKEN   |              | bearer token sent to FHIR_BASE_URL                                  |
 * | FHIR_TIMEOUT_MS     | 30000        | timeout of each request to the FHIR server                          |
 * | BODY_LIMIT_BYTES    | 5000000      | largest request body accepted (413 above)                           |
 * | GRADUS_DEMO         | true         | seed the embedded server with the demo patients (true/false)        |
 * | LOG_LEVEL           | info         | info, warn, error or silent                                         |
 */
import Ajv from 'ajv';
import { safeForToken } from '../client';

export interface ServiceConfig {
  port: number;
  host: string;
  fhirBaseUrl?: string;
  fhirBearerToken?: string;
  fhirTimeoutMs: number;
  bodyLimitBytes: number;
  demo: boolean;
  logLevel: 'info' | 'warn' | 'error' | 'silent';
}

const SCHEMA = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65535, default: 8080 },
    HOST: { type: 'string', minLength: 1, default: '127.0.0.1' },
    FHIR_BASE_URL: { type: 'string', pattern: '^https?://[^\\s/?#]+(/[^\\s?#]*)?$' },
    FHIR_BEARER_TOKEN: { type: 'string', pattern: '^[\\x21-\\x7e]+$' },
    FHIR_TIMEOUT_MS: { type: 'integer', minimum: 100, maximum: 600000, default: 30000 },
    BODY_LIMIT_BYTES: { type: 'integer', minimum: 1024, maximum: 100000000, default: 5000000 },
    GRADUS_DEMO: { type: 'boolean', default: true },
    LOG_LEVEL: { enum: ['info', 'warn', 'error', 'silent'], default: 'info' },
  },
} as const;

const KNOWN = Object.keys(SCHEMA.properties);
const HINT: Record<string, string> = {
  FHIR_BASE_URL: 'an http(s) URL without query, e.g. https://fhir.example.org/r4',
  FHIR_BEARER_TOKEN: 'a token without spaces',
};

const validateEnv = new Ajv({ allErrors: true, coerceTypes: true, useDefaults: true, strict: true }).compile(SCHEMA);

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** The configuration from an environment (only the variables above are read; empty values count as unset). */
export function loadConfig(env: Record<string, string | undefined>): ServiceConfig {
  const input: Record<string, unknown> = {};
  for (const key of KNOWN) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const raw = { ...input };
  if (!validateEnv(input)) {
    const problems = (validateEnv.errors ?? []).map((e) => {
      const name = e.instancePath.slice(1);
      const shown = name === 'FHIR_BEARER_TOKEN' ? '(hidden)' : `'${String(raw[name])}'`;
      return `${name} ${HINT[name] !== undefined ? `must be ${HINT[name]}` : (e.message ?? 'is invalid')} (got ${shown})`;
    });
    throw new ConfigError(`invalid configuration: ${problems.join('; ')}`);
  }
  const v = input as Record<string, string | number | boolean>;
  if (typeof v.FHIR_BEARER_TOKEN === 'string' && typeof v.FHIR_BASE_URL === 'string' && !safeForToken(v.FHIR_BASE_URL)) {
    throw new ConfigError(`invalid configuration: FHIR_BEARER_TOKEN would be sent in clear text: FHIR_BASE_URL must use https unless it is on this machine (got '${v.FHIR_BASE_URL}')`);
  }
  return {
    port: v.PORT as number,
    host: v.HOST as string,
    fhirTimeoutMs: v.FHIR_TIMEOUT_MS as number,
    bodyLimitBytes: v.BODY_LIMIT_BYTES as number,
    demo: v.GRADUS_DEMO as boolean,
    logLevel: v.LOG_LEVEL as ServiceConfig['logLevel'],
    ...(typeof v.FHIR_BASE_URL === 'string' ? { fhirBaseUrl: v.FHIR_BASE_URL.replace(/\/+$/, '') } : {}),
    ...(typeof v.FHIR_BEARER_TOKEN === 'string' ? { fhirBearerToken: v.FHIR_BEARER_TOKEN } : {}),
  };
}
