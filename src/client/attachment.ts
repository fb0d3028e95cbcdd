// Whether a create() request may be answered by Latchkey at all, by authenticator attachment.
// Latchkey is a platform authenticator (§6.2.1). §5.1.3, for each authenticator that becomes
// available: "If options.authenticatorSelection.authenticatorAttachment is present and its value is
// not equal to authenticator's authenticator attachment modality, continue." An unknown value is
// ignored (§5.4.5: clients ignore unknown attachment values), so only "cross-platform" excludes it.
import type { AuthenticatorSelectionCriteriaJSON } from '../messages/wire';

export function excludesPlatformAuthenticator(selection: AuthenticatorSelectionCriteriaJSON | undefined): boolean {
  return selection?.authenticatorAttachment === 'cross-platform';
}
