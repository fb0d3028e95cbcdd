// The RP zoo (e2e/rpzoo/shapes.ts): every shape registers and signs in through Latchkey, in
// Chromium and Firefox (no PIN, approving every ceremony, so no window), and each response is
// verified by real relying-party libraries: @simplewebauthn/server always, Yubico's python-fido2
// (ES256, EdDSA) and webauthn-ruby (ES256) from Debian's packages (e2e/verifiers/). Latchkey must
// answer every shape itself: lastCeremony says it made and signed, not the browser.
// With RPZOO_TABLE=<file> the run writes the shapes x browsers x verifiers table (Markdown) there;
// docs/INTEROP.md holds the one from the last run.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { verifyAuthenticationResponse, verifyRegistrationResponse } from '@simplewebauthn/server';
import { startBlankSite } from './conformance/browsers';
import { SIDES, type BrowserName, type Side } from './lib/sides';
import { SHAPES, verifiersFor, type Json, type Verifier } from './rpzoo/shapes';
import { ensureVerifiers, pythonFido2, rubyWebauthn, type AssertionJSON, type RegistrationJSON } from './verifiers/run';

const RP_ID = 'localhost';

/** In the page: decode the binary members of the JSON options, call create() or get(), encode the result. */
const CEREMONY = `async (kind, o) => {
  const dec = (s) => Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
  const enc = (buf) => { let s = ''; for (const x of new Uint8Array(buf)) s += String.fromCharCode(x); return btoa(s).replace(/\\+/g, '-').replace(/\\//g, '_').replace(/=+$/, ''); };
  const ids = (list) => list && list.map((d) => ({ ...d, id: dec(d.id) }));
  const signal = AbortSignal.timeout(30000);
  if (kind === 'create') {
    const publicKey = { ...o, challenge: dec(o.challenge), user: { ...o.user, id: dec(o.user.id) } };
    if (o.excludeCredentials) publicKey.excludeCredentials = ids(o.excludeCredentials);
    const c = await navigator.credentials.create({ publicKey, signal });
    return { id: c.id, rawId: enc(c.rawId), type: c.type, authenticatorAttachment: c.authenticatorAttachment, clientExtensionResults: c.getClientExtensionResults(),
      response: { clientDataJSON: enc(c.response.clientDataJSON), attestationObject: enc(c.response.attestationObject), transports: c.response.getTransports() } };
  }
  const publicKey = { ...o, challenge: dec(o.challenge) };
  if (o.allowCredentials) publicKey.allowCredentials = ids(o.allowCredentials);
  const c = await navigator.credentials.get({ publicKey, signal });
  const r = c.response;
  return { id: c.id, rawId: enc(c.rawId), type: c.type, authenticatorAttachment: c.authenticatorAttachment, clientExtensionResults: c.getClientExtensionResults(),
    response: { clientDataJSON: enc(r.clientDataJSON), authenticatorData: enc(r.authenticatorData), signature: enc(r.signature), userHandle: r.userHandle ? enc(r.userHandle) : undefined } };
}`;

type Outcome = { ok: true; verifiers: Verifier[]; alg: number } | { ok: false; error: string };
const results = new Map<string, Partial<Record<BrowserName, Outcome>>>();

let site: Awaited<ReturnType<typeof startBlankSite>>;
before(async () => { await ensureVerifiers(); site = await startBlankSite(); });
after(async () => {
  await site?.close();
  const table = renderTable();
  if (process.env.RPZOO_TABLE) writeFileSync(process.env.RPZOO_TABLE, table);
});

function renderTable(): string {
  const cell = (o: Outcome | undefined) => (!o ? 'not run' : o.ok ? `✓ ${o.alg === -8 ? 'EdDSA' : 'ES256'}` : `✗ ${o.error.slice(0, 60)}`);
  const lines = ['| shape | library | variant | Chromium | Firefox | verified by |', '|---|---|---|---|---|---|'];
  for (const s of SHAPES) {
    const r = results.get(s.id) ?? {};
    const by = [...new Set([...(r.chromium?.ok ? r.chromium.verifiers : []), ...(r.firefox?.ok ? r.firefox.verifiers : [])])].join(', ') || '—';
    lines.push(`| \`${s.id}\` | ${s.library} | ${s.variant.replace(/\|/g, '\\|')} | ${cell(r.chromium)} | ${cell(r.firefox)} | ${by} |`);
  }
  return `${lines.join('\n')}\n`;
}

