# Verifies a WebAuthn registration or authentication with webauthn-ruby (Debian's ruby-webauthn,
# 2.5.2): WebAuthn::Credential.from_create / from_get and their verify, the relying-party side a
# Ruby (Rails) site would run.
#
# Reads one JSON request on stdin, prints one JSON verdict on stdout:
#   {"op": "register", "rpId", "origin", "challenge", "userVerification", "response": <PublicKeyCredential JSON>}
#     -> {"verified": true, "publicKey": <COSE key, base64url>, "signCount": n}
#   {"op": "authenticate", ..., "publicKey", "signCount", "response": <PublicKeyCredential JSON>}
#     -> {"verified": true, "signCount": n}
#   any failure -> {"verified": false, "error": "..."}
# Byte strings are base64url without padding (webauthn-ruby's default encoding). webauthn-ruby 2.5.2
# (with cose 1.2) supports ES256, PS256 and RS256, not EdDSA.
require "json"
require "webauthn"

# Debian's ruby-cose 1.2.0 builds an EC public key by mutating an empty OpenSSL::PKey::EC, which
# OpenSSL 3 forbids ("pkeys are immutable on OpenSSL 3.0"): every ES256 assertion check would fail
# before any signature is looked at. cose 1.3 builds the key from its DER form instead; this does
# the same for public keys, so webauthn-ruby's own verification runs unchanged. (Registration with
# attestation "none" never builds the key, so it is unaffected either way.)
module CoseEc2PublicKeyFromDer
  def to_pkey
    return super if d || !curve
    spki = OpenSSL::ASN1::Sequence([
      OpenSSL::ASN1::Sequence([OpenSSL::ASN1::ObjectId("id-ecPublicKey"), OpenSSL::ASN1::ObjectId(curve.pkey_name)]),
      OpenSSL::ASN1::BitString("\x04".b + x + y),
    ])
    OpenSSL::PKey::EC.new(spki.to_der)
  end
end
COSE::Key::EC2.prepend(CoseEc2PublicKeyFromDer)

def verdict
  req = JSON.parse($stdin.read)
  WebAuthn.configure do |c|
    c.origin = req.fetch("origin")
    c.rp_id = req.fetch("rpId")
    c.rp_name = "Latchkey e2e"
    c.algorithms = ["ES256", "PS256", "RS256"]
  end
  uv = req["userVerification"] == "required"
  case req.fetch("op")
  when "register"
    credential = WebAuthn::Credential.from_create(req.fetch("response"))
    credential.verify(req.fetch("challenge"), user_verification: uv)
    { verified: true, publicKey: credential.public_key, signCount: credential.sign_count }
  when "authenticate"
    credential = WebAuthn::Credential.from_get(req.fetch("response"))
    credential.verify(req.fetch("challenge"), public_key: req.fetch("publicKey"), sign_count: req.fetch("signCount"), user_verification: uv)
    { verified: true, signCount: credential.sign_count }
  else
    raise "unknown op #{req['op']}"
  end
rescue StandardError => e
  { verified: false, error: "#{e.class}: #{e.message}" }
end

puts JSON.generate(verdict)
