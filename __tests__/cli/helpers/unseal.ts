/**
 * A test-only decryptor for SealedSecret values, written on WebCrypto (`crypto.subtle`) rather than the
 * node:crypto calls `cli/lib/sealing.ts` encrypts with, and step by step as upstream's
 * `singleDecrypt` (bitnami-labs/sealed-secrets pkg/crypto/crypto.go) and `Unseal` do:
 *   1. at least 2 bytes; the first 2 are the big-endian length n of the RSA ciphertext; at least n + 2 bytes;
 *   2. RSA-OAEP (SHA-256) decrypt bytes [2, n+2) with the label -> the session key;
 *   3. AES-GCM with that key, a 12-byte zero nonce and a 16-byte tag over the rest -> the value.
 * The label comes from the SealedSecret's own metadata and scope annotations, as the controller derives it.
 */
import { webcrypto } from 'crypto';

const subtle = webcrypto.subtle;

export async function hybridDecrypt(key: webcrypto.CryptoKey, ciphertext: Uint8Array, label: Uint8Array): Promise<Buffer> {
  if (ciphertext.length < 2) throw new Error('SealedSecret data is too short');
  const rsaLength = (ciphertext[0] << 8) | ciphertext[1];
  if (ciphertext.length < rsaLength + 2) throw new Error('SealedSecret data is too short');
  const sessionKey = await subtle.decrypt({ name: 'RSA-OAEP', label }, key, ciphertext.subarray(2, rsaLength + 2));
  if (sessionKey.byteLength !== 32) throw new Error(`session key of ${sessionKey.byteLength} bytes, expected 32 (AES-256)`);
  const aes = await subtle.importKey('raw', sessionKey, { name: 'AES-GCM' }, false, ['decrypt']);
  return Buffer.from(await subtle.decrypt({ name: 'AES-GCM', iv: new Uint8Array(12), tagLength: 128 }, aes, ciphertext.subarray(rsaLength + 2)));
}

/** Upstream `EncryptionLabel` from the object's annotations: cluster-wide "", namespace-wide "<ns>", else "<ns>/<name>". */
export function labelOf(metadata: { name: string; namespace?: string; annotations?: Record<string, string> }): Uint8Array {
  const a = metadata.annotations ?? {};
  if (a['sealedsecrets.bitnami.com/cluster-wide'] === 'true') return new Uint8Array();
  if (a['sealedsecrets.bitnami.com/namespace-wide'] === 'true') return Buffer.from(metadata.namespace ?? '', 'utf8');
  return Buffer.from(`${metadata.namespace ?? ''}/${metadata.name}`, 'utf8');
}

/** Every value of a SealedSecret, decrypted as the controller would (the Secret's `data`, as text). */
export async function unsealAll(
  sealed: { metadata: { name: string; namespace?: string; annotations?: Record<string, string> }; spec: { encryptedData: Record<string, string> } },
  key: webcrypto.CryptoKey,
): Promise<Record<string, string>> {
  const label = labelOf(sealed.metadata);
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(sealed.spec.encryptedData)) out[k] = (await hybridDecrypt(key, Buffer.from(v, 'base64'), label)).toString('utf8');
  return out;
}
