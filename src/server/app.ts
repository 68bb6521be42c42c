/**
 * The Gradus service as an express 5 app: the operations, `/health`, and (when embedded) the FHIR server
 * under `/fhir`. Express stays here: it parses and checks the body, gives every request an id (response
 * header `X-Request-Id`, and in every log line), calls the plain handlers, and turns every failure into
 * an OperationOutcome with its status.
 * See: https://hl7.org/fhir/R4/http.html#mime-type; https://hl7.org/fhir/R4/operationoutcome.html
 */
import express, { type NextFunction, type Request, type Response } from 'express';
import type { OperationOutcome, Resource } from 'fhir/r4';
import { randomUUID } from 'node:crypto';
import type { FhirClient } from '../client';
import { issue, normalizeOutcome, outcome, statusOf } from '../fhir/outcome';
import { ENGINE_VERSION } from '../progression';
import type { Validator } from '../validation';
import type { EmbeddedFhirServer } from './embedded-fhir';
import { accessOf, fhirGuard, type FhirGuardOptions } from './fhir-guard';
import { mountSmartApp, type SmartAppOptions } from './smart-app';
import { maskPath, type Logger } from './logger';
import { progressInput, progressOnServer, progressPostedBundle, validateOperation, type OperationContext } from './operations';

export interface AppDeps {
  /** The FHIR server $progress reads from and writes to (the embedded one or FHIR_BASE_URL). */
  client: () => FhirClient;
  validator: Validator;
  logger: Logger;
  clock: () => Date;
  bodyLimitBytes: number;
  /** Served under /fhir when Gradus runs its own FHIR server. */
  embedded?: EmbeddedFhirServer;
  /** Host names a request may be addressed to (a service on loopback refuses others: DNS rebinding); absent, any. */
  allowedHosts?: readonly string[];
  /** `serve --auth`: the sandbox's authorization server, mounted first (at /auth and /sandbox: it parses its own bodies). */
  sandbox?: { mount(app: express.Express): void; smartConfiguration(): Record<string, unknown> };
  /** `serve --auth`: bearer tokens and SMART scopes required on /fhir. */
  fhirGuard?: FhirGuardOptions;
  /** The SMART app: launch, callback, the clinician and patient pages. */
  smartApp?: SmartAppOptions;
  /** express's `trust proxy` setting, e.g. `loopback` behind a TLS-terminating proxy on this machine. */
  trustProxy?: string;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const JSON_TYPES = ['application/fhir+json', 'application/json', 'application/json-patch+json'];
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

function send(res: Response, status: number, body: Resource, headers: Record<string, string> = {}): void {
  res.status(status).set({ 'content-type': FHIR_JSON, ...headers }).send(JSON.stringify(body));
}

const failure = (code: OperationOutcome['issue'][number]['code'], text: string): OperationOutcome => outcome([issue('error', code, text)]);

/** What body-parser's errors mean, as a status and an OperationOutcome. */
function bodyError(err: unknown, limit: number): [number, OperationOutcome] | undefined {
  const type = (err as { type?: unknown } | undefined)?.type;
  if (type === 'entity.parse.failed') return [400, failure('structure', `the body is not valid JSON: ${(err as Error).message}`)];
  if (type === 'entity.too.large') return [413, failure('too-costly', `the body is larger than the limit of ${limit} bytes`)];
  if (type === 'charset.unsupported' || type === 'encoding.unsupported') return [415, failure('not-supported', (err as Error).message)];
  return undefined;
}

/** `host[:port]` of an Origin header; undefined when it is not a URL (`null` from a sandboxed page). */
function originHost(origin: string): string | undefined {
  try {
    return new URL(origin).host;
  } catch {
    return undefined;
  }
}

/** Whether the FHIR server answers its CapabilityStatement within 3 s (what /health reports). */
async function fhirReachable(client: FhirClient): Promise<{ ok: boolean; detail: string }> {
  const timeout = new Promise<{ ok: boolean; detail: string }>((resolve) => setTimeout(() => resolve({ ok: false, detail: 'no answer within 3 s' }), 3000).unref());
  const check = client.request('GET', 'metadata').then(
    () => ({ ok: true, detail: 'CapabilityStatement read' }),
    (err: unknown) => ({ ok: false, detail: `the FHIR server failed: ${statusOf(err)}` }),
  );
  return Promise.race([check, timeout]);
}

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.set('query parser', 'simple');
  if (deps.trustProxy !== undefined) app.set('trust proxy', deps.trustProxy);
  const isResourceType = (segment: string): boolean => deps.validator.definitions.isResourceType(segment);
  const ctx = (): OperationContext => ({ client: deps.client(), validator: deps.validator, clock: deps.clock });

