/**
 * `gradus serve [--port N] [--host H] [--fhir <url>] [--no-demo] [--auth]` (`npm start` runs it with --auth):
 * starts the service. Without --fhir (or FHIR_BASE_URL) it runs the embedded FHIR server seeded with the demo
 * patients, dated to today; with --auth that server is a SMART sandbox EHR (its own authorization server,
 * tokens required, a launcher page). It prints the URLs and curls to try. Stops cleanly on Ctrl-C or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, startService, type RunningService } from '../server';
import { InputError } from './read-json';

const USAGE = 'usage: gradus serve [--port N] [--host <address>] [--fhir <FHIR base URL>] [--no-demo] [--auth]';

function parse(args: string[]): Record<string, string> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: {
        port: { type: 'string' },
        host: { type: 'string' },
        fhir: { type: 'string' },
        'no-demo': { type: 'boolean', default: false },
        auth: { type: 'boolean', default: false },
      },
      allowPositionals: false,
      strict: true,
    });
  } catch (err) {
    throw new InputError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  const v = parsed.values;
  return {
    ...(v.port !== undefined ? { PORT: v.port } : {}),
    ...(v.host !== undefined ? { HOST: v.host } : {}),
    ...(v.fhir !== undefined ? { FHIR_BASE_URL: v.fhir } : {}),
    ...(v['no-demo'] === true ? { GRADUS_DEMO: 'false' } : {}),
    ...(v.auth === true ? { GRADUS_AUTH: 'true' } : {}),
  };
}

/** The start-up banner: where everything is, and two commands to try. */
export function banner(service: RunningService): string {
  const embedded = service.store !== undefined;
  const sandbox = service.sandbox;
  const lines = [
    `Gradus service    ${service.url}`,
    `FHIR server       ${service.fhirBaseUrl}${embedded ? `  (embedded, in memory; ${service.demoPatients.length} demo patients${sandbox ? '; SMART sandbox: tokens required' : ''})` : '  (external)'}`,
    `Capabilities      ${service.fhirBaseUrl}/metadata`,
    `Health            ${service.url}/health`,
  ];
  if (sandbox) {
    lines.push(
      `SMART config      ${service.fhirBaseUrl}/.well-known/smart-configuration`,
      `Sandbox launcher  ${sandbox.launcherUrl}   (open the clinician and patient pages as a demo user)`,
      `Backend client    ${sandbox.backendClient.clientId}  key ${sandbox.backendClient.keyFile}`,
    );
  } else if (service.launchUrl !== undefined) {
    lines.push(`SMART launch      ${service.launchUrl}   (register it with the EHR; redirect URI ${service.url}/callback)`);
  }
  if (service.demoPatients.length > 0) {
    const width = Math.max(...service.demoPatients.map((p) => p.story.length));
    lines.push('', 'Demo plans (progress one with POST .../CarePlan/<id>/$progress):');
    for (const p of service.demoPatients) lines.push(`  ${p.story.padEnd(width)}  ${service.fhirBaseUrl}/CarePlan/${p.planId}`);
    const first = service.demoPatients.find((p) => p.story === 'progressing') ?? service.demoPatients[0];
    if (first) {
      const auth = sandbox ? ` -H "Authorization: Bearer $TOKEN"` : '';
      lines.push('', 'Try:');
      if (sandbox) {
        lines.push(`  TOKEN=$(node bin/gradus.cjs token --server ${service.fhirBaseUrl} --client-id ${sandbox.backendClient.clientId} --key ${sandbox.backendClient.keyFile})`);
      }
      lines.push(
        `  curl -s -X POST${auth} '${service.fhirBaseUrl}/CarePlan/${first.planId}/$progress'`,
        `  curl -s${auth} '${service.fhirBaseUrl}/Provenance?target=CarePlan/${first.planId}'`,
      );
    }
  }
  lines.push('', 'Ctrl-C stops the service.', '');
  return lines.join('\n');
}

/** Runs until SIGINT or SIGTERM; exit code 0 after a clean stop, 2 on bad options or configuration. */
export async function serveCommand(args: string[]): Promise<number> {
  let service: RunningService;
  try {
    const config = loadConfig({ ...process.env, ...parse(args) });
    service = await startService(config);
  } catch (err) {
    if (err instanceof InputError || err instanceof ConfigError) {
      process.stderr.write(`gradus serve: ${err.message}\n`);
      return 2;
    }
    throw err;
  }
  process.stdout.write(banner(service));
  await new Promise<void>((resolve) => {
    const stop = (): void => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await service.close();
  process.stdout.write('Gradus service stopped.\n');
  return 0;
}
