/**
 * The `gradus` command. Each subcommand returns an exit code: 0 ok, 1 findings (e.g. validation
 * errors), 2 bad input or usage. Bad input is one clear line on stderr, never a stack trace.
 */
import { demoCommand } from './demo-command';
import { progressCommand } from './progress-command';
import { serveCommand } from './serve-command';
import { tokenCommand } from './token-command';
import { validateCommand } from './validate-command';

export type Command = (args: string[]) => Promise<number>;

const USAGE = `usage: gradus <command> [options]
  validate <file|dir>...                        validate FHIR JSON against the Gradus profiles
  progress <bundle.json> [--now <ISO>] [--policy <file.json>] [--summary]
                                                apply graded progression; print the transaction Bundle
  progress --server <url> (--plan <CarePlan/id> | --all) [--dry-run] [--now <ISO>] [--policy <file.json>]
           [--client-id <id> --key <file> [--scope <scopes>]]
                                                read, apply and write back on a FHIR server
  token --server <url> --client-id <id> --key <file> [--scope <scopes>] [--alg RS384|ES384]
                                                print an access token (SMART Backend Services)
  serve [--port N] [--host H] [--fhir <url>] [--no-demo]
                                                the Gradus service (embedded FHIR server with demo patients by default)
  demo                                          print the decision tables of the built-in demo patients`;

const commands: Record<string, Command> = {
  validate: validateCommand,
  progress: progressCommand,
  demo: demoCommand,
  serve: serveCommand,
  token: tokenCommand,
};

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return name === undefined ? 2 : 0;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`gradus: unknown command '${name}'\n${USAGE}\n`);
    return 2;
  }
  try {
    return await command(rest);
  } catch (err) {
    process.stderr.write(`gradus ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 2;
  }
}
