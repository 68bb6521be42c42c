/**
 * Starts the Gradus service: with FHIR_BASE_URL it works against that server; without, it runs the
 * embedded FHIR server (seeded with the demo patients unless told not to) and works against it over HTTP,
 * exactly as it would against a remote one.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { FhirClient, LOOPBACK_HOSTNAMES } from '../client';
import { Validator } from '../validation';
import { createApp } from './app';
import { ConfigError, type ServiceConfig } from './config';
import { seedDemo, type DemoPatient } from './demo-seed';
import { EmbeddedFhirServer } from './embedded-fhir';
import { embeddedFetch } from './embedded-fetch';
import { FhirStore } from './fhir-store';
import { progressOperationDefinition } from './progress-operation';
import { jsonLogger, type Logger } from './logger';
import { smartParts } from './smart-parts';

export interface StartOptions {
  logger?: Logger;
  clock?: () => Date;
  /** Seed the demo patients as they are in fixtures/demo (at their timestamps) instead of moved to today. */
  demoAsOfTimestamp?: boolean;
}

/** `serve --auth`: where to try the sandbox EHR. */
export interface SandboxInfo {
  /** The launcher page: open the pages as the demo clinician or a demo patient. */
  launcherUrl: string;
  /** The authorization server's issuer. */
  issuer: string;
  /** The registered SMART Backend Services client (`gradus progress --all`, `gradus token`). */
  backendClient: { clientId: string; keyFile: string };
}

export interface RunningService {
  /** `http://host:port` */
  url: string;
  /** The FHIR server $progress works against. */
  fhirBaseUrl: string;
  /** Set when the service runs the embedded FHIR server. */
  store?: FhirStore;
  demoPatients: DemoPatient[];
  /** Set with `--auth`. */
  sandbox?: SandboxInfo;
  /** Set when the SMART app (launch and pages) is on. */
  launchUrl?: string;
  close(): Promise<void>;
}

function listen(server: Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'EADDRINUSE') reject(new ConfigError(`port ${port} on ${host} is already in use: choose another with --port or PORT`));
      else if (err.code === 'EACCES') reject(new ConfigError(`no permission to listen on ${host}:${port}: choose a port above 1023`));
      else if (err.code === 'EADDRNOTAVAIL') reject(new ConfigError(`${host} is not an address of this machine (HOST)`));
      else reject(err);
    });
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startService(config: ServiceConfig, options: StartOptions = {}): Promise<RunningService> {
  const logger = options.logger ?? jsonLogger(config.logLevel);
  const clock = options.clock ?? ((): Date => new Date());
  const validator = new Validator();
  let store: FhirStore | undefined;
  let demoPatients: DemoPatient[] = [];
  if (config.fhirBaseUrl === undefined) {
    store = new FhirStore({ validator });
    await store.seed([progressOperationDefinition]);
    if (config.demo) demoPatients = await seedDemo(store, { clock: clock(), asOfTimestamp: options.demoAsOfTimestamp === true });
  }
  // The port is known only once listening, and the SMART parts need the service's URL: listen first, then build the app.
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const target: { client?: FhirClient } = {};
  const embedded = store ? new EmbeddedFhirServer(store) : undefined;
  const server = createServer();
  server.keepAliveTimeout = 5_000;
  const port = await listen(server, config.port, config.host);
  const url = `http://${host}:${port}`;
  const publicUrl = config.publicUrl ?? url;
  const fhirBaseUrl = config.fhirBaseUrl ?? `${url}/fhir`;
  const smart = await smartParts({ config, store, embedded, demoPatients, publicUrl, fhirBaseUrl: config.fhirBaseUrl ?? `${publicUrl}/fhir`, logger, validator, clock });
  const app = createApp({
    client: () => {
      if (!target.client) throw new Error('the service is not listening yet');
      return target.client;
    },
    validator,
    logger,
    clock,
    bodyLimitBytes: config.bodyLimitBytes,
    ...(config.trustProxy !== undefined ? { trustProxy: config.trustProxy } : {}),
    ...(embedded ? { embedded } : {}),
    ...(LOOPBACK_HOSTNAMES.includes(host) ? { allowedHosts: [...LOOPBACK_HOSTNAMES, ...(config.publicUrl !== undefined ? [new URL(config.publicUrl).hostname] : [])] } : {}),
    ...smart.app,
  });
  server.on('request', app);
  target.client = new FhirClient({
    baseUrl: fhirBaseUrl,
    timeoutMs: config.fhirTimeoutMs,
    ...(embedded ? { fetch: embeddedFetch(embedded, fhirBaseUrl) } : {}),
    ...(config.fhirBearerToken !== undefined ? { token: config.fhirBearerToken } : {}),
  });
  logger.log('info', 'listening', { url, fhir: config.fhirBaseUrl === undefined ? 'embedded' : 'external' });
  return {
    url,
    fhirBaseUrl,
    ...(store ? { store } : {}),
    demoPatients,
    ...(smart.sandbox ? { sandbox: smart.sandbox } : {}),
    ...(smart.app.smartApp ? { launchUrl: `${publicUrl}/launch` } : {}),
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      });
      await smart.close();
    },
  };
}
