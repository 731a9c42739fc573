#!/usr/bin/env python3
"""A PairGate client and authenticator written only from the docs, in Python, with oathtool codes.

Following docs/PROTOCOL.md ("Pairing a device and the /device
handshake", "Login with a paired device"), it registers an account, logs in (password, then an
RSASSA-PSS signature made by openssl), asks for a binding code, pairs an anonymous /device socket
with device:bind, checks that the client was told (device:bound), and then logs in three more
times with HOTP codes computed by oathtool from the secret the hub returned:

  a. with the code typed into the client (auth:complete with otp);
  b. with the same code again, which the hub must refuse (invalid_otp);
  c. with an approval from the paired /device socket (challenge:new, number matching,
     auth:prove-key, then challenge:approve with the next code and the number typed, challenge:approved,
     auth:complete without otp).

At the end it deletes the account with its device (account:delete), so the hub is left as it
was; after a failure it deletes the account too when it already holds a session of it.

    python3 scripts/events/foreign-device.py --hub https://127.0.0.1:8443 \
        --ca certs/ca.pem --username alice --email alice@example.org \
        --password-file password.txt --key key.pem --outbox data/outbox

On a hub that requires a confirmed email address (the default), the code emailed at registration
is read from --outbox (the hub's data/outbox, when it runs without SMTP_URL) or asked for.

Needs python-socketio 5 with aiohttp (Debian: python3-socketio python3-aiohttp, with Debian's
/usr/bin/python3; it says so when they are missing), the openssl command and oathtool (Debian: oathtool). Prints
one JSON line per step and exits 1 at the first failure. The password, the tokens, the
signatures, the binding code, the HOTP secret and the codes are never printed.
"""
import json
import base64
import binascii
import subprocess
import sys

from pairgate_hub import (
    account_arguments, check, open_connection, public_key_pem, report, run_steps, secret, sign_challenge, StepFailed,
    verification_code,
)

CLIENT = "/client"
DEVICE = "/device"


# --- oathtool: the HOTP codes -----------------------------------------------------------------

def secret_to_hex(base32_secret):
    """The base32 secret of device:bind as the hex key oathtool reads (RFC 4648 base32)."""
    text = base32_secret.strip().replace(" ", "").upper()
    text += "=" * (-len(text) % 8)  # the docs do not say whether the hub pads; b32decode needs it
    try:
        raw = base64.b32decode(text)
    except (binascii.Error, ValueError) as error:
        raise StepFailed("device:bind: the secret is not base32: %s" % type(error).__name__)
    return secret(raw.hex())


def oathtool_code(hex_key, counter):
    """`oathtool --hotp <hex> -c <counter>`; the key goes on stdin ("-"), so it is not in argv."""
    try:
        result = subprocess.run(["oathtool", "--hotp", "-", "-c", str(counter)],
                                input=(hex_key + "\n").encode("ascii"), capture_output=True)
    except FileNotFoundError:
        raise StepFailed("oathtool is not installed (Debian package: oathtool)")
    if result.returncode != 0:
        raise StepFailed("oathtool failed: %s" % result.stderr.decode(errors="replace").strip())
    code = result.stdout.decode("ascii").strip()
    check(len(code) == 6 and code.isdigit(), "oathtool did not print a 6-digit code")
    return secret(code)


async def connect(args, namespace, step, auth=None, pushes=()):
    conn = await open_connection(args.hub, args.ca, namespace, auth=auth, pushes=pushes)
    check(conn.refusal is None, "%s: connect refused: %r" % (step, conn.refusal))
    report(step, True, namespace=namespace, transport=conn.sio.transport())
    return conn


async def login(conn, args, password, step):
    """auth:login; returns the challenge (challengeId, nonce, factors). Nothing is pushed to a device yet."""
    challenge = await conn.call_ok("auth:login", {"username": args.username, "password": password, "clientName": "foreign-device.py"})
    secret(challenge.get("nonce"))
    check("numberMatch" not in challenge, "%s: auth:login must not carry a number: the device is asked only after auth:prove-key" % step)
    report(step, True, factors=challenge["factors"])
    return challenge


