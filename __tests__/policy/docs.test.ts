import * as fs from 'fs';
import * as path from 'path';
import { ALL_RULES } from '../../policy/rules';

describe('docs/policy.md', () => {
  test('the control table lists exactly the controls the rules check, in their order', () => {
    const doc = fs.readFileSync(path.join(__dirname, '../../docs/policy.md'), 'utf8');
    const table = doc.slice(doc.indexOf('| control | title |'));
    const rows = [...table.matchAll(/^\| ((?:[A-Za-z0-9]+)(?:-BP)?\.\d+) \|/gm)].map((m) => m[1]);
    expect(rows).toEqual(ALL_RULES.map((rule) => rule.control));
  });
});