const uvOf = (o: Json, op: 'create' | 'get') => String((op === 'create' ? (o.authenticatorSelection as Json | undefined)?.userVerification : o.userVerification) ?? 'preferred') as 'required' | 'preferred' | 'discouraged';

async function registerAndSignIn(side: Side, shapeId: string): Promise<Outcome> {
  const shape = SHAPES.find((s) => s.id === shapeId)!;
  const origin = new URL(site.url).origin;
  const createOptions = await shape.create(RP_ID);
  const reg = await side.run<RegistrationJSON & { error?: string }>(CEREMONY, ['create', createOptions]);
  assert.equal(reg.error, undefined, `create: ${JSON.stringify(reg)}`);
  assert.equal((await side.latchkey.lastCeremony())?.outcome, 'created', 'Latchkey made the passkey (not the browser)');
  const regUv = uvOf(createOptions, 'create');
  const regExpect = { rpId: RP_ID, origin, challenge: String(createOptions.challenge), userVerification: regUv };
  const v = await verifyRegistrationResponse({ response: reg as never, expectedChallenge: regExpect.challenge, expectedOrigin: origin, expectedRPID: RP_ID, requireUserVerification: regUv === 'required' });
  assert.equal(v.verified, true, '@simplewebauthn/server verifies the registration');
  const alg = v.registrationInfo!.credential.publicKey && (await side.latchkey.listPasskeys(RP_ID)).find((p) => p.credentialId === reg.rawId)!.alg;
  const verifiers = verifiersFor(alg);
  const py = await pythonFido2.register(reg, regExpect);
  assert.equal(py.verified, true, `python-fido2: ${py.error ?? ''}`);
  let rb: { verified: boolean; publicKey?: unknown; signCount?: unknown; error?: string } = { verified: false };
  if (verifiers.includes('webauthn-ruby')) {
    rb = await rubyWebauthn.register(reg, regExpect);
    assert.equal(rb.verified, true, `webauthn-ruby: ${rb.error ?? ''}`);
  }

  const getOptions = await shape.get(RP_ID, reg.rawId);
  const a = await side.run<AssertionJSON & { error?: string }>(CEREMONY, ['get', getOptions]);
  assert.equal(a.error, undefined, `get: ${JSON.stringify(a)}`);
  assert.equal(a.rawId, reg.rawId);
  assert.equal((await side.latchkey.lastCeremony())?.outcome, 'asserted', 'Latchkey signed (not the browser)');
  const getUv = uvOf(getOptions, 'get');
  const getExpect = { rpId: RP_ID, origin, challenge: String(getOptions.challenge), userVerification: getUv };
  const va = await verifyAuthenticationResponse({ response: a as never, expectedChallenge: getExpect.challenge, expectedOrigin: origin, expectedRPID: RP_ID,
    credential: v.registrationInfo!.credential, requireUserVerification: getUv === 'required' });
  assert.equal(va.verified, true, '@simplewebauthn/server verifies the assertion');
  const pya = await pythonFido2.authenticate(a, getExpect, String(py.credential));
  assert.equal(pya.verified, true, `python-fido2: ${pya.error ?? ''}`);
  if (verifiers.includes('webauthn-ruby')) {
    const rba = await rubyWebauthn.authenticate(a, getExpect, String(rb.publicKey), Number(rb.signCount ?? 0));
    assert.equal(rba.verified, true, `webauthn-ruby: ${rba.error ?? ''}`);
  }
  return { ok: true, verifiers, alg };
}

for (const { name, launch } of SIDES) {
  describe(`RP zoo in ${name}`, { timeout: 600_000 }, () => {
    let side: Side;
    before(async () => {
      side = await launch();
      await side.latchkey.skipPin();
      await side.latchkey.approveAll();
      await side.goto(site.url);
    });
    after(async () => { await side?.close(); });
    for (const shape of SHAPES) {
      test(`${shape.id}: ${shape.library}, ${shape.variant}`, async () => {
        const row = results.get(shape.id) ?? {};
        results.set(shape.id, row);
        try {
          row[name] = await registerAndSignIn(side, shape.id);
        } catch (e) {
          row[name] = { ok: false, error: (e as Error).message.split('\n')[0]! };
          throw e;
        }
      });
    }
  });
}