def expect_second_factor(challenge, step):
    check(challenge["factors"] == ["signature", "otp"],
          "%s: a paired account must ask for [signature, otp], got %r" % (step, challenge["factors"]))


async def prove_key(conn, args, challenge, step):
    """auth:prove-key: the key signature makes the hub ask the devices; returns the number to show."""
    proof = await conn.call_ok("auth:prove-key", {
        "challengeId": challenge["challengeId"],
        "signature": sign_challenge(args.key, challenge["challengeId"], challenge["nonce"]),
    })
    number = proof.get("numberMatch")
    check(isinstance(number, str) and len(number) == 2 and number.isdigit(), "%s: no two-digit numberMatch: %r" % (step, number))
    check(proof.get("devicesAsked") == 1 and proof.get("newKey") is False, "%s: unexpected reply %r" % (step, {k: v for k, v in proof.items() if k != "numberMatch"}))
    report(step, True, devicesAsked=proof["devicesAsked"], newKey=proof["newKey"])
    return number


async def complete(conn, args, challenge, otp=None):
    payload = {
        "challengeId": challenge["challengeId"],
        "signature": sign_challenge(args.key, challenge["challengeId"], challenge["nonce"]),
        "clientName": "foreign-device.py",
    }
    if otp is not None:
        payload["otp"] = otp
    return await conn.call("auth:complete", payload)


async def complete_ok(conn, args, challenge, step, otp=None):
    ack = await complete(conn, args, challenge, otp)
    if not ack["ok"]:
        error = ack.get("error") or {}
        raise StepFailed("%s: auth:complete: %s: %s" % (step, error.get("code"), error.get("message")))
    session = ack["data"]
    check(isinstance(session.get("token"), str) and session["token"], "%s: auth:complete gave no token" % step)
    secret(session["token"])
    check(session["user"]["username"] == args.username, "%s: auth:complete: unexpected user" % step)
    report(step, True, username=session["user"]["username"], token=True, expiresAt=session["expiresAt"])
    return session


