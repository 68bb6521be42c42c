/**
 * A `fetch` that hands requests for the embedded FHIR server straight to it, in process: the service's
 * FhirClient talks to its own embedded server through the same requests, statuses and headers as over
 * the network, without a loopback TCP round trip and a second pass through express for each of them.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { EmbeddedFhirServer } from './embedded-fhir';

export function embeddedFetch(server: EmbeddedFhirServer, baseUrl: string): typeof fetch {
  const base = new URL(baseUrl);
  return async (input, init) => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    if (url.origin !== base.origin || !url.pathname.startsWith(base.pathname)) {
      throw new TypeError(`fetch failed: ${url.origin} is not the embedded FHIR server`);
    }
    const headers: IncomingHttpHeaders = {};
    new Headers(init?.headers).forEach((value, key) => (headers[key] = value));
    const text = typeof init?.body === 'string' ? init.body : undefined;
    const answer = await server.handle({
      method: init?.method ?? 'GET',
      url: `${url.pathname.slice(base.pathname.length) || '/'}${url.search}`,
      body: text === undefined ? undefined : (JSON.parse(text) as unknown),
      headers,
      baseUrl,
    });
    return new Response(JSON.stringify(answer.body), {
      status: answer.status,
      headers: { ...answer.headers, 'content-type': 'application/fhir+json; charset=utf-8' },
    });
  };
}
