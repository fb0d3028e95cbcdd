"""Verifies a WebAuthn registration or authentication with Yubico's python-fido2 (Debian's
python3-fido2, 0.9.1), through its Fido2Server: the relying-party side a Python site would run.

Reads one JSON request on stdin, prints one JSON verdict on stdout:
  {"op": "register", "rpId", "origin", "challenge", "userVerification", "response": {clientDataJSON, attestationObject}}
    -> {"verified": true, "credential": <AttestedCredentialData, base64url>, "alg": -7|-8}
  {"op": "authenticate", "rpId", "origin", "challenge", "userVerification", "credential", "response":
     {credentialId, clientDataJSON, authenticatorData, signature}}
    -> {"verified": true}
  any failure -> {"verified": false, "error": "..."}
Byte strings are base64url without padding. Run with Debian's /usr/bin/python3.
"""
import base64
import json
import sys

from fido2.client import ClientData
from fido2.ctap2 import AttestationObject, AttestedCredentialData, AuthenticatorData
from fido2.server import Fido2Server
from fido2.webauthn import PublicKeyCredentialRpEntity


def b64u_decode(s):
    return base64.urlsafe_b64decode(s + "=" * (-len(s) % 4))


def b64u_encode(b):
    return base64.urlsafe_b64encode(bytes(b)).rstrip(b"=").decode()


def server_for(req):
    rp = PublicKeyCredentialRpEntity(req["rpId"], "Latchkey e2e")
    # Fido2Server's default origin check wants https; the test site is http://localhost (a secure
    # context), so the check is the exact origin instead.
    return Fido2Server(rp, attestation="none", verify_origin=lambda o: o == req["origin"])


def state_for(req):
    # Fido2Server's own state, as register_begin / authenticate_begin would have kept it.
    challenge = b64u_decode(req["challenge"])
    return {"challenge": b64u_encode(challenge), "user_verification": req.get("userVerification", "preferred")}


def main():
    req = json.load(sys.stdin)
    server = server_for(req)
    r = req["response"]
    client_data = ClientData(b64u_decode(r["clientDataJSON"]))
    if req["op"] == "register":
        att = AttestationObject(b64u_decode(r["attestationObject"]))
        auth_data = server.register_complete(state_for(req), client_data, att)
        cred = auth_data.credential_data
        return {"verified": True, "credential": b64u_encode(cred), "alg": cred.public_key.ALGORITHM, "fmt": att.fmt}
    if req["op"] == "authenticate":
        cred = AttestedCredentialData(b64u_decode(req["credential"]))
        server.authenticate_complete(
            state_for(req), [cred], b64u_decode(r["credentialId"]), client_data,
            AuthenticatorData(b64u_decode(r["authenticatorData"])), b64u_decode(r["signature"]),
        )
        return {"verified": True}
    raise ValueError("unknown op " + str(req["op"]))


if __name__ == "__main__":
    try:
        verdict = main()
    except Exception as e:  # the verdict says what failed; the caller decides
        verdict = {"verified": False, "error": type(e).__name__ + ": " + str(e)}
    print(json.dumps(verdict))
