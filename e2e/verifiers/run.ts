// Runs the relying-party verifiers written in other languages (fido2_verify.py with Yubico's
// python-fido2, webauthn_verify.rb with webauthn-ruby): one JSON request on stdin, one JSON verdict
// on stdout. Both libraries come from Debian (python3-fido2, ruby-webauthn), installed by
// ensureVerifiers() when absent. Python is Debian's own /usr/bin/python3: a pyenv python3 earlier on
// PATH does not see Debian's packages.
import { execFile } from 'node:child_process';
import { resolve } from 'node:path';
import { ensureDebianPackages } from '../lib/debianPackages';

const HERE = import.meta.dirname;
export const DEBIAN_PYTHON = '/usr/bin/python3';

export const VERIFIER_PACKAGES = ['python3-fido2', 'ruby-webauthn'] as const;

export function ensureVerifiers(): Promise<void> {
  return ensureDebianPackages(VERIFIER_PACKAGES);
}

export interface Verdict { verified: boolean; error?: string; [k: string]: unknown }

function runJson(cmd: string, args: string[], input: unknown): Promise<Verdict> {
  return new Promise((res, rej) => {
    const child = execFile(cmd, args, { timeout: 60_000, maxBuffer: 1 << 20 }, (err, stdout, stderr) => {
      const line = stdout.trim().split('\n').pop() ?? '';
      try { res(JSON.parse(line) as Verdict); } catch { rej(new Error(`${cmd} gave no verdict (${err?.message ?? ''}): ${stderr || stdout}`)); }
    });
    child.stdin!.end(JSON.stringify(input));
  });
}

/** The credential as a page gets it, every byte string base64url (as the suites build it). */
export interface RegistrationJSON { id: string; rawId: string; type: string; clientExtensionResults: Record<string, unknown>;
  response: { clientDataJSON: string; attestationObject: string; transports?: string[] } }
export interface AssertionJSON { id: string; rawId: string; type: string; clientExtensionResults: Record<string, unknown>;
  response: { clientDataJSON: string; authenticatorData: string; signature: string; userHandle?: string } }

export interface Expected { rpId: string; origin: string; challenge: string; userVerification: 'required' | 'preferred' | 'discouraged' }

/** python-fido2's Fido2Server. Registration gives `credential` (AttestedCredentialData) for the sign-ins. */
export const pythonFido2 = {
  register: (reg: RegistrationJSON, e: Expected) => runJson(DEBIAN_PYTHON, [resolve(HERE, 'fido2_verify.py')],
    { op: 'register', ...e, response: reg.response }),
  authenticate: (a: AssertionJSON, e: Expected, credential: string) => runJson(DEBIAN_PYTHON, [resolve(HERE, 'fido2_verify.py')],
    { op: 'authenticate', ...e, credential, response: { ...a.response, credentialId: a.rawId } }),
};

/** webauthn-ruby. Registration gives `publicKey` and `signCount` for the sign-ins. ES256 only (no EdDSA in 2.5.2). */
export const rubyWebauthn = {
  register: (reg: RegistrationJSON, e: Expected) => runJson('ruby', [resolve(HERE, 'webauthn_verify.rb')],
    { op: 'register', ...e, response: reg }),
  authenticate: (a: AssertionJSON, e: Expected, publicKey: string, signCount: number) => runJson('ruby', [resolve(HERE, 'webauthn_verify.rb')],
    { op: 'authenticate', ...e, publicKey, signCount, response: a }),
};
