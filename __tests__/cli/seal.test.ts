import { generateKeyPairSync, webcrypto } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { parse } from 'yaml';
import { encryptSecretItem } from '@linode/kubeseal-encrypt';
import { seal } from '../../cli/seal';
import { validateStrict } from '../gitops/helpers/strict-schema';
import { run, tempProject, TempProject } from './helpers/project';
import { throwawayKeyPair, ThrowawayKeyPair } from './helpers/throwaway-keypair';
import { hybridDecrypt, unsealAll } from './helpers/unseal';

const FILE = (env: string, name = 'tiketi-secrets') => `gitops/overlays/${env}/sealed-secrets/${name}.yaml`;
const KUSTOMIZATION = (env: string) => `gitops/overlays/${env}/sealed-secrets/kustomization.yaml`;
const CERT = (env: string) => `gitops/sealing-certs/${env}.pem`;
type Sealed = { metadata: { name: string; namespace: string; annotations?: Record<string, string> }; spec: { encryptedData: Record<string, string>; template: any } };
const readSealed = (p: TempProject, env: string, name = 'tiketi-secrets'): Sealed => parse(p.read(FILE(env, name))) as Sealed;

let keys: ThrowawayKeyPair;
let otherKeys: ThrowawayKeyPair;
let project: TempProject;

beforeAll(async () => {
  [keys, otherKeys] = await Promise.all([throwawayKeyPair(), throwawayKeyPair()]);
});
beforeEach(() => {
  project = tempProject();
  for (const env of ['staging', 'prod']) project.write(CERT(env), keys.certificatePem);
});
afterEach(() => project.remove());