  app.use((req, res, next) => {
    const given = req.get('x-request-id');
    const id = given !== undefined && REQUEST_ID.test(given) ? given : randomUUID();
    res.locals.requestId = id;
    res.set('x-request-id', id);
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      deps.logger.log(res.statusCode >= 500 ? 'error' : 'info', 'request', {
        requestId: id,
        method: req.method,
        path: maskPath(req.originalUrl, isResourceType),
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      });
    });
    next();
  });

  app.use((req, res, next) => {
    if (deps.allowedHosts && !deps.allowedHosts.includes(req.hostname)) {
      return send(res, 403, failure('forbidden', `requests addressed to host '${req.hostname}' are refused: this service answers on ${deps.allowedHosts.join(', ')}`));
    }
    // A browser page from another origin must not make this service write (it holds the FHIR server's token).
    const origin = req.get('origin');
    if (origin !== undefined && req.method !== 'GET' && req.method !== 'HEAD' && originHost(origin) !== req.get('host')) {
      return send(res, 403, failure('forbidden', 'cross-origin requests are refused'));
    }
    next();
  });

  deps.sandbox?.mount(app);
  if (deps.smartApp) mountSmartApp(app, deps.smartApp);
  const sandbox = deps.sandbox;
  if (sandbox) {
    app.get('/fhir/.well-known/smart-configuration', (_req, res) => {
      res.set({ 'content-type': 'application/json; charset=utf-8', 'cache-control': 'public, max-age=300' }).send(JSON.stringify(sandbox.smartConfiguration()));
    });
  }

  app.use(['/fhir', '/health'], (req, res, next) => {
    const hasBody = Number(req.get('content-length') ?? 0) > 0 || req.get('transfer-encoding') !== undefined;
    if (!hasBody || req.is(JSON_TYPES)) return next();
    send(res, 415, failure('not-supported', `content type '${req.get('content-type') ?? 'none'}' is not supported: send application/fhir+json`));
  });
  app.use(['/fhir', '/health'], express.json({ limit: deps.bodyLimitBytes, type: JSON_TYPES, strict: true }));
  if (deps.fhirGuard) app.use('/fhir', fhirGuard(deps.fhirGuard));

  app.get('/health', async (_req, res) => {
    const fhir = await fhirReachable(deps.client());
    const body = { status: fhir.ok ? 'pass' : 'fail', version: ENGINE_VERSION, checks: { 'fhir-server': [{ status: fhir.ok ? 'pass' : 'fail', output: fhir.detail }] } };
    res.status(fhir.ok ? 200 : 503).type('application/health+json').send(JSON.stringify(body));
  });

  app.post(/^\/fhir\/CarePlan\/([A-Za-z0-9\-.]{1,64})\/\$progress$/, async (req, res) => {
    const planId = (req.params as Record<string, string>)[0] ?? '';
    const { bundle, run } = await progressOnServer(ctx(), planId, progressInput(req.query, req.body));
    deps.logger.log('info', 'progress', { requestId: String(res.locals.requestId), orders: run.result.orders.length, committed: run.committed, dryRun: run.dryRun, attempts: run.attempts });
    send(res, 200, bundle);
  });
  app.post(/^\/fhir\/CarePlan\/\$progress$/, (req, res) => {
    send(res, 200, progressPostedBundle(ctx(), req.body, progressInput(req.query, undefined)));
  });
  app.post(/^\/fhir\/(?:([A-Z][A-Za-z]+)\/)?\$validate$/, (req, res) => {
    const type = (req.params as Record<string, string | undefined>)[0];
    const profile = typeof req.query.profile === 'string' ? req.query.profile : undefined;
    send(res, 200, validateOperation(ctx(), req.body, { ...(type !== undefined ? { type } : {}), ...(profile !== undefined ? { profile } : {}) }));
  });

  const embedded = deps.embedded;
  if (embedded) {
    app.use('/fhir', async (req, res) => {
      const baseUrl = `${req.protocol}://${req.get('host') ?? 'localhost'}/fhir`;
      const access = accessOf(res);
      const answer = await embedded.handle({ method: req.method, url: access?.url ?? req.url, body: req.body, headers: req.headers, baseUrl });
      if (!access?.filterResponse || answer.status >= 300) return send(res, answer.status, answer.body, answer.headers);
      const filtered = await access.filterResponse(answer.body);
      if (filtered instanceof Error) throw filtered;
      send(res, answer.status, filtered, answer.headers);
    });
  }

  app.use((req, res) => {
    send(res, 404, failure('not-found', `no route for ${req.method} ${maskPath(req.path, isResourceType)}`));
  });

  app.use((err: unknown, _req: Request, res: Response, next: NextFunction) => {
    if (res.headersSent) return next(err);
    const known = bodyError(err, deps.bodyLimitBytes);
    if (known) return send(res, known[0], known[1]);
    const status = statusOf(err);
    if (status >= 500) deps.logger.log('error', 'failure', { requestId: String(res.locals.requestId), status, error: err instanceof Error ? err.name : 'unknown' });
    send(res, status, normalizeOutcome(err));
  });
  return app;
}
