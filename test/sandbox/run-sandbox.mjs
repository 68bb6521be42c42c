// The sandbox authorization server alone, for test/sandbox/*.test.ts (oidc-provider cannot load inside jest):
// express on an ephemeral loopback port with the compiled startSandboxAuth mounted, a stand-in /callback and
// /launch for the app, the SMART configuration under /fhir, and a test-only /test-only/verify route that
// answers verify() for the bearer token. Prints {url, keyFile, users} as one JSON line on stdout when ready.
// Env: SANDBOX_DATA_DIR (required), SANDBOX_TTL_SECONDS (default 3600), SANDBOX_DIST (default ../../dist).
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { resolve } from 'node:path';

const require = createRequire(import.meta.url);
const dist = resolve(import.meta.dirname, process.env.SANDBOX_DIST ?? '../../dist');
const express = require('express');
const { startSandboxAuth } = require(resolve(dist, 'sandbox/index.js'));
const { jsonLogger } = require(resolve(dist, 'server/logger.js'));

const dataDir = process.env.SANDBOX_DATA_DIR;
if (!dataDir) throw new Error('SANDBOX_DATA_DIR is required');

const app = express();
const server = createServer(app);
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const url = `http://127.0.0.1:${server.address().port}`;

const auth = await startSandboxAuth({
  publicUrl: url,
  fhirBaseUrl: `${url}/fhir`,
  appClientId: 'gradus-app',
  patients: [
    { id: 'amara', name: 'Amara Okafor' },
    { id: 'ben', name: 'Ben <b>Hale</b> & "co"' },
  ],
  dataDir,
  accessTokenTtlSeconds: Number(process.env.SANDBOX_TTL_SECONDS ?? 3600),
  // Every log line goes to stderr so that the tests can check what the logs hold.
  logger: jsonLogger('info', (line) => process.stderr.write(line)),
});

auth.mount(app);
app.get('/fhir/.well-known/smart-configuration', (_req, res) => res.json(auth.smartConfiguration()));
app.get('/launch', (_req, res) => res.type('text/plain').send('the app would launch here'));
app.get('/callback', (_req, res) => res.type('text/plain').send('the app would finish the launch here'));
// Test only: what verify() says of the bearer token (the product's /fhir guard calls verify itself).
app.get('/test-only/verify', async (req, res) => {
  const token = /^Bearer (.+)$/.exec(req.get('authorization') ?? '')?.[1] ?? '';
  const context = await auth.verify(token);
  res.status(context ? 200 : 401).json(context ?? { active: false });
});

const shutdown = async () => {
  await auth.close();
  server.closeAllConnections();
  server.close(() => process.exit(0));
};
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);

process.stdout.write(`${JSON.stringify({ url, keyFile: auth.backendClient.keyFile, users: auth.users })}\n`);
