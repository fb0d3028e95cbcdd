// Latchkey's AAGUID (§6.5.1 Attested Credential Data: "The AAGUID of the authenticator", 16 bytes).
// With "none" attestation (§8.7) nothing vouches for it; RPs may still use it to show a name/icon.

export const LATCHKEY_AAGUID_STRING = '2332c610-74c5-48a4-a987-96300ef7cd89';

/** The 16 bytes of LATCHKEY_AAGUID_STRING, in the order they appear in attested credential data. */
export const LATCHKEY_AAGUID: Uint8Array<ArrayBuffer> = /* @__PURE__ */ Uint8Array.from(
  LATCHKEY_AAGUID_STRING.replaceAll('-', '').match(/../g)!,
  (hex) => parseInt(hex, 16),
);
