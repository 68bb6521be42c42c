/** The package as a library user sees it: `import { validate, progress } from 'gradus'` on the built dist/. */
import { spawnSync } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(__dirname, '..');

describe('the gradus package entry point', () => {
  it('exports validate and progress from the built library', () => {
    const run = spawnSync(
      process.execPath,
      ['-e', "const g = require('gradus'); console.log(typeof g.validate, typeof g.progress, g.PROFILE.exercisePlan)"],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('function function https://gradus.health/fhir/StructureDefinition/gradus-exercise-plan');
  });

  it('exports the FHIR client and the service from gradus/client and gradus/server', () => {
    const run = spawnSync(
      process.execPath,
      ['-e', "const c = require('gradus/client'); const s = require('gradus/server'); console.log(typeof c.FhirClient, typeof c.progressPlan, typeof c.progressAll, typeof s.startService, typeof s.loadConfig)"],
      { cwd: ROOT, encoding: 'utf8' },
    );
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toBe('function function function function function');
  });

  it('runs the usage example: the example Bundle validates and every order gets a decision', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'examples', 'usage', 'validate-and-progress.mjs')], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect(run.status).toBe(0);
    expect(run.stdout).toContain('validation: 0 error(s)');
    expect(run.stdout.match(/^[A-Z][\w -]+: (progress|hold|regress) - /gm)).toHaveLength(4);
    expect(run.stdout).toMatch(/^transaction: \d+ entries/m);
  });
});
