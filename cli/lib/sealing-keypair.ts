/**
 * Sealed Secrets key pairs, made the way the controller makes its own (pkg/crypto: RSA 4096, a self-signed
 * CA certificate, CN `sealed-secret`), so a bring-your-own key behaves exactly like a generated one. Used by
 * `npm run sealing-key` for real keys, and by tests (with a smaller modulus) for throwaway ones.
 */
import 'reflect-metadata';
import { X509Certificate as NodeX509Certificate, createPrivateKey, randomBytes, webcrypto } from 'crypto';
import * as x509 from '@peculiar/x509';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

export interface SealingKeyPair {
  /** PEM X.509 certificate: what `kubeseal --cert` encrypts with; committed as `gitops/sealing-certs/<env>.pem`. */
  readonly certificatePem: string;
  /** PEM PKCS#8 RSA private key: only ever in Secrets Manager and the cluster Secret. */
  readonly privateKeyPem: string;
}

export interface SealingKeyPairOptions {
  /** @default 4096 - the controller's own key size; tests may use 2048 for speed */
  readonly modulusLength?: 2048 | 3072 | 4096;
  /** @default 3650 - ten years, the controller's default validity; kubeseal refuses an expired certificate */
  readonly validityDays?: number;
  /** @default 'sealed-secret' - the controller's common name */
  readonly commonName?: string;
  /** @default - now */
  readonly notBefore?: Date;
}

/** The JSON stored in Secrets Manager (docs/platform-contracts.md): `{"tls.crt": <PEM>, "tls.key": <PEM>}`. */
export interface SealingKeySecretValue {
  readonly 'tls.crt': string;
  readonly 'tls.key': string;
}

export async function generateSealingKeyPair(options: SealingKeyPairOptions = {}): Promise<SealingKeyPair> {
  const algorithm = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256', publicExponent: new Uint8Array([1, 0, 1]), modulusLength: options.modulusLength ?? 4096 };
  const keys = (await webcrypto.subtle.generateKey(algorithm, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const notBefore = options.notBefore ?? new Date();
  const notAfter = new Date(notBefore.getTime() + (options.validityDays ?? 3650) * 86_400_000);
  const certificate = await x509.X509CertificateGenerator.createSelfSigned({
    // 128 random bits, positive (leading bit cleared), as the controller does.
    serialNumber: (randomBytes(16)[0] & 0x7f).toString(16).padStart(2, '0') + randomBytes(15).toString('hex'),
    name: `CN=${options.commonName ?? 'sealed-secret'}`,
    notBefore,
    notAfter,
    keys: keys as unknown as Parameters<typeof x509.X509CertificateGenerator.createSelfSigned>[0]['keys'],
    signingAlgorithm: algorithm,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyEncipherment | x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyCertSign, true),
    ],
  });
  const pkcs8 = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey));
  const privateKeyPem = `-----BEGIN PRIVATE KEY-----\n${pkcs8.toString('base64').match(/.{1,64}/g)!.join('\n')}\n-----END PRIVATE KEY-----\n`;
  return { certificatePem: `${certificate.toString('pem')}\n`, privateKeyPem };
}

export function sealingKeySecretValue(pair: SealingKeyPair): string {
  const value: SealingKeySecretValue = { 'tls.crt': pair.certificatePem, 'tls.key': pair.privateKeyPem };
  return JSON.stringify(value);
}

/** Parses and checks a stored key pair: both PEMs parse, the key is RSA, and the certificate is the key's. */
export function parseSealingKeySecret(text: string): SealingKeyPair {
  let value: Partial<SealingKeySecretValue>;
  try {
    value = JSON.parse(text);
  } catch {
    throw new Error('the secret is not JSON {"tls.crt","tls.key"}');
  }
  if (typeof value['tls.crt'] !== 'string' || typeof value['tls.key'] !== 'string') throw new Error('the secret lacks "tls.crt" or "tls.key"');
  const certificate = new NodeX509Certificate(value['tls.crt']);
  const key = createPrivateKey(value['tls.key']);
  if (key.asymmetricKeyType !== 'rsa') throw new Error(`the private key is ${key.asymmetricKeyType}, expected RSA (Sealed Secrets encrypts with RSA-OAEP)`);
  if (!certificate.checkPrivateKey(key)) throw new Error('the certificate does not belong to the private key');
  return { certificatePem: value['tls.crt'], privateKeyPem: value['tls.key'] };
}