describe('seal: good paths', () => {
  test('KEY=VALUE arguments: a strict-scope SealedSecret the controller can open, listed in the folder kustomization', async () => {
    const result = await run(seal, project.root, ['prod', 'tiketi-secrets', 'JWT_SECRET=s3cr3t=with=equals', 'DB_PASSWORD=pässwörd ✓']);
    expect(result.code).toBe(0);
    expect(result.stdout).toHaveLength(1);
    expect(result.stdout[0]).toMatch(/^seal: prod tiketi-secrets: added JWT_SECRET, DB_PASSWORD; strict scope tiketi-prod\/tiketi-secrets, certificate sha256 [0-9A-F:]{23}… \(gitops\/overlays\/prod\/sealed-secrets\/tiketi-secrets\.yaml\)$/);

    const sealed = readSealed(project, 'prod');
    expect(sealed).toMatchObject({
      apiVersion: 'bitnami.com/v1alpha1',
      kind: 'SealedSecret',
      metadata: { name: 'tiketi-secrets', namespace: 'tiketi-prod' },
      spec: { template: { metadata: { name: 'tiketi-secrets', namespace: 'tiketi-prod' }, type: 'Opaque' } },
    });
    expect(sealed.metadata.annotations).toBeUndefined(); // no cluster-wide / namespace-wide: strict
    expect(Object.keys(sealed.spec.encryptedData)).toEqual(['DB_PASSWORD', 'JWT_SECRET']); // sorted, stable diffs
    expect(validateStrict(sealed as never)).toEqual({ schemaErrors: [], unknownFields: [] }); // the CRD's schema, no unknown field
    expect(await unsealAll(sealed, keys.decryptionKey)).toEqual({ DB_PASSWORD: 'pässwörd ✓', JWT_SECRET: 's3cr3t=with=equals' });
    expect(parse(project.read(KUSTOMIZATION('prod'))).resources).toEqual(['tiketi-secrets.yaml']);
    expect(project.read(KUSTOMIZATION('prod'))).not.toContain('add this line');
  });

  test('strict scope: the value opens only under its own namespace and name', async () => {
    await run(seal, project.root, ['prod', 'tiketi-secrets', 'JWT_SECRET=x']);
    const value = Buffer.from(readSealed(project, 'prod').spec.encryptedData.JWT_SECRET, 'base64');
    await expect(hybridDecrypt(keys.decryptionKey, value, Buffer.from('tiketi-prod/tiketi-secrets'))).resolves.toEqual(Buffer.from('x'));
    for (const label of ['tiketi-staging/tiketi-secrets', 'tiketi-prod/other', 'tiketi-prod', '']) {
      await expect(hybridDecrypt(keys.decryptionKey, value, Buffer.from(label))).rejects.toThrow();
    }
    await expect(hybridDecrypt(otherKeys.decryptionKey, value, Buffer.from('tiketi-prod/tiketi-secrets'))).rejects.toThrow();
  });

  test('every value gets its own session key: the same value seals differently each time', async () => {
    await run(seal, project.root, ['staging', 'tiketi-secrets', 'A=same', 'B=same']);
    const { A, B } = readSealed(project, 'staging').spec.encryptedData;
    expect(A).not.toBe(B);
    // layout: 2-byte length, RSA ciphertext as long as the 2048-bit modulus, then value + 16-byte GCM tag
    const bytes = Buffer.from(A, 'base64');
    expect(bytes.readUInt16BE(0)).toBe(256);
    expect(bytes.length).toBe(2 + 256 + 'same'.length + 16);
  });

  test('standard input (values out of shell history) and --from-file (bytes as they are), merged with the keys already sealed', async () => {
    await run(seal, project.root, ['staging', 'tiketi-secrets', 'DB_PASSWORD=old', 'JWT_SECRET=keep-me']);
    const kept = readSealed(project, 'staging').spec.encryptedData.JWT_SECRET;
    const binary = Buffer.from([0, 1, 2, 255, 10, 13]);
    fs.writeFileSync(project.file('ca.bin'), binary);
    let result = await run(seal, project.root, ['staging', 'tiketi-secrets'], '# rotated 2026-12\n\nDB_PASSWORD=new value with spaces \nINTERNAL_API_TOKEN=t0k3n\n');
    expect(result.code).toBe(0);
    expect(result.stdout[0]).toMatch(/^seal: staging tiketi-secrets: added INTERNAL_API_TOKEN; replaced DB_PASSWORD; kept JWT_SECRET; /);
    result = await run(seal, project.root, ['staging', 'tiketi-secrets', '--from-file', 'CA_BUNDLE=ca.bin']);
    expect(result.code).toBe(0);
    const sealed = readSealed(project, 'staging');
    expect(Object.keys(sealed.spec.encryptedData)).toEqual(['CA_BUNDLE', 'DB_PASSWORD', 'INTERNAL_API_TOKEN', 'JWT_SECRET']);
    expect(sealed.spec.encryptedData.JWT_SECRET).toBe(kept); // untouched ciphertext: a one-key diff
    const label = Buffer.from('tiketi-staging/tiketi-secrets');
    expect(await hybridDecrypt(keys.decryptionKey, Buffer.from(sealed.spec.encryptedData.CA_BUNDLE, 'base64'), label)).toEqual(binary);
    expect(await unsealAll({ ...sealed, spec: { ...sealed.spec, encryptedData: { DB_PASSWORD: sealed.spec.encryptedData.DB_PASSWORD, INTERNAL_API_TOKEN: sealed.spec.encryptedData.INTERNAL_API_TOKEN, JWT_SECRET: kept } } }, keys.decryptionKey)).toEqual({
      DB_PASSWORD: 'new value with spaces ',
      INTERNAL_API_TOKEN: 't0k3n',
      JWT_SECRET: 'keep-me',
    });
    // listed once, however often sealed
    expect(parse(project.read(KUSTOMIZATION('staging'))).resources).toEqual(['tiketi-secrets.yaml']);
  });

  test('--cert seals with another certificate (as kubeseal --cert), e.g. after a key rotation', async () => {
    const other = path.join(os.tmpdir(), `tiketi-other-${process.pid}.pem`);
    fs.writeFileSync(other, otherKeys.certificatePem);
    try {
      expect((await run(seal, project.root, ['prod', 'tiketi-secrets', 'K=v', '--cert', other])).code).toBe(0);
    } finally {
      fs.rmSync(other);
    }
    const sealed = readSealed(project, 'prod');
    expect(await unsealAll(sealed, otherKeys.decryptionKey)).toEqual({ K: 'v' });
    await expect(unsealAll(sealed, keys.decryptionKey)).rejects.toThrow();
  });
});

