import { X509Certificate, createPrivateKey, createPublicKey, privateDecrypt, publicEncrypt, constants } from 'crypto';
import * as fs from 'fs';
import * as path from 'path';
import { runCommand } from '../../cli/lib/command';
import { generateSealingKeyPair, parseSealingKeySecret, sealingKeySecretValue } from '../../cli/lib/sealing-keypair';
import { sealingKeyCommand } from '../../cli/sealing-key';
import { fakeIo, fakeStore } from './fakes';

const SECRET = 'tiketi/staging/sealed-secrets-key';
const fast = { modulusLength: 2048 as const };

describe('sealing key pairs', () => {
  test('RSA 4096, self-signed CA certificate CN=sealed-secret valid ten years, matching its key (the controller\'s own shape)', async () => {
    const pair = await generateSealingKeyPair({ notBefore: new Date('2026-01-01T00:00:00Z') });
    const certificate = new X509Certificate(pair.certificatePem);
    const key = createPrivateKey(pair.privateKeyPem);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.asymmetricKeyDetails?.modulusLength).toBe(4096);
    expect(certificate.subject).toBe('CN=sealed-secret');
    expect(certificate.issuer).toBe('CN=sealed-secret');
    expect(certificate.ca).toBe(true);
    expect(new Date(certificate.validTo).getUTCFullYear()).toBe(2035);
    expect(certificate.checkPrivateKey(key)).toBe(true);
    expect(pair.privateKeyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  test('what the certificate encrypts (RSA-OAEP, as kubeseal does for the session key) the key decrypts', async () => {
    const pair = await generateSealingKeyPair(fast);
    const sessionKey = Buffer.from('0123456789abcdef0123456789abcdef');
    const sealed = publicEncrypt({ key: createPublicKey(new X509Certificate(pair.certificatePem).publicKey.export({ type: 'spki', format: 'pem' })), oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING }, sessionKey);
    expect(privateDecrypt({ key: pair.privateKeyPem, oaepHash: 'sha256', padding: constants.RSA_PKCS1_OAEP_PADDING }, sealed)).toEqual(sessionKey);
  });

  test('the stored JSON round-trips, and a mismatched or malformed value is refused', async () => {
    const a = await generateSealingKeyPair(fast);
    const b = await generateSealingKeyPair(fast);
    expect(JSON.parse(sealingKeySecretValue(a))).toEqual({ 'tls.crt': a.certificatePem, 'tls.key': a.privateKeyPem });
    expect(parseSealingKeySecret(sealingKeySecretValue(a))).toEqual(a);
    expect(() => parseSealingKeySecret(JSON.stringify({ 'tls.crt': a.certificatePem, 'tls.key': b.privateKeyPem }))).toThrow(/does not belong/);
    expect(() => parseSealingKeySecret('not json')).toThrow(/not JSON/);
    expect(() => parseSealingKeySecret(JSON.stringify({ 'tls.crt': a.certificatePem }))).toThrow(/lacks/);
  });
});

describe('npm run sealing-key', () => {
  test('stores a new pair in the environment\'s secret and writes its certificate to gitops/sealing-certs/<env>.pem', async () => {
    const store = fakeStore({ [SECRET]: [] });
    const io = fakeIo();
    expect(await runCommand(sealingKeyCommand({ store: () => store, keyOptions: fast }), ['--env', 'staging'], io)).toBe(0);
    expect(store.puts).toEqual([SECRET]);
    const stored = parseSealingKeySecret(store.secrets[SECRET][0]);
    expect(fs.readFileSync(path.join(io.root, 'gitops', 'sealing-certs', 'staging.pem'), 'utf8')).toBe(stored.certificatePem);
    expect(io.stdout).toEqual([`sealing-key: stored a new key pair in ${SECRET} and wrote gitops/sealing-certs/staging.pem (commit it)`]);
  });

  test('refuses to overwrite an existing key, writes nothing, exits 1', async () => {
    const existing = sealingKeySecretValue(await generateSealingKeyPair(fast));
    const store = fakeStore({ [SECRET]: [existing] });
    const io = fakeIo();
    expect(await runCommand(sealingKeyCommand({ store: () => store, keyOptions: fast }), ['--env', 'staging'], io)).toBe(1);
    expect(store.secrets[SECRET]).toEqual([existing]);
    expect(fs.existsSync(path.join(io.root, 'gitops'))).toBe(false);
    expect(io.stderr.join('\n')).toMatch(/already holds a sealing key; refusing to overwrite it/);
  });

  test('--restore-cert rewrites the certificate from the stored key and stores nothing', async () => {
    const pair = await generateSealingKeyPair(fast);
    const store = fakeStore({ [SECRET]: [sealingKeySecretValue(pair)] });
    const io = fakeIo();
    expect(await runCommand(sealingKeyCommand({ store: () => store, keyOptions: fast }), ['--env', 'staging', '--restore-cert'], io)).toBe(0);
    expect(store.puts).toEqual([]);
    expect(fs.readFileSync(path.join(io.root, 'gitops', 'sealing-certs', 'staging.pem'), 'utf8')).toBe(pair.certificatePem);
  });

  test('a concurrent second key is reported and no certificate is written', async () => {
    const store = fakeStore({ [SECRET]: [] });
    const racing = { ...store, putValue: async (id: string, v: string) => { store.secrets[id].push('other', v); } };
    const io = fakeIo();
    expect(await runCommand(sealingKeyCommand({ store: () => racing, keyOptions: fast }), ['--env', 'staging'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/now has 2 versions/);
    expect(fs.existsSync(path.join(io.root, 'gitops'))).toBe(false);
  });

  test('a missing secret (cluster stack not deployed) fails with what to do', async () => {
    const io = fakeIo();
    expect(await runCommand(sealingKeyCommand({ store: () => fakeStore({}), keyOptions: fast }), ['--env', 'staging'], io)).toBe(1);
    expect(io.stderr.join('\n')).toMatch(/deploy the cluster stack first/);
  });

  test('usage errors exit 2: no --env, an unknown environment, a stray argument', async () => {
    const cmd = sealingKeyCommand({ store: () => fakeStore({}), keyOptions: fast });
    for (const argv of [[], ['--env', 'qa'], ['--env', 'dev', 'extra'], ['--force']]) {
      const io = fakeIo();
      expect({ argv, code: await runCommand(cmd, argv, io) }).toEqual({ argv, code: 2 });
      expect(io.stderr.join('\n')).toMatch(/usage: npm run sealing-key -- --env/);
    }
  });
});