async def run(args, password, account):
    # 1. Register, then log in with password + signature (no device yet: signature alone).
    client = await connect(args, CLIENT, "connect:client", pushes=("device:bound",))
    registered = await client.call_ok("account:register", {
        "username": args.username, "email": args.email, "password": password,
        "publicKey": public_key_pem(args.key),
    })
    account.registered = True
    check(registered["user"]["username"] == args.username, "account:register: unexpected user")
    report("account:register", True, username=registered["user"]["username"],
           emailVerificationRequired=registered["emailVerificationRequired"])
    if registered["emailVerificationRequired"]:
        verified = await client.call_ok("account:verify-email", {"username": args.username, "code": await verification_code(args)})
        report("account:verify-email", True, verified=verified["verified"])

    challenge = await login(client, args, password, "auth:login")
    check(challenge["factors"] == ["signature"], "auth:login: without a device only the signature should be asked")
    account.token = (await complete_ok(client, args, challenge, "auth:complete"))["token"]  # this socket is now authenticated

    # 2. Pairing: a binding code on the authenticated /client socket, device:bind on an
    #    anonymous /device socket, and device:bound pushed to the /client socket.
    binding = await client.call_ok("device:create-binding-code", {"name": "py-authenticator"})
    binding_code = secret(binding["code"])
    check(isinstance(binding_code, str) and len(binding_code.replace("-", "")) == 8,
          "device:create-binding-code: the code is not XXXX-XXXX")
    report("device:create-binding-code", True, expiresAt=binding["expiresAt"])

    anonymous_device = await connect(args, DEVICE, "connect:device-anonymous")
    bound = await anonymous_device.call_ok("device:bind", {"code": binding_code, "name": "py-authenticator"})
    device_id = bound["deviceId"]
    device_token = secret(bound["deviceToken"])
    secret(bound["secret"])
    check(bound["username"] == args.username, "device:bind: the device belongs to %r" % bound["username"])
    check(bound["digits"] == 6 and bound["algorithm"] == "SHA1",
          "device:bind: expected 6 digits and SHA1, got %r and %r" % (bound["digits"], bound["algorithm"]))
    check(isinstance(bound["counter"], int) and bound["counter"] >= 0, "device:bind: counter is not an integer")
    hex_key = secret_to_hex(bound["secret"])
    check(len(hex_key) == 40, "device:bind: the secret is %d bits, not 160" % (len(hex_key) * 4))
    report("device:bind", True, username=bound["username"], counter=bound["counter"], digits=bound["digits"],
           algorithm=bound["algorithm"], secretBits=len(hex_key) * 4)
    await anonymous_device.close()

    pushed = await client.wait_push("device:bound", lambda payload: (payload.get("device") or {}).get("id") == device_id)
    check(pushed is not None, "device:bound was not pushed to the /client socket that asked for the code")
    check(pushed["device"]["name"] == "py-authenticator", "device:bound: unexpected name %r" % pushed["device"]["name"])
    report("device:bound", True, name=pushed["device"]["name"])
    await client.close()

    # The counter of device:bind is the counter of the device's next code (the docs' example:
    # counter 0 with the RFC 4226 secret, and 755224, HOTP(0), in the challenge:approve example).
    counter = bound["counter"]

    # 3a. Log in with the code typed into the client.
    conn = await connect(args, CLIENT, "connect:client-otp")
    challenge = await login(conn, args, password, "auth:login:otp")
    expect_second_factor(challenge, "auth:login:otp")
    first_code = oathtool_code(hex_key, counter)
    await complete_ok(conn, args, challenge, "auth:complete:otp", otp=first_code)
    await conn.close()

    # 3b. The same code a second time must be refused.
    conn = await connect(args, CLIENT, "connect:client-replay")
    challenge = await login(conn, args, password, "auth:login:replay")
    expect_second_factor(challenge, "auth:login:replay")
    ack = await complete(conn, args, challenge, otp=first_code)
    check(not ack["ok"], "auth:complete accepted a code that was already used")
    code = (ack.get("error") or {}).get("code")
    check(code == "invalid_otp", "a used code was refused, but not with invalid_otp: %r" % code)
    report("auth:complete:replay", True, refused=True, code=code)
    await conn.close()

    # 3c. Log in with an approval on the paired device and the next code.
    device = await connect(args, DEVICE, "connect:device", auth={"deviceId": device_id, "deviceToken": device_token},
                           pushes=("challenge:new", "challenge:closed"))
    conn = await connect(args, CLIENT, "connect:client-approval", pushes=("challenge:approved", "challenge:denied"))
    challenge = await login(conn, args, password, "auth:login:approval")
    expect_second_factor(challenge, "auth:login:approval")
    challenge_id = challenge["challengeId"]
    number = await prove_key(conn, args, challenge, "auth:prove-key")

    pending = await device.wait_push("challenge:new", lambda payload: payload.get("challengeId") == challenge_id)
    check(pending is not None, "challenge:new was not pushed to the paired /device socket")
    check(pending["username"] == args.username, "challenge:new: unexpected username %r" % pending["username"])
    check("numberMatchOptions" not in pending and json.dumps(number) not in json.dumps(pending), "challenge:new: the device must not be told the number")
    check(pending.get("newKey") is False, "challenge:new: this machine's key is the account's own, not new")
    report("challenge:new", True, username=pending["username"], newKey=pending["newKey"], clientName=pending["client"]["name"])

    approved = await device.call_ok("challenge:approve", {
        # The person types the number the client shows; here the script reads it from the reply above.
        "challengeId": challenge_id, "otp": oathtool_code(hex_key, counter + 1), "numberMatch": number,
    })
    check(approved.get("approved") is True, "challenge:approve: approved is not true")
    report("challenge:approve", True)

    pushed = await conn.wait_push("challenge:approved", lambda payload: payload.get("challengeId") == challenge_id)
    check(pushed is not None, "challenge:approved was not pushed to the /client socket that sent auth:login (denied: %r)"
          % (conn.pushes_of("challenge:denied"),))
    report("challenge:approved", True)

    await complete_ok(conn, args, challenge, "auth:complete:approval")
    await conn.close()
    await device.close()


def main():
    return run_steps(run, account_arguments(__doc__.splitlines()[0]))


if __name__ == "__main__":
    sys.exit(main())