describe('seal: --namespace monitoring (gitops/platform/monitoring)', () => {
  const MON = (env: string, name: string) => `gitops/platform/monitoring/overlays/${env}/sealed-secrets/${name}.yaml`;
  test('seals for monitoring/<name> into the monitoring overlay, listed in its kustomization, and renders there', async () => {
    const result = await run(seal, project.root, ['prod', 'grafana-admin', '--namespace', 'monitoring'], 'admin-user=admin\nadmin-password=pw\n');
    expect(result.code).toBe(0);
    expect(result.stdout[0]).toMatch(/strict scope monitoring\/grafana-admin, .*\(gitops\/platform\/monitoring\/overlays\/prod\/sealed-secrets\/grafana-admin\.yaml\)$/);
    const sealed = parse(project.read(MON('prod', 'grafana-admin'))) as Sealed;
    expect(sealed.metadata).toMatchObject({ name: 'grafana-admin', namespace: 'monitoring' });
    expect(await unsealAll(sealed, keys.decryptionKey)).toEqual({ 'admin-password': 'pw', 'admin-user': 'admin' });
    expect(parse(project.read('gitops/platform/monitoring/overlays/prod/sealed-secrets/kustomization.yaml')).resources).toEqual(['grafana-admin.yaml']);
    const value = Buffer.from(sealed.spec.encryptedData['admin-password'], 'base64');
    await expect(hybridDecrypt(keys.decryptionKey, value, Buffer.from('tiketi-prod/grafana-admin'))).rejects.toThrow();
  });

  test('--namespace of the environment itself is the default folder; any other namespace is refused, nothing written', async () => {
    expect((await run(seal, project.root, ['prod', 'tiketi-secrets', 'A=b', '--namespace', 'tiketi-prod'])).code).toBe(0);
    expect(readSealed(project, 'prod').metadata.namespace).toBe('tiketi-prod');
    const before = project.snapshot();
    const result = await run(seal, project.root, ['prod', 'x', 'A=b', '--namespace', 'kube-system']);
    expect(result.code).toBe(2);
    expect(result.stderr[0]).toBe('seal: --namespace "kube-system": expected tiketi-prod or monitoring');
    expect(project.snapshot()).toEqual(before);
  });
});

describe('seal: compatibility with the upstream format, proven by independent implementations', () => {
  // Ciphertexts made by the upstream Go HybridEncrypt itself (fixture header says how): the test decryptor
  // must open them, so it decrypts the upstream format, and seal's output is checked with that decryptor.
  const upstream = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'upstream-sealed-vectors.json'), 'utf8')) as {
    privateKeyJwk: webcrypto.JsonWebKey;
    vectors: { scope: string; label: string; plaintext: string; ciphertext: string }[];
  };
  const upstreamKey = () => webcrypto.subtle.importKey('jwk', upstream.privateKeyJwk, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);

  test.each(upstream.vectors.map((v) => [v.scope, v] as const))('known answer: the test decryptor opens an upstream Go %s vector, and only with its label', async (_, vector) => {
    const key = await upstreamKey();
    const bytes = Buffer.from(vector.ciphertext, 'base64');
    expect((await hybridDecrypt(key, bytes, Buffer.from(vector.label))).toString('utf8')).toBe(vector.plaintext);
    await expect(hybridDecrypt(key, bytes, Buffer.from(`${vector.label}x`))).rejects.toThrow();
  });

  test('known answer: the label the test decryptor derives from a SealedSecret is upstream EncryptionLabel', async () => {
    const key = await upstreamKey();
    const strict = upstream.vectors.find((v) => v.scope === 'strict')!;
    const wide = upstream.vectors.find((v) => v.scope === 'namespace-wide')!;
    const sealed = (annotations: Record<string, string> | undefined, value: string) => ({ metadata: { name: 'tiketi-secrets', namespace: 'tiketi-prod', annotations }, spec: { encryptedData: { K: value } } });
    expect(await unsealAll(sealed(undefined, strict.ciphertext), key)).toEqual({ K: strict.plaintext });
    expect(await unsealAll(sealed({ 'sealedsecrets.bitnami.com/namespace-wide': 'true' }, wide.ciphertext), key)).toEqual({ K: wide.plaintext });
    await expect(unsealAll(sealed(undefined, wide.ciphertext), key)).rejects.toThrow();
  });

  test('the test decryptor (WebCrypto, upstream steps) opens what @linode/kubeseal-encrypt (an independent WebCrypto encryptor) seals', async () => {
    // kubeseal-encrypt seals namespace-wide only (its label is the namespace): the layout is what is compared.
    const sealed = await encryptSecretItem(keys.publicKeyPem, 'tiketi-prod', 'from another implementation');
    expect(await hybridDecrypt(keys.decryptionKey, Buffer.from(sealed, 'base64'), Buffer.from('tiketi-prod'))).toEqual(Buffer.from('from another implementation'));
    await expect(hybridDecrypt(keys.decryptionKey, Buffer.from(sealed, 'base64'), Buffer.from('tiketi-prod/tiketi-secrets'))).rejects.toThrow();
  });

  test('seal and kubeseal-encrypt produce the same layout: length prefix, one RSA block, value + 16-byte tag', async () => {
    const theirs = Buffer.from(await encryptSecretItem(keys.publicKeyPem, 'tiketi-prod', 'abc'), 'base64');
    await run(seal, project.root, ['prod', 'tiketi-secrets', 'K=abc']);
    const ours = Buffer.from(readSealed(project, 'prod').spec.encryptedData.K, 'base64');
    expect(ours.readUInt16BE(0)).toBe(theirs.readUInt16BE(0));
    expect(ours.length).toBe(theirs.length);
  });
});

