/**
 * Done-when of the delivery issue: with a throwaway key pair per environment, `seal` every secret an
 * overlay needs (derived from what its rendered workloads reference, not from a list), render the overlay
 * with `kubectl kustomize`, and find no secret reference left dangling; the controller's key opens each value.
 * Covers every overlay that has a sealed-secrets/ folder.
 */
import { randomBytes } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { seal } from '../../cli/seal';
import { renderKustomization, REPO_ROOT, run, tempProject, TempProject } from './helpers/project';
import { danglingReferences, secretNeeds } from './helpers/secret-references';
import { throwawayKeyPair, ThrowawayKeyPair } from './helpers/throwaway-keypair';
import { unsealAll } from './helpers/unseal';

const OVERLAYS = path.join(REPO_ROOT, 'gitops', 'overlays');
const sealedOverlays = fs.readdirSync(OVERLAYS).filter((env) => fs.existsSync(path.join(OVERLAYS, env, 'sealed-secrets'))).sort();

test('the environments reachable from the internet with real data seal their secrets (staging and prod at least)', () => {
  expect(sealedOverlays).toEqual(expect.arrayContaining(['staging', 'prod']));
});

describe.each(sealedOverlays)('%s: sealed with a throwaway key pair, rendered', (env) => {
  let project: TempProject;
  let keys: ThrowawayKeyPair;
  const render = () => renderKustomization(path.join(project.root, 'gitops', 'overlays', env));

  beforeAll(async () => {
    project = tempProject();
    keys = await throwawayKeyPair({ bits: env === 'prod' ? 4096 : 2048 }); // 4096: the controller's key size
    project.write(`gitops/sealing-certs/${env}.pem`, keys.certificatePem);
  });
  afterAll(() => project.remove());

  test('before sealing, the workloads reference secrets nothing provides (the check can fail)', () => {
    expect(danglingReferences(render()).length).toBeGreaterThan(0);
  });

  test('after sealing every needed key with `seal`, no reference dangles and the controller key opens every value', async () => {
    const before = render();
    const needs = [...secretNeeds(before).values()].filter((n) => danglingReferences(before).some((d) => d.includes(`-> ${n.secret}`)));
    const sealedValues = new Map<string, Record<string, string>>();
    for (const need of needs) {
      expect(need.keys.size).toBeGreaterThan(0); // a whole-Secret reference (envFrom) would name no key to seal
      const values = Object.fromEntries([...need.keys].sort().map((k) => [k, randomBytes(24).toString('base64')]));
      const stdin = Object.entries(values).map(([k, v]) => `${k}=${v}`).join('\n');
      const result = await run(seal, project.root, [env, need.secret], stdin);
      expect(result.stderr).toEqual([]);
      expect(result.code).toBe(0);
      sealedValues.set(need.secret, values);
    }
    const after = render();
    expect(danglingReferences(after)).toEqual([]);
    for (const [name, values] of sealedValues) {
      const rendered = after.find((o) => o.kind === 'SealedSecret' && o.metadata.name === name);
      expect(rendered?.metadata.namespace).toBe(`tiketi-${env}`);
      expect(await unsealAll(rendered as never, keys.decryptionKey)).toEqual(values);
    }
  });
});
