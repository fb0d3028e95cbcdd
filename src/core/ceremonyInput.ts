/** What both authenticator operations need to know about the ceremony (client data and flags). */
export interface CeremonyInput {
  rpId: string;
  origin: string;
  /** base64url, as it goes into clientDataJSON */
  challenge: string;
  crossOrigin: boolean;
  topOrigin?: string;
  /** UV flag: user verification was performed */
  uv: boolean;
  /** BE flag, default false; never changes after creation (§6.1.3) */
  be?: boolean;
  /** BS flag, default false; true requires be */
  bs?: boolean;
}
