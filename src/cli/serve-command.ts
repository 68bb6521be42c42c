/**
 * `gradus serve [--port N] [--host H] [--fhir <url>] [--no-demo]` (what `npm start` runs): starts the
 * service. Without --fhir (or FHIR_BASE_URL) it runs the embedded FHIR server seeded with the demo
 * patients, dated to today, and prints the URLs and a curl to try. Stops cleanly on Ctrl-C or SIGTERM.
 */
import { parseArgs } from 'node:util';
import { ConfigError, loadConfig, startService, type RunningService } from '../server';
import { InputError } from './read-json';

const USAGE = 'usage: gradus serve [--port N] [--host <address>] [--fhir <FHIR base URL>] [--no-demo]';

function parse(args: string[]): Record<string, string> {
  let parsed;
  try {
    parsed = parseArgs({
      args,
      options: { port: { type: 'string' }, host: { type: 'string' }, fhir: { type: 'string' }, 'no-demo': { type: 'boolean', default: false } },
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
  };
}

/** The start-up banner: where everything is, and two commands to try. */
export function banner(service: RunningService): string {
  const embedded = service.store !== undefined;
  const lines = [
    `Gradus service    ${service.url}`,
    `FHIR server       ${service.fhirBaseUrl}${embedded ? `  (embedded, in memory; ${service.demoPatients.length} demo patients)` : '  (external)'}`,
    `Capabilities      ${service.fhirBaseUrl}/metadata`,
    `Health            ${service.url}/health`,
  ];
  if (service.demoPatients.length > 0) {
    const width = Math.max(...service.demoPatients.map((p) => p.story.length));
    lines.push('', 'Demo plans (progress one with POST .../CarePlan/<id>/$progress):');
    for (const p of service.demoPatients) lines.push(`  ${p.story.padEnd(width)}  ${service.fhirBaseUrl}/CarePlan/${p.planId}`);
    const first = service.demoPatients.find((p) => p.story === 'progressing') ?? service.demoPatients[0];
    if (first) {
      lines.push(
        '',
        'Try:',
        `  curl -s -X POST '${service.fhirBaseUrl}/CarePlan/${first.planId}/$progress'`,
        `  curl -s '${service.fhirBaseUrl}/Provenance?target=CarePlan/${first.planId}'`,
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
