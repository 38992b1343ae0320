/** The README's Layout table and operator commands list the repository as it is. */
import { execFileSync } from 'child_process';
import * as fs from 'fs';
import * as path from 'path';
import { REPO_ROOT } from './helpers';

const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const layout = readme.slice(readme.indexOf('## Layout\n'), readme.indexOf('\n## ', readme.indexOf('## Layout\n') + 1));
/** First-column code spans of the tables in the Layout section, per table. */
const firstColumn = (table: string) => [...table.matchAll(/^\| `([^`]+)` \|/gm)].map((m) => m[1]);
const [pathsTable, commandsTable] = layout.split('Operator commands');

describe('README Layout', () => {
  test('every path the table names exists, and every tracked top-level folder is in it', () => {
    const paths = firstColumn(pathsTable);
    for (const p of paths) expect({ path: p, exists: fs.existsSync(path.join(REPO_ROOT, p)) }).toEqual({ path: p, exists: true });
    const tracked = execFileSync('git', ['ls-files'], { cwd: REPO_ROOT, encoding: 'utf8' }).split('\n').filter(Boolean);
    const topFolders = [...new Set(tracked.filter((f) => f.includes('/')).map((f) => `${f.split('/')[0]}/`))];
    const listed = (folder: string) => paths.some((p) => p === folder || p.startsWith(folder));
    expect(topFolders.filter((f) => !listed(f))).toEqual([]);
  });

  test('the folders that arrived with the delivery, policy and argocd work are listed', () => {
    expect(firstColumn(pathsTable)).toEqual(expect.arrayContaining(['cli/', 'policy/', '.github/', 'gitops/local/', 'gitops/sealing-certs/', 'config/prices/']));
  });

  test('every operator command has one line, and every line is a command of package.json', () => {
    const scripts = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')).scripts as Record<string, string>;
    const commands = Object.entries(scripts).filter(([, script]) => /node dist\/cli\/[a-z-]+\.js$/.test(script)).map(([name]) => name).sort();
    expect(commands).toEqual(['api-tunnel', 'az-check', 'cost', 'graph', 'plan-summary', 'policy', 'promote', 'seal', 'sealing-key', 'set-image', 'stacks', 'teardown']);
    const rows = firstColumn(commandsTable ?? '').map((cell) => cell.split(' ')[0]);
    expect([...rows].sort()).toEqual(commands);
  });
});
