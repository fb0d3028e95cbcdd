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
  /**
   * UP flag, default true. False only for a conditional create (§5.1.3, mediation "conditional":
   * "The authenticator SHOULD set BOTH userPresence and userVerification to FALSE ... unless
   * explicitly collected during the ceremony"), where no one was asked.
   */
  up?: boolean;
  /** BE flag, default false; never changes after creation (§6.1.3) */
  be?: boolean;
  /** BS flag, default false; true requires be */
  bs?: boolean;
}
