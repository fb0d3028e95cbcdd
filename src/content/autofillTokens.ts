// Whether an autocomplete attribute asks for passkeys: the token "webauthn" (HTML, "autofill detail
// tokens"; WebAuthn L3 §5.1.4 applies conditional mediation to such inputs). The attribute is split
// on ASCII whitespace and compared ASCII case-insensitively, as HTML does. HTML wants "webauthn" last;
// Latchkey accepts it anywhere in the list, as the browsers' own autofill does.
export function asksForPasskeys(autocomplete: string | null): boolean {
  if (!autocomplete) return false;
  return autocomplete.split(/[\t\n\f\r ]+/).some((t) => t.toLowerCase() === 'webauthn');
}
