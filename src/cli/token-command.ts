/**
 * `gradus token --server <url> --client-id <id> --key <file> [--scope <s>] [--alg RS384|ES384]`: gets an
 * access token with SMART Backend Services and prints it, and only it, on stdout (by design: so a shell
 * can do `TOKEN=$(gradus token ...)`); nothing else ever prints a token. Also the credential options and
 * the failure lines shared with `gradus progress --server`.
 * See: https://hl7.org/fhir/smart-app-launch/backend-services.html
 */
import { parseArgs } from 'node:util';
import { FhirHttpError, safeForToken } from '../client';
import { normalizeOutcome } from '../fhir/outcome';
import { BACKEND_ALGS, BackendAuthError, backendTokenSource, readPrivateKey, type BackendAlg } from '../smart/backend-services';
import { InputError } from './read-json';
import { oneLine } from './summary';

const USAGE = 'usage: gradus token --server <FHIR base URL> --client-id <id> --key <private JWK or PEM file> [--scope <scopes>] [--alg RS384|ES384]';

/** The SMART Backend Services options, for parseArgs. */
export const CREDENTIAL_OPTIONS = {
  'client-id': { type: 'string' },
  key: { type: 'string' },
  scope: { type: 'string' },
  alg: { type: 'string' },
} as const;

export interface BackendCredentials {
  clientId: string;
  keyFile: string;
  scope?: string;
  alg?: BackendAlg;
}

/** The credentials in parsed options: both or neither of --client-id and --key; --scope and --alg only with them. */
export function credentialsFrom(values: { 'client-id'?: string; key?: string; scope?: string; alg?: string }): BackendCredentials | undefined {
  const { 'client-id': clientId, key, scope, alg } = values;
  if (clientId === undefined && key === undefined) {
    if (scope !== undefined || alg !== undefined) throw new InputError('--scope and --alg need --client-id and --key');
    return undefined;
  }
  if (clientId === undefined || key === undefined) throw new InputError('give both --client-id and --key (SMART Backend Services), or neither');
  if (!/^[\x21-\x7e]{1,255}$/.test(clientId)) throw new InputError('--client-id must be 1 to 255 printable characters without spaces');
  if (key.trim() === '') throw new InputError('--key needs a file');
  if (scope !== undefined && !/^[\x21-\x7e]+( [\x21-\x7e]+)*$/.test(scope)) throw new InputError('--scope must be scopes separated by single spaces');
  if (alg !== undefined && !(BACKEND_ALGS as readonly string[]).includes(alg)) throw new InputError(`--alg must be ${BACKEND_ALGS.join(' or ')}`);
  return { clientId, keyFile: key, ...(scope !== undefined ? { scope } : {}), ...(alg !== undefined ? { alg: alg as BackendAlg } : {}) };
}

/** A FhirClient token function for the credentials; the key is read and checked now (a bad key is bad input). */
export async function backendToken(server: string, credentials: BackendCredentials): Promise<() => Promise<string>> {
  if (!safeForToken(server)) throw new InputError('--server must use https unless it is on this machine (an access token is sent to it)');
  let privateKey;
  try {
    privateKey = await readPrivateKey(credentials.keyFile, credentials.alg);
  } catch (err) {
    if (err instanceof BackendAuthError) throw new InputError(`--key ${err.message}`);
    throw err;
  }
  return backendTokenSource({
    fhirBaseUrl: server,
    clientId: credentials.clientId,
    privateKey,
    ...(credentials.scope !== undefined ? { scope: credentials.scope } : {}),
  });
}

/**
 * The line and exit code for an authorization failure: 1 when the token endpoint or the FHIR server refused
 * (401/403), 2 when the server offers no backend services or could not be reached; undefined for other errors.
 */
export function authFailure(err: unknown, withCredentials: boolean): { line: string; code: number } | undefined {
  if (err instanceof BackendAuthError) return { line: oneLine(err.message), code: err.failure === 'refused' ? 1 : 2 };
  if (err instanceof FhirHttpError && (err.serverStatus === 401 || err.serverStatus === 403)) {
    const [first] = normalizeOutcome(err).issue;
    const why = oneLine(first?.diagnostics ?? first?.code ?? '');
    const hint = withCredentials ? '' : '; give --client-id and --key (SMART Backend Services) or set FHIR_BEARER_TOKEN';
    return { line: `the FHIR server refused the request (HTTP ${err.serverStatus})${why ? `: ${why}` : ''}${hint}`, code: 1 };
  }
  return undefined;
}

/** Runs `gradus token`; returns the exit code (0 printed a token, 1 refused, 2 bad input or no usable server). */
export async function tokenCommand(args: string[]): Promise<number> {
  try {
    let parsed;
    try {
      parsed = parseArgs({ args, options: { server: { type: 'string' }, ...CREDENTIAL_OPTIONS }, allowPositionals: false, strict: true });
    } catch (err) {
      throw new InputError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
    }
    const { server } = parsed.values;
    if (server === undefined || !/^https?:\/\/[^\s/?#]+/.test(server)) throw new InputError('--server needs an http(s) URL');
    const credentials = credentialsFrom(parsed.values);
    if (credentials === undefined) throw new InputError('give --client-id and --key');
    const token = await (await backendToken(server, credentials))();
    process.stdout.write(`${token}\n`);
    return 0;
  } catch (err) {
    if (err instanceof InputError) {
      process.stderr.write(`gradus token: ${err.message}\n`);
      return 2;
    }
    const failure = authFailure(err, true);
    if (failure) {
      process.stderr.write(`gradus token: ${failure.line}\n`);
      return failure.code;
    }
    process.stderr.write(`gradus token: internal error: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    return 2;
  }
}
