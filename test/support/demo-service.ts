/** The service on an ephemeral loopback port, its embedded FHIR server seeded with the demo patients as they are in fixtures/demo. */
import { loadConfig, startService, type RunningService } from '../../src/server';

export function startDemoService(env: Record<string, string> = {}): Promise<RunningService> {
  return startService(loadConfig({ PORT: '0', LOG_LEVEL: 'silent', ...env }), { demoAsOfTimestamp: true });
}
