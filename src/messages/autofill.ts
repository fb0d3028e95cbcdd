// The autofill offer's protocol (autofill/ -> background, src/background/conditional.ts). Only the
// offer frame Latchkey placed may send these (the background checks the sender's URL and the
// offer's token). The RP and the accounts' names only: never key material.
import type { AccountView } from './protocol';

export type AutofillMessage = { type: 'autofill/list'; token: string } | { type: 'autofill/choose'; token: string; credentialId: string };

/** What the autofill frame may know: the RP and the accounts; never key material. */
export interface OfferView {
  rpId: string;
  accounts: AccountView[];
}

/** After a choice: done (the page has its answer), the window took over (PIN), or an error to show. */
export type ChooseAnswer = { next: 'done' } | { next: 'window' } | { next: 'error'; message: string };
