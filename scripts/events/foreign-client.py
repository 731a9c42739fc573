#!/usr/bin/env python3
"""A PairGate client written only from docs/PROTOCOL.md, in Python, with openssl for the key.

It registers an account, logs in (password, then an RSASSA-PSS signature made by openssl), uses
the session token on a new connection, logs out, and checks that the old token is then refused.
Then it logs in once more and deletes the account (account:delete), so the hub is left as it was;
after a failure it deletes the account too when it still holds a session of it.

    python3 scripts/events/foreign-client.py --hub https://127.0.0.1:8443 \
        --ca certs/ca.pem --username alice --email alice@example.org \
        --password-file password.txt --key key.pem --outbox data/outbox

On a hub that requires a confirmed email address (the default), the code emailed at registration
is read from --outbox (the hub's data/outbox, when it runs without SMTP_URL) or asked for.

Needs python-socketio 5 with aiohttp (Debian: python3-socketio python3-aiohttp, with Debian's
/usr/bin/python3) and the openssl command; it
says so when they are missing. Prints one JSON line per step and exits 1 at the first failure.
The password, the token, the codes and the signature are never printed.
"""
import sys

from pairgate_hub import (
    TIMEOUT, account_arguments, check, open_connection, public_key_pem, report, run_steps, secret, sign_challenge,
    verification_code,
)

NAMESPACE = "/client"


async def connect(args, step, token=None):
    conn = await open_connection(args.hub, args.ca, NAMESPACE, auth={"token": token} if token is not None else None,
                                 pushes=("session:revoked",))
    check(conn.refusal is None, "%s: connect refused: %r" % (step, conn.refusal))
    report(step, True, transport=conn.sio.transport())
    return conn


async def run(args, password, account):
    # 1. An anonymous socket: register, then log in with password + signature on that socket.
    conn = await connect(args, "connect:anonymous")

    registered = await conn.call_ok("account:register", {
        "username": args.username, "email": args.email, "password": password,
        "publicKey": public_key_pem(args.key),
    })
    account.registered = True
    check(registered["user"]["username"] == args.username, "account:register: unexpected user")
    report("account:register", True, username=registered["user"]["username"],
           emailVerificationRequired=registered["emailVerificationRequired"])

    if registered["emailVerificationRequired"]:
        verified = await conn.call_ok("account:verify-email", {"username": args.username, "code": await verification_code(args)})
        report("account:verify-email", True, verified=verified["verified"])

    challenge = await conn.call_ok("auth:login", {"username": args.username, "password": password})
    report("auth:login", True, factors=challenge["factors"])
    check(challenge["factors"] == ["signature"], "auth:login: this script only answers the signature factor")

    signature = sign_challenge(args.key, challenge["challengeId"], challenge["nonce"])
    session = await conn.call_ok("auth:complete", {
        "challengeId": challenge["challengeId"], "signature": signature, "clientName": "foreign-client.py",
    })
    token = secret(session["token"])
    account.token = token
    report("auth:complete", True, username=session["user"]["username"], expiresAt=session["expiresAt"])
    await conn.close()

    # 2. A new connection that carries the token in its handshake.
    conn = await connect(args, "connect:token", token)

    me = await conn.call_ok("account:me", {})
    check(me["user"]["username"] == args.username, "account:me: unexpected user")
    report("account:me", True, username=me["user"]["username"], role=me["user"]["role"])

    sessions = (await conn.call_ok("session:list", {}))["sessions"]
    current = [s for s in sessions if s["current"]]
    check(len(current) == 1 and current[0]["id"] == me["session"]["id"], "session:list: no current session")
    report("session:list", True, sessions=len(sessions), currentClientName=current[0]["clientName"])

    logged_out = await conn.call_ok("auth:logout", {})
    check(logged_out.get("loggedOut") is True, "auth:logout: loggedOut is not true")
    account.token = None
    report("auth:logout", True)

    # The docs: every socket of an ended session receives session:revoked, then is disconnected.
    revoked = await conn.wait_push("session:revoked", timeout=TIMEOUT)
    check(revoked is not None, "session:revoked was not pushed after auth:logout")
    report("session:revoked", True, reason=revoked.get("reason"))
    await conn.close()

    # 3. The old token must now be refused during the handshake, with connect_error.
    conn = await open_connection(args.hub, args.ca, NAMESPACE, auth={"token": token})
    await conn.close()
    check(conn.refusal is not None, "the conn accepted the token after auth:logout")
    check(conn.refusal_code == "invalid_token", "old token refused, but not with invalid_token: %r" % (conn.refusal,))
    report("connect:old-token", True, refused=True, code=conn.refusal_code)

    # 4. A last session, to delete the account with (run_steps does, with the password).
    conn = await connect(args, "connect:cleanup")
    challenge = await conn.call_ok("auth:login", {"username": args.username, "password": password})
    signature = sign_challenge(args.key, challenge["challengeId"], challenge["nonce"])
    session = await conn.call_ok("auth:complete", {
        "challengeId": challenge["challengeId"], "signature": signature, "clientName": "foreign-client.py",
    })
    account.token = secret(session["token"])
    await conn.close()


def main():
    return run_steps(run, account_arguments(__doc__.splitlines()[0]))


if __name__ == "__main__":
    sys.exit(main())
