// docs/openapi.yaml must be lint-clean under @redocly/cli's recommended rules, as configured
// in redocly.yaml (its few exceptions say why; .redocly.lint-ignore.yaml waives single
// places): no error and no warning. Runs the locally installed CLI (package.json pins it), with
// no network: telemetry and the update check are off.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { ROOT } from './harness.mjs';

// The CLI's own script under this very node, not whatever `node` the bin's shebang finds.
const CLI = path.join(ROOT, 'node_modules/@redocly/cli/bin/cli.js');

test('docs/openapi.yaml has no redocly lint errors or warnings', { timeout: 120_000 }, () => {
  const r = spawnSync(
    process.execPath,
    [CLI, 'lint', '--format=json', '--config', path.join(ROOT, 'redocly.yaml'), 'docs/openapi.yaml'],
    {
      cwd: ROOT,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        // No usage telemetry (redocly.yaml says so too) and no "new version" check against
        // the npm registry, which the CLI otherwise makes at start-up.
        REDOCLY_TELEMETRY: 'off',
        REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true',
        NO_COLOR: '1',
      },
    },
  );
  assert.equal(r.error, undefined, `could not run ${CLI}: ${r.error} (npm ci?)`);
  let report;
  try {
    report = JSON.parse(r.stdout);
  } catch {
    assert.fail(`redocly lint (exit ${r.status}) printed no JSON report:\n${r.stdout}\n${r.stderr}`);
  }
  const { totals, problems } = report;
  const list = problems
    .map((p) => {
      const where = (p.location ?? []).map((l) => `${l.source?.ref ?? ''}${l.pointer ?? ''}`).join(', ');
      return `  ${p.severity} ${p.ruleId} at ${where}: ${p.message}`;
    })
    .join('\n');
  const summary =
    `redocly lint: ${totals.errors} error(s), ${totals.warnings} warning(s)\n${list}\n` +
    '(`npx redocly lint docs/openapi.yaml` shows each with its lines)';
  assert.equal(totals.errors, 0, summary);
  assert.equal(totals.warnings, 0, summary);
  assert.equal(r.status, 0, `redocly lint exited ${r.status}:\n${r.stderr}`);
});
