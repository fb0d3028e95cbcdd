/**
 * Server-rendered HTML for the demo relying party. No external resources: one inline style and
 * the plain-JS client at /client.js.
 *
 * Tests drive these pages by role and accessible name, so names are chosen not to collide:
 * getByRole's name match is a case-insensitive substring, which is why the password form is hidden
 * while "Sign in with a passkey" shows (else "Sign in" would match both buttons), and why the
 * security-info page has no other button whose name contains "Passkey".
 */
import type { StoredPasskey, StoredSession, StoredUser } from './store.js';

export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const STYLE = `
body { font: 15px/1.45 system-ui, sans-serif; max-width: 40rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
button { font: inherit; padding: .35rem .9rem; margin: .2rem .3rem .2rem 0; cursor: pointer; }
input { font: inherit; padding: .3rem; width: 100%; box-sizing: border-box; margin-bottom: .6rem; }
label { display: block; font-weight: 600; }
.card { border: 1px solid #ccc; border-radius: 6px; padding: 1rem; margin: 1rem 0; }
#methods { list-style: none; padding: 0; }
#methods li { border-bottom: 1px solid #eee; padding: .5rem 0; }
.detail { color: #555; font-size: 90%; }
#status { color: #0b5394; }
#error { color: #b00020; font-weight: 600; }
[hidden] { display: none !important; }
`;

/** The message areas every page with a ceremony has; hidden while empty. */
function messages(status = ''): string {
  return `
<div id="status" role="status" data-testid="status"${status ? '' : ' hidden'}>${escapeHtml(status)}</div>
<div id="error" role="alert" data-testid="error" hidden></div>`;
}

function layout(o: { title: string; page: string; body: string; script?: boolean }): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(o.title)} · Latchkey Demo</title>
<style>${STYLE}</style>
</head>
<body data-page="${o.page}">
${o.body}
${o.script === false ? '' : '<script src="/client.js" defer></script>'}
</body>
</html>
`;
}

export function signInPage(): string {
  return layout({
    title: 'Sign in',
    page: 'sign-in',
    body: `
<main>
<h1>Sign in</h1>
<p>Latchkey Demo: a work account's sign-in, for trying passkeys.</p>
<form id="password-form" class="card" novalidate>
  <label for="email">Email</label>
  <input id="email" name="email" type="email" autocomplete="username webauthn" required>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit" id="sign-in">Sign in</button>
</form>
<button type="button" id="show-options" aria-expanded="false" aria-controls="sign-in-options">Sign-in options</button>
<section id="sign-in-options" class="card" aria-labelledby="sign-in-options-title" hidden>
  <h2 id="sign-in-options-title">Sign-in options</h2>
  <p>Use the passkey saved for this site. No email needed.</p>
  <button type="button" id="passkey-sign-in">Sign in with a passkey</button>
  <button type="button" id="options-back">Back</button>
</section>
${messages()}
</main>`,
  });
}

function formatDate(iso: string | null): string {
  if (!iso) return 'never';
  // A fixed locale and zone, so the text is the same on every machine.
  const text = new Date(iso).toLocaleString('en-GB', {
    dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC',
  });
  return `<time datetime="${escapeHtml(iso)}">${escapeHtml(text)} UTC</time>`;
}

function passkeyItem(p: StoredPasskey): string {
  return `
  <li data-testid="method-passkey" data-credential-id="${escapeHtml(p.id)}">
    <strong class="method-name">${escapeHtml(p.name)}</strong>
    <div class="detail">Passkey · created ${formatDate(p.createdAt)} · last used ${formatDate(p.lastUsedAt)}
      · user verified: ${p.uv ? 'yes' : 'no'}</div>
  </li>`;
}

/** The list of sign-in methods; the client re-fetches the page and swaps this list after a change. */
export function methodsList(passkeys: StoredPasskey[]): string {
  return `<ul id="methods" aria-label="Sign-in methods" data-testid="methods">
  <li data-testid="method-password"><strong class="method-name">Password</strong>
    <div class="detail">The account's password</div></li>${passkeys.map(passkeyItem).join('')}
</ul>`;
}

export function signedInText(user: StoredUser, session: StoredSession): string {
  return session.method === 'passkey'
    ? `Signed in as ${user.email} with a passkey (user verified: ${session.uv ? 'yes' : 'no'})`
    : `Signed in as ${user.email} with a password`;
}

export function securityInfoPage(o: {
  user: StoredUser;
  session: StoredSession;
  passkeys: StoredPasskey[];
}): string {
  return layout({
    title: 'Security info',
    page: 'security-info',
    body: `
<main>
<h1>Security info</h1>
<p>These are the methods you use to sign in to your account.</p>
${messages(signedInText(o.user, o.session))}
<section class="card" aria-labelledby="methods-title">
  <h2 id="methods-title">Sign-in methods</h2>
  ${methodsList(o.passkeys)}
  <button type="button" id="add-method" aria-controls="add-method-dialog">+ Add sign-in method</button>
</section>
<section id="add-method-dialog" role="dialog" aria-labelledby="add-method-title" class="card" hidden>
  <h2 id="add-method-title">Add a sign-in method</h2>
  <div id="step-choose">
    <p>Which method would you like to add?</p>
    <button type="button" id="choose-passkey">Passkey</button>
    <button type="button" id="choose-cancel">Cancel</button>
  </div>
  <div id="step-explain" hidden>
    <p>A passkey lets you sign in with your face, fingerprint, PIN or security key instead of a
      password. Your browser will ask where to save it.</p>
    <button type="button" id="passkey-back">Back</button>
    <button type="button" id="passkey-next">Next</button>
  </div>
  <div id="step-name" hidden>
    <p>Your passkey is saved. Give it a name you will recognise.</p>
    <label for="passkey-name">Passkey name</label>
    <input id="passkey-name" name="passkey-name" type="text" maxlength="64" autocomplete="off">
    <button type="button" id="passkey-done">Done</button>
  </div>
</section>
<button type="button" id="sign-out">Sign out</button>
</main>`,
  });
}

/** A bare secure page for tests that call navigator.credentials themselves. */
export function playgroundPage(): string {
  return layout({ title: 'Playground', page: 'playground', body: '<h1>Playground</h1>', script: false });
}

export function notFoundPage(): string {
  return layout({ title: 'Not found', page: 'not-found', body: '<h1>Not found</h1>', script: false });
}
