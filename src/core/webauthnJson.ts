// JSON shapes of WebAuthn options and results: what core's ceremonies read and return, and what
// crosses the page -> background boundary (src/messages/wire.ts hands them to the other layers).
// Binary members are base64url strings without padding, as in the WebAuthn Level 3 *JSON types
// (https://w3c.github.io/webauthn/#dictdef-publickeycredentialcreationoptionsjson).
// These are shapes only: whatever arrives from a content script is re-checked by the background.

export type Base64URLString = string;

export interface PublicKeyCredentialRpEntityJSON { id?: string; name: string }
export interface PublicKeyCredentialUserEntityJSON { id: Base64URLString; name: string; displayName: string }
export interface PublicKeyCredentialParametersJSON { type: string; alg: number }
export interface PublicKeyCredentialDescriptorJSON { type: string; id: Base64URLString; transports?: string[] }
export interface AuthenticatorSelectionCriteriaJSON {
  authenticatorAttachment?: string;
  residentKey?: string;
  requireResidentKey?: boolean;
  userVerification?: string;
}

// prf (https://w3c.github.io/webauthn/#prf-extension, §10.1.4): inputs and outputs in their JSON forms.
export interface AuthenticationExtensionsPRFValuesJSON { first: Base64URLString; second?: Base64URLString }
export interface AuthenticationExtensionsPRFInputsJSON {
  eval?: AuthenticationExtensionsPRFValuesJSON;
  /** Keys are canonical base64url credential ids (checked against allowCredentials by main-world and the background). */
  evalByCredential?: Record<string, AuthenticationExtensionsPRFValuesJSON>;
}
export interface AuthenticationExtensionsPRFOutputsJSON { enabled?: boolean; results?: AuthenticationExtensionsPRFValuesJSON }

/** The extension inputs Latchkey carries (§5.7.1 AuthenticationExtensionsClientInputsJSON); others are dropped. */
export interface AuthenticationExtensionsClientInputsJSON {
  /**
   * appid (§10.1.1), credProtect's two inputs (CTAP 2.1), payment (SPC): decided in the page
   * (src/client/extensions.ts, main-world.ts); the background drops them.
   */
  appid?: string;
  credentialProtectionPolicy?: string;
  enforceCredentialProtectionPolicy?: boolean;
  payment?: { isPayment?: boolean };
  credProps?: boolean;
  /**
   * largeBlob (§10.1.5): Latchkey stores no large blobs; the page side answers it (main-world.ts,
   * src/client/largeBlob.ts) and the background drops it.
   */
  largeBlob?: AuthenticationExtensionsLargeBlobInputsJSON;
  prf?: AuthenticationExtensionsPRFInputsJSON;
}

/** §10.1.5 AuthenticationExtensionsLargeBlobInputs, write as base64url. */
export interface AuthenticationExtensionsLargeBlobInputsJSON {
  read?: boolean;
  support?: string;
  write?: Base64URLString;
}

export interface PublicKeyCredentialCreationOptionsJSON {
  rp: PublicKeyCredentialRpEntityJSON;
  user: PublicKeyCredentialUserEntityJSON;
  challenge: Base64URLString;
  pubKeyCredParams: PublicKeyCredentialParametersJSON[];
  timeout?: number;
  excludeCredentials?: PublicKeyCredentialDescriptorJSON[];
  authenticatorSelection?: AuthenticatorSelectionCriteriaJSON;
  hints?: string[];
  attestation?: string;
  extensions?: AuthenticationExtensionsClientInputsJSON;
}

export interface PublicKeyCredentialRequestOptionsJSON {
  challenge: Base64URLString;
  timeout?: number;
  rpId?: string;
  allowCredentials?: PublicKeyCredentialDescriptorJSON[];
  userVerification?: string;
  hints?: string[];
  extensions?: AuthenticationExtensionsClientInputsJSON;
}

/** https://w3c.github.io/webauthn/#dictdef-registrationresponsejson */
export interface RegistrationResponseJSON {
  id: Base64URLString;
  rawId: Base64URLString;
  type: 'public-key';
  authenticatorAttachment: 'platform' | 'cross-platform' | null;
  response: {
    clientDataJSON: Base64URLString;
    attestationObject: Base64URLString;
    authenticatorData: Base64URLString;
    transports: string[];
    publicKey: Base64URLString; // SubjectPublicKeyInfo, DER
    publicKeyAlgorithm: number; // COSE algorithm identifier
  };
  clientExtensionResults: Record<string, unknown>;
}

/** https://w3c.github.io/webauthn/#dictdef-authenticationresponsejson */
export interface AuthenticationResponseJSON {
  id: Base64URLString;
  rawId: Base64URLString;
  type: 'public-key';
  authenticatorAttachment: 'platform' | 'cross-platform' | null;
  response: {
    clientDataJSON: Base64URLString;
    authenticatorData: Base64URLString;
    signature: Base64URLString;
    userHandle?: Base64URLString;
  };
  clientExtensionResults: Record<string, unknown>;
}