describe('seal: bad input is refused, and nothing is written', () => {
  const cases: [string, string[], string, number, string | RegExp][] = [
    ['unknown environment', ['qa', 'tiketi-secrets', 'A=b'], '', 2, 'seal: <env>: got "qa", expected one of dev, staging, prod'],
    ['no secret name', ['prod'], '', 2, 'seal: missing <secret-name>'],
    ['secret name not DNS-1123', ['prod', 'Tiketi_Secrets', 'A=b'], '', 2, 'seal: <secret-name>: got "Tiketi_Secrets", expected a Kubernetes object name (a DNS-1123 subdomain: lower-case letters, digits, "-" and ".", each "."-separated part starting and ending with a letter or digit)'],
    ['argument without =', ['prod', 'tiketi-secrets', 'JWT_SECRET'], '', 2, 'seal: argument: expected KEY=VALUE, found no "=" (the text is not shown: it may be a secret)'],
    ['empty key', ['prod', 'tiketi-secrets', '=value'], '', 2, 'seal: argument: expected KEY=VALUE, the key is empty'],
    ['bad key', ['prod', 'tiketi-secrets', 'JWT SECRET=x'], '', 2, 'seal: argument: key "JWT SECRET" is not a Secret key (only letters, digits, "-", "_" and ".")'],
    ['key twice', ['prod', 'tiketi-secrets', 'A=1', 'A=2'], '', 2, 'seal: key A given twice'],
    ['empty value', ['prod', 'tiketi-secrets', 'A='], '', 2, 'seal: key A has an empty value (argument)'],
    ['no values at all', ['prod', 'tiketi-secrets'], '\n# nothing\n', 2, 'seal: no values: give KEY=VALUE arguments, --from-file KEY=PATH, or KEY=VALUE lines on standard input'],
    ['bad stdin line, value not echoed', ['prod', 'tiketi-secrets'], 'A=1\nhunter2\n', 2, 'seal: standard input line 2: expected KEY=VALUE, found no "=" (the text is not shown: it may be a secret)'],
    ['missing --from-file', ['prod', 'tiketi-secrets', '--from-file', 'CA=nope.pem'], '', 2, 'seal: --from-file CA: no such file nope.pem'],
    ['missing --cert', ['prod', 'tiketi-secrets', 'A=b', '--cert', 'nope.pem'], '', 1, 'seal: --cert nope.pem: no such file'],
    ['unknown flag', ['prod', 'tiketi-secrets', 'A=b', '--scope', 'cluster-wide'], '', 2, /^seal: Unknown option '--scope'/],
  ];
  test.each(cases)('%s', async (_, argv, stdin, code, message) => {
    const before = project.snapshot();
    const result = await run(seal, project.root, argv, stdin);
    expect(result.code).toBe(code);
    if (typeof message === 'string') expect(result.stderr[0]).toBe(message);
    else expect(result.stderr[0]).toMatch(message);
    expect(result.stderr.join('\n')).not.toMatch(/hunter2|pässwörd/);
    expect(project.snapshot()).toEqual(before);
  });

  test('an overlay without a sealed-secrets/ folder takes no SealedSecrets', async () => {
    fs.rmSync(project.file('gitops/overlays/staging/sealed-secrets'), { recursive: true });
    const before = project.snapshot();
    const result = await run(seal, project.root, ['staging', 'tiketi-secrets', 'A=b']);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual(['seal: staging takes no SealedSecrets: gitops/overlays/staging/sealed-secrets/ does not exist']);
    expect(project.snapshot()).toEqual(before);
  });

  test('no committed certificate: says how to get one', async () => {
    fs.rmSync(project.file(CERT('prod')));
    const before = project.snapshot();
    const result = await run(seal, project.root, ['prod', 'tiketi-secrets', 'A=b']);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual(['seal: no sealing certificate gitops/sealing-certs/prod.pem: create the prod key pair first (docs/delivery.md, "Secrets"), or pass --cert FILE']);
    expect(project.snapshot()).toEqual(before);
  });

  test.each([
    ['not a certificate', () => 'not a pem\n', /^seal: gitops\/sealing-certs\/prod\.pem is not a PEM X\.509 certificate/],
    ['a private key instead of a certificate', () => generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), /^seal: gitops\/sealing-certs\/prod\.pem is not a PEM X\.509 certificate/],
  ])('a certificate file that is %s', async (_, content, message) => {
    project.write(CERT('prod'), content());
    const before = project.snapshot();
    const result = await run(seal, project.root, ['prod', 'tiketi-secrets', 'A=b']);
    expect(result.code).toBe(1);
    expect(result.stderr[0]).toMatch(message);
    expect(project.snapshot()).toEqual(before);
  });

  test('an expired certificate, as kubeseal refuses it', async () => {
    const expired = await throwawayKeyPair({ notAfter: new Date(Date.now() - 1000) });
    project.write(CERT('prod'), expired.certificatePem);
    const before = project.snapshot();
    const result = await run(seal, project.root, ['prod', 'tiketi-secrets', 'A=b']);
    expect(result.code).toBe(1);
    expect(result.stderr[0]).toMatch(/^seal: gitops\/sealing-certs\/prod\.pem expired on \d{4}-\d\d-\d\dT.*: fetch the controller's current certificate$/);
    expect(project.snapshot()).toEqual(before);
  });

  test('a weak RSA key', async () => {
    project.write(CERT('prod'), (await throwawayKeyPair({ bits: 1024 })).certificatePem);
    const result = await run(seal, project.root, ['prod', 'tiketi-secrets', 'A=b']);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual(['seal: gitops/sealing-certs/prod.pem holds a 1024-bit RSA key; at least 2048 bits are required']);
  });

  test.each([
    ['cluster-wide', { metadata: { name: 'tiketi-secrets', namespace: 'tiketi-prod', annotations: { 'sealedsecrets.bitnami.com/cluster-wide': 'true' } } }, 'it is sealed with sealedsecrets.bitnami.com/cluster-wide, not strict scope'],
    ['another namespace', { metadata: { name: 'tiketi-secrets', namespace: 'tiketi-staging' } }, 'its metadata.namespace is "tiketi-staging", not tiketi-prod'],
    ['another kind', { kind: 'Secret', metadata: { name: 'tiketi-secrets', namespace: 'tiketi-prod' } }, 'it is not a bitnami.com/v1alpha1 SealedSecret'],
  ])('an existing file that is %s is never merged into', async (_, override, problem) => {
    const existing = { apiVersion: 'bitnami.com/v1alpha1', kind: 'SealedSecret', spec: { encryptedData: { OLD: 'AgB=' } }, ...override };
    project.write(FILE('prod'), JSON.stringify(existing));
    const before = project.snapshot();
    const result = await run(seal, project.root, ['prod', 'tiketi-secrets', 'A=b']);
    expect(result.code).toBe(1);
    expect(result.stderr).toEqual([`seal: gitops/overlays/prod/sealed-secrets/tiketi-secrets.yaml cannot be merged into: ${problem}`]);
    expect(project.snapshot()).toEqual(before);
  });
});
