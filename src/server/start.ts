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

export interface StartOptions {
  logger?: Logger;
  clock?: () => Date;
  /** Seed the demo patients as they are in fixtures/demo (at their timestamps) instead of moved to today. */
  demoAsOfTimestamp?: boolean;
}

export interface RunningService {
  /** `http://host:port` */
  url: string;
  /** The FHIR server $progress works against. */
  fhirBaseUrl: string;
  /** Set when the service runs the embedded FHIR server. */
  store?: FhirStore;
  demoPatients: DemoPatient[];
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
  // The client needs the port the server got, so it is made once listening.
  const host = config.host.includes(':') ? `[${config.host}]` : config.host;
  const target: { client?: FhirClient } = {};
  const embedded = store ? new EmbeddedFhirServer(store) : undefined;
  const app = createApp({
    client: () => {
      if (!target.client) throw new Error('the service is not listening yet');
      return target.client;
    },
    validator,
    logger,
    clock,
    bodyLimitBytes: config.bodyLimitBytes,
    ...(embedded ? { embedded } : {}),
    ...(LOOPBACK_HOSTNAMES.includes(host) ? { allowedHosts: LOOPBACK_HOSTNAMES } : {}),
  });
  const server = createServer(app);
  server.keepAliveTimeout = 5_000;
  const port = await listen(server, config.port, config.host);
  const url = `http://${host}:${port}`;
  const fhirBaseUrl = config.fhirBaseUrl ?? `${url}/fhir`;
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
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
