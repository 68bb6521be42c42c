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
 * | GRADUS_AUTH         | false        | the embedded FHIR server as a SMART sandbox EHR (`serve --auth`)     |
 * | GRADUS_DATA_DIR     | .gradus      | where the sandbox writes its backend client's private key            |
 * | GRADUS_TOKEN_TTL_SECONDS | 3600    | lifetime of the sandbox's access tokens                              |
 * | PUBLIC_URL          | (listen URL) | the service's URL as browsers reach it (SMART redirect URI base)     |
 * | SMART_CLIENT_ID     | gradus-app   | the app's client id at the EHR's authorization server                |
 * | TRUST_PROXY         | (see below)  | express `trust proxy`: which proxies' X-Forwarded-* to believe; default `loopback` when PUBLIC_URL is https |
 */
import Ajv from 'ajv';
import { LOOPBACK_HOSTNAMES, safeForToken } from '../client';

export interface ServiceConfig {
  port: number;
  host: string;
  fhirBaseUrl?: string;
  fhirBearerToken?: string;
  fhirTimeoutMs: number;
  bodyLimitBytes: number;
  demo: boolean;
  logLevel: 'info' | 'warn' | 'error' | 'silent';
  /** Run the embedded FHIR server as a SMART sandbox EHR: its own authorization server, tokens required on /fhir. */
  auth: boolean;
  dataDir: string;
  tokenTtlSeconds: number;
  publicUrl?: string;
  /** The SMART app (launch, clinician and patient pages) is on with --auth, or with an external FHIR server and SMART_CLIENT_ID. */
  smartClientId?: string;
  /** express's `trust proxy` (a TLS-terminating proxy's X-Forwarded-Proto makes the session cookie Secure). */
  trustProxy?: string;
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
    GRADUS_AUTH: { type: 'boolean', default: false },
    GRADUS_DATA_DIR: { type: 'string', minLength: 1, default: '.gradus' },
    GRADUS_TOKEN_TTL_SECONDS: { type: 'integer', minimum: 1, maximum: 86400, default: 3600 },
    PUBLIC_URL: { type: 'string', pattern: '^https?://[^\\s/?#]+$' },
    SMART_CLIENT_ID: { type: 'string', pattern: '^[\\x21-\\x7e]{1,200}$' },
    TRUST_PROXY: { type: 'string', pattern: '^[0-9A-Za-z.:/, ]{1,500}$' },
  },
} as const;

const KNOWN = Object.keys(SCHEMA.properties);
const HINT: Record<string, string> = {
  FHIR_BASE_URL: 'an http(s) URL without query, e.g. https://fhir.example.org/r4',
  FHIR_BEARER_TOKEN: 'a token without spaces',
  PUBLIC_URL: 'an http(s) origin without a path, e.g. https://gradus.example.org',
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
  if (v.GRADUS_AUTH === true && typeof v.FHIR_BASE_URL === 'string') {
    throw new ConfigError('invalid configuration: --auth makes the embedded FHIR server a SMART sandbox; with an external FHIR server (FHIR_BASE_URL) its EHR authorizes: set SMART_CLIENT_ID instead');
  }
  if (typeof v.FHIR_BASE_URL !== 'string' && !LOOPBACK_HOSTNAMES.includes(String(v.HOST)) && v.HOST !== '::1') {
    const why = v.GRADUS_AUTH === true ? 'with --auth its sandbox lets anyone sign in as a demo user (no passwords)' : 'without --auth it is open';
    throw new ConfigError(`invalid configuration: the embedded FHIR server is for trying Gradus on this machine: ${why}, so it listens on loopback only (got HOST '${String(v.HOST)}'); for a network, run Gradus against your FHIR server (FHIR_BASE_URL)`);
  }
  const smartClientId = typeof v.SMART_CLIENT_ID === 'string' ? v.SMART_CLIENT_ID : v.GRADUS_AUTH === true ? 'gradus-app' : undefined;
  return {
    auth: v.GRADUS_AUTH as boolean,
    dataDir: v.GRADUS_DATA_DIR as string,
    tokenTtlSeconds: v.GRADUS_TOKEN_TTL_SECONDS as number,
    ...(typeof v.PUBLIC_URL === 'string' ? { publicUrl: v.PUBLIC_URL } : {}),
    ...(smartClientId !== undefined ? { smartClientId } : {}),
    ...(typeof v.TRUST_PROXY === 'string' ? { trustProxy: v.TRUST_PROXY } : typeof v.PUBLIC_URL === 'string' && v.PUBLIC_URL.startsWith('https:') ? { trustProxy: 'loopback' } : {}),
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
