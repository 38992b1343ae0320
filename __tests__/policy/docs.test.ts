import * as fs from 'fs';
import * as path from 'path';
import { App } from 'cdktf';
import { PolicyAspect } from '../../policy/aspect';
import { ScopeReport } from '../../policy/engine';
import { ENVIRONMENTS, REGISTRY } from '../../config/environments';
import { ALL_RULES } from '../../policy/rules';
import { CheckStatus, PolicyScope } from '../../policy/types';
import { ALL_ENVIRONMENTS, synthApp } from '../support/synth';

const doc = () => fs.readFileSync(path.join(__dirname, '../../docs/policy.md'), 'utf8');
/** The control table's rows: control → its cells. */
const tableRows = () => {
  const table = doc().slice(doc().indexOf('| control | title |'));
  return [...table.matchAll(/^\| ((?:[A-Za-z0-9]+)(?:-BP)?\.\d+) \|(.*)\|$/gm)].map((m) => ({ control: m[1], cells: m[2].split(' | ').map((c) => c.trim()) }));
};

const LABELS: [CheckStatus, string][] = [['failed', 'failed'], ['excepted', 'excepted'], ['passed', 'passed'], ['not applicable', 'n/a']];

/**
 * The status cell of `control`, from the policy reports of the real apps: per status, the scopes where a
 * check of the control has it (a scope where the rule does not apply, `appliesIn`, counts as n/a); none at
 * all is "not applicable (no such resource yet)". The same evaluation `npm run policy` prints.
 */
function statusCell(control: string, reports: readonly ScopeReport[]): string {
  const rule = ALL_RULES.find((r) => r.control === control)!;
  const parts = LABELS.map(([status, label]) => {
    const scopes = reports.filter((report) => {
      const checks = report.checks.filter((c) => c.control === control);
      if (checks.length === 0) return status === 'not applicable' && rule.appliesIn?.(report.scope) !== undefined;
      return checks.some((c) => c.status === status);
    });
    return scopes.length > 0 ? `${label}: ${scopes.map((r) => r.scope).join(', ')}` : undefined;
  }).filter((p): p is string => p !== undefined);
  return parts.length > 0 ? parts.join('; ') : 'not applicable (no such resource yet)';
}

describe('docs/policy.md', () => {
  test('the control table lists exactly the controls the rules check, in their order', () => {
    expect(tableRows().map((r) => r.control)).toEqual(ALL_RULES.map((rule) => rule.control));
  });

  test('each row says what the rule says it checks, and the status column is what the policy reports for the real apps', () => {
    const reports = new Map<PolicyScope, ScopeReport>();
    for (const env of ALL_ENVIRONMENTS) {
      const { stacks } = synthApp(env);
      for (const scope of PolicyAspect.of(App.of(stacks.network) as App)!.evaluate().scopes) if (!reports.has(scope.scope)) reports.set(scope.scope, scope);
    }
    const ordered = (['dev', 'staging', 'prod', 'account'] as const).map((s) => reports.get(s)!);
    const expected = ALL_RULES.map((rule) => ({ control: rule.control, title: rule.title, checks: rule.checks, status: statusCell(rule.control, ordered) }));
    const actual = tableRows().map(({ control, cells }) => ({ control, title: cells[0], checks: cells[1], status: cells[cells.length - 1] }));
    expect(actual).toEqual(expected);
  }, 300_000);

  test('the exceptions table lists exactly the exceptions the settings declare, per scope and control', () => {
    const section = doc().slice(doc().indexOf('### Exceptions declared today'), doc().indexOf('## Adding a rule'));
    const documented = [...section.matchAll(/^\| (dev|staging|prod|account) \| ([^|]+) \| ([^|]*) \|/gm)].flatMap(([, scope, controls, resource]) =>
      controls.trim() === 'none' ? [] : controls.split(',').map((c) => `${scope} ${c.trim()} ${resource.trim().replace(/`/g, '')}`),
    );
    const declared = [
      ...ALL_ENVIRONMENTS.flatMap((env) => ENVIRONMENTS[env].policy.exceptions.map((e) => `${env} ${e.control} ${e.resource ?? 'every resource'}`)),
      ...REGISTRY.policy.exceptions.map((e) => `account ${e.control} ${e.resource ?? 'every resource'}`),
    ];
    expect(documented.sort()).toEqual(declared.sort());
  });
});
