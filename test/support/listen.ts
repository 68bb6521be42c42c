/** Throwaway HTTP servers on 127.0.0.1 for tests that call real endpoints over the loopback interface. */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** `app` (an express app or any request listener) on an ephemeral port: the server and its base URL. */
export async function listenLocal(app: RequestListener): Promise<{ server: Server; url: string }> {
  const server = createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** The base URL of a port nothing listens on (taken, then released): a connection to it is refused. */
export async function closedLocalUrl(): Promise<string> {
  const { server, url } = await listenLocal(() => undefined);
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return url;
}
