/**
 * Offline sealing in the Bitnami Sealed Secrets format (`pkg/crypto/crypto.go` `HybridEncrypt` and
 * `pkg/apis/sealedsecrets/v1alpha1` `EncryptionLabel` upstream), with node:crypto:
 *
 *   value = uint16 big-endian length of the RSA ciphertext || RSA ciphertext || AES-GCM ciphertext+tag
 *
 * - a fresh random 32-byte session key per value (AES-256-GCM, 12-byte all-zero nonce: the key is used once,
 *   16-byte tag appended, no additional data);
 * - the session key encrypted with RSA-OAEP, SHA-256 for both OAEP and MGF1, and the scope label as OAEP
 *   label: strict scope is `<namespace>/<name>`, so the controller refuses to unseal it under any other
 *   namespace or name.
 * Compatibility is proven in __tests__/cli/seal.test.ts and docs/delivery.md ("Sealing format").
 */
import { constants, createCipheriv, publicEncrypt, randomBytes, X509Certificate, createHash, KeyObject } from 'crypto';
import { CommandError } from './command';

const SESSION_KEY_BYTES = 32;
const GCM_NONCE_BYTES = 12;
/** The controller generates 4096-bit keys; refuse anything weaker than 2048. */
const MIN_RSA_BITS = 2048;

export interface SealingCertificate {
  readonly publicKey: KeyObject;
  /** SHA-256 over the certificate (DER), as `openssl x509 -fingerprint -sha256` prints it. */
  readonly fingerprint: string;
  readonly validTo: Date;
}

/** Parses a PEM certificate like `kubeseal --cert`: the first certificate, an RSA key, not expired. */
export function parseCertificate(pem: string, shown: string, now: Date = new Date()): SealingCertificate {
  let cert: X509Certificate;
  try {
    cert = new X509Certificate(pem);
  } catch (error) {
    throw new CommandError(`${shown} is not a PEM X.509 certificate (${(error as Error).message})`);
  }
  const key = cert.publicKey;
  if (key.asymmetricKeyType !== 'rsa') throw new CommandError(`${shown} holds a ${key.asymmetricKeyType} key; Sealed Secrets needs RSA`);
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw new CommandError(`${shown} holds a ${bits}-bit RSA key; at least ${MIN_RSA_BITS} bits are required`);
  const validTo = new Date(cert.validTo);
  if (!(validTo.getTime() > now.getTime())) throw new CommandError(`${shown} expired on ${validTo.toISOString()}: fetch the controller's current certificate`);
  const fingerprint = createHash('sha256').update(cert.raw).digest('hex').match(/../g)!.join(':').toUpperCase();
  return { publicKey: key, fingerprint, validTo };
}

/** The OAEP label of strict scope (upstream `EncryptionLabel(namespace, name, StrictScope)`). */
export const strictScopeLabel = (namespace: string, name: string): Buffer => Buffer.from(`${namespace}/${name}`, 'utf8');

/** One sealed value, base64 (standard alphabet, padded) as it goes into `spec.encryptedData`. */
export function hybridEncrypt(publicKey: KeyObject, plaintext: Buffer, label: Buffer): string {
  const sessionKey = randomBytes(SESSION_KEY_BYTES);
  const sealedKey = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256', oaepLabel: label }, sessionKey);
  const cipher = createCipheriv('aes-256-gcm', sessionKey, Buffer.alloc(GCM_NONCE_BYTES));
  const sealedValue = Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
  const length = Buffer.alloc(2);
  length.writeUInt16BE(sealedKey.length);
  return Buffer.concat([length, sealedKey, sealedValue]).toString('base64');
}
