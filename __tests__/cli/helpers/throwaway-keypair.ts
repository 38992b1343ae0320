/**
 * A throwaway sealing key pair for tests: a self-signed X.509 certificate over a fresh RSA key, made with
 * @peculiar/x509 on WebCrypto, like the controller's own (RSA, self-signed, CN=sealed-secret).
 * Isolated here so the lead can switch the tests to cli/lib/sealing-keypair.ts once it lands.
 */
// @peculiar/x509 resolves its algorithms through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import { webcrypto } from 'crypto';
import * as x509 from '@peculiar/x509';

export interface ThrowawayKeyPair {
  readonly certificatePem: string;
  /** The private key for RSA-OAEP SHA-256 decryption (what the controller holds). */
  readonly decryptionKey: webcrypto.CryptoKey;
  /** The public key as PEM SubjectPublicKeyInfo (what @linode/kubeseal-encrypt takes). */
  readonly publicKeyPem: string;
}

const subtle = webcrypto.subtle;

export async function throwawayKeyPair(options: { bits?: number; notAfter?: Date } = {}): Promise<ThrowawayKeyPair> {
  x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: options.bits ?? 2048 };
  const keys = (await subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=sealed-secret',
    notBefore: new Date(now - 60_000),
    notAfter: options.notAfter ?? new Date(now + 24 * 3600_000),
    signingAlgorithm: algorithm,
    keys: keys as unknown as x509.X509CertificateCreateSelfSignedParams["keys"],
    extensions: [new x509.BasicConstraintsExtension(true, undefined, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.encipherOnly, true)],
  });
  // The same RSA key material, imported for RSA-OAEP with SHA-256 (as the controller uses it).
  const pkcs8 = await subtle.exportKey('pkcs8', keys.privateKey);
  const decryptionKey = await subtle.importKey('pkcs8', pkcs8, { name: 'RSA-OAEP', hash: 'SHA-256' }, false, ['decrypt']);
  const spki = Buffer.from(await subtle.exportKey('spki', keys.publicKey)).toString('base64');
  const publicKeyPem = `-----BEGIN PUBLIC KEY-----\n${spki.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
  return { certificatePem: cert.toString('pem'), decryptionKey, publicKeyPem };
}
