import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from "node:crypto";

/**
 * The calendar integration's server-side secrets, all derived from one
 * 32-byte key (the CALENDAR_TOKEN_KEY secret, base64): refresh tokens are
 * encrypted with AES-256-GCM under one derived key, OAuth `state` values are
 * signed with HMAC-SHA256 under another, so neither use can stand in for the other.
 */
export class CalendarKeyError extends Error {}

export interface EncryptedToken {
  /** Format version, so a future key rotation can tell old ciphertexts apart. */
  v: 1;
  iv: string;
  tag: string;
  ct: string;
}

export class CalendarSecrets {
  private readonly encryptionKey: Buffer;
  private readonly signingKey: Buffer;

  constructor(base64Key: string) {
    const key = Buffer.from(base64Key.trim(), "base64");
    if (key.length !== 32) {
      throw new CalendarKeyError(
        "CALENDAR_TOKEN_KEY must be 32 random bytes, base64-encoded (openssl rand -base64 32)",
      );
    }
    const derive = (info: string) =>
      Buffer.from(hkdfSync("sha256", key, Buffer.alloc(0), info, 32));
    this.encryptionKey = derive("calendar refresh token encryption v1");
    this.signingKey = derive("calendar oauth state signing v1");
  }

  /** The business id is bound in as associated data: a token copied to another tenant will not decrypt. */
  encrypt(plaintext: string, businessId: string): EncryptedToken {
    const iv = randomBytes(12);
    const cipher = createCipheriv("aes-256-gcm", this.encryptionKey, iv);
    cipher.setAAD(Buffer.from(businessId, "utf8"));
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final()]);
    return {
      v: 1,
      iv: iv.toString("base64"),
      tag: cipher.getAuthTag().toString("base64"),
      ct: ct.toString("base64"),
    };
  }

  /** Throws when the ciphertext was altered, belongs to another business or another key. */
  decrypt(token: EncryptedToken, businessId: string): string {
    const decipher = createDecipheriv(
      "aes-256-gcm",
      this.encryptionKey,
      Buffer.from(token.iv, "base64"),
    );
    decipher.setAAD(Buffer.from(businessId, "utf8"));
    decipher.setAuthTag(Buffer.from(token.tag, "base64"));
    return Buffer.concat([
      decipher.update(Buffer.from(token.ct, "base64")),
      decipher.final(),
    ]).toString("utf8");
  }

  sign(payload: string): string {
    return createHmac("sha256", this.signingKey).update(payload).digest("base64url");
  }

  verify(payload: string, signature: string): boolean {
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}
