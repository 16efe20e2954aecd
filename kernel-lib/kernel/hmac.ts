import { createHmac, timingSafeEqual } from 'crypto';

/** Signs and verifies the JSON parts of Jupyter wire messages (the `signature_scheme` of a connection file). */
export interface MessageSigner {
  /** Hex digest of `parts` (empty string when the connection has no key: signing is off). */
  sign(parts: Buffer[]): string;
  /** True when `signature` matches `parts` (always true when signing is off). */
  verify(signature: string, parts: Buffer[]): boolean;
}

/**
 * Create the signer for a connection file's `signature_scheme` (e.g. `hmac-sha256`) and `key`.
 * An empty key disables signing, as in jupyter_client.
 */
export function createSigner(scheme: string | undefined, key: string): MessageSigner {
  const algorithm = (scheme || 'hmac-sha256').replace(/^hmac-/, '');
  const sign = (parts: Buffer[]): string => {
    if (!key) return '';
    const hmac = createHmac(algorithm, key);
    for (const part of parts) hmac.update(part);
    return hmac.digest('hex');
  };
  const verify = (signature: string, parts: Buffer[]): boolean => {
    if (!key) return true;
    const expected = Buffer.from(sign(parts));
    const actual = Buffer.from(signature);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
  return { sign, verify };
}
