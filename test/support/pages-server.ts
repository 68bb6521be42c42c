/**
 * The pages (staticRoutes and webRoutes, mounted as the SMART app mounts them) on an ephemeral loopback port
 * in front of the demo service's embedded FHIR server, for the route tests in src/web: the clock at DEMO_NOW,
 * dateTimes written at UTC+01:00, and requireSmart stood in for by test headers naming the launch's patient and
 * user. `servePages` registers the beforeAll/afterAll that start and stop both; `call` sends a GET, or with a
 * form a POST carrying the session's csrf token, and returns status, body, Location and headers.
 */
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FhirClient } from '../../src/client';
import type { RunningService } from '../../src/server';
import type { Validator } from '../../src/validation';
import { staticRoutes, webRoutes } from '../../src/web';
import type { SmartContext } from '../../src/web/smart-context';
import { DEMO_NOW } from './demo-patients';
import { startDemoService } from './demo-service';

/** The csrf token of every test session (the pages' forms carry it; `call` sends it with each form). */
export const CSRF = 'csrf-token-of-the-test-session';

export interface Page {
  status: number;
  body: string;
  location: string | null;
  headers: Headers;
}

export interface ServedPages {
  /** The demo service (its embedded FHIR server and store). */
  readonly service: RunningService;
  /** A client of the service's FHIR server, also the pages' own. */
  readonly fhir: FhirClient;
  /** The pages' origin, http://127.0.0.1:<port>. */
  readonly base: string;
  /** GET `path`, or POST `form` (with the csrf token) to it, as `user` in a launch for `patient`; no patient: no SMART session. */
  readonly call: (path: string, patient: string | undefined, form?: Record<string, string>, user?: string) => Promise<Page>;
}

export interface ServePagesOptions {
  validator: Validator;
  /** The launch's user when a call names none, e.g. the clinician, or the patient themself. */
  defaultUser(patient: string): string;
}

/** Starts the demo service and the pages before the file's tests and stops them after. */
export function servePages(options: ServePagesOptions): ServedPages {
  let running: { service: RunningService; fhir: FhirClient; server: Server; base: string } | undefined;
  const started = (): NonNullable<typeof running> => {
    if (!running) throw new Error('the pages are not serving: servePages() starts them in beforeAll');
    return running;
  };

  beforeAll(async () => {
    const service = await startDemoService();
    const fhir = new FhirClient({ baseUrl: service.fhirBaseUrl });
    const app = express();
    app.set('query parser', 'simple');
    app.use(staticRoutes());
    app.use(express.urlencoded({ extended: false, limit: '16kb' }));
    // Stands in for requireSmart: the launch's patient and user come from test headers.
    app.use((req, res, next) => {
      const patientId = req.get('x-test-patient');
      const fhirUser = req.get('x-test-user');
      if (patientId !== undefined) {
        const smart: SmartContext = { serverUrl: service.fhirBaseUrl, patientId, scopes: [], fhir, csrfToken: CSRF, ...(fhirUser !== undefined ? { fhirUser } : {}) };
        res.locals.smart = smart;
      }
      next();
    });
    app.use(webRoutes({ validator: options.validator, clock: () => new Date(DEMO_NOW), offsetMinutes: () => 60 }));
    const server = app.listen(0, '127.0.0.1');
    running = { service, fhir, server, base: '' };
    await new Promise((resolve) => server.once('listening', resolve));
    running.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    if (!running) return;
    const { server, service } = running;
    await new Promise((resolve) => server.close(resolve));
    await service.close();
  });

  return {
    get service() {
      return started().service;
    },
    get fhir() {
      return started().fhir;
    },
    get base() {
      return started().base;
    },
    call: async (path, patient, form, user) => {
      const headers: Record<string, string> = { ...(patient !== undefined ? { 'x-test-patient': patient, 'x-test-user': user ?? options.defaultUser(patient) } : {}) };
      const init: RequestInit = { headers, redirect: 'manual' };
      if (form) {
        headers['content-type'] = 'application/x-www-form-urlencoded';
        init.method = 'POST';
        init.body = new URLSearchParams({ csrf: CSRF, ...form }).toString();
      }
      const res = await fetch(`${started().base}${path}`, init);
      return { status: res.status, body: await res.text(), location: res.headers.get('location'), headers: res.headers };
    },
  };
}
