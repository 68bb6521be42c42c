/**
 * A real HTTP proxy in front of a FHIR server that breaks chosen requests, for the failures a healthy
 * server will not produce on demand: an error before the server sees the request, a connection cut
 * after the server applied it (the client never learns the outcome), or no answer at all.
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Fault =
  /** Answer 500 with an OperationOutcome; the server never sees the request. */
  | 'error-before'
  /** Forward, let the server apply it, then cut the connection instead of answering. */
  | 'cut-after'
  /** Never forward and never answer (the client times out). */
  | 'hang-before'
  /** Forward, let the server apply it, then never answer. */
  | 'hang-after';

export interface FaultProxy {
  /** The proxy's URL for the target's FHIR base (same path). */
  baseUrl: string;
  /** Breaks the next requests matching `match` (default: writes), the i-th with faults[i] ('pass' lets one through). */
  breakRequests(faults: (Fault | 'pass')[], match?: (method: string, url: string) => boolean): void;
  /** Method and path of every request seen, in order. */
  seen: string[];
  /** The Authorization header of every request seen, in order. */
  authorizations: (string | undefined)[];
  close(): Promise<void>;
}

const isWrite = (method: string): boolean => method !== 'GET' && method !== 'HEAD';

export async function startFaultProxy(targetBaseUrl: string): Promise<FaultProxy> {
  const target = new URL(targetBaseUrl);
  let plan: { faults: (Fault | 'pass')[]; match: (method: string, url: string) => boolean } | undefined;
  const seen: string[] = [];
  const authorizations: (string | undefined)[] = [];
  const hanging = new Set<ServerResponse>();

  const forward = (req: IncomingMessage, body: Buffer): Promise<{ status: number; headers: Record<string, string>; body: Buffer }> =>
    new Promise((resolve, reject) => {
      const upstream = request(
        { host: target.hostname, port: target.port, method: req.method, path: req.url, headers: { ...req.headers, host: target.host } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const headers: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) if (typeof v === 'string') headers[k] = v;
            resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
          });
        },
      );
      upstream.on('error', reject);
      upstream.end(body);
    });

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const method = req.method ?? 'GET';
      const url = req.url ?? '/';
      seen.push(`${method} ${url.split('?')[0] ?? ''}`);
      authorizations.push(req.headers.authorization);
      let fault: Fault | 'pass' | undefined;
      if (plan && plan.match(method, url)) fault = plan.faults.shift();
      const body = Buffer.concat(chunks);
      if (fault === 'error-before') {
        res.writeHead(500, { 'content-type': 'application/fhir+json' });
        res.end(JSON.stringify({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception', diagnostics: 'injected fault' }] }));
        return;
      }
      if (fault === 'hang-before') {
        hanging.add(res);
        return;
      }
      forward(req, body).then(
        (answer) => {
          if (fault === 'cut-after') res.socket?.destroy();
          else if (fault === 'hang-after') hanging.add(res);
          else res.writeHead(answer.status, answer.headers).end(answer.body);
        },
        () => res.socket?.destroy(),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    baseUrl: `http://127.0.0.1:${port}${target.pathname.replace(/\/+$/, '')}`,
    seen,
    authorizations,
    breakRequests(faults, match = (method) => isWrite(method)) {
      plan = { faults: [...faults], match };
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.socket?.destroy();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
