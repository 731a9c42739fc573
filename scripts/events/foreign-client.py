#!/usr/bin/env python3
"""A PairGate client written only from docs/PROTOCOL.md, in Python, with openssl for the key.

It registers an account, logs in (password, then an RSASSA-PSS signature made by openssl), uses
the session token on a new connection, logs out, and checks that the old token is then refused.

    /usr/bin/python3 scripts/events/foreign-client.py --hub https://127.0.0.1:8443 \
        --ca certs/ca.pem --username alice --email alice@example.org \
        --password-file password.txt --key key.pem

Needs python-socketio 5 with websocket-client and requests (Debian: python3-socketio
python3-websocket python3-requests) and the openssl command. Prints one JSON line per step and
exits 1 at the first failure. The password, the token and the signature are never printed.
"""
import argparse
import base64
import json
import subprocess
import sys
import threading

import requests
import socketio

NAMESPACE = "/client"
TIMEOUT = 10  # seconds; logins wait for a bcrypt hash on the hub
SECRETS = []  # strings that must never reach the output
OPEN = []  # every Connection made, closed on exit (a live socket keeps the process running)


class StepFailed(Exception):
    pass


def report(step, ok, **details):
    line = json.dumps({"step": step, "ok": ok, **details})
    for secret in SECRETS:
        line = line.replace(secret, "[redacted]")
    print(line, flush=True)


def openssl(*args, stdin=None):
    result = subprocess.run(["openssl", *args], input=stdin, capture_output=True)
    if result.returncode != 0:
        raise StepFailed("openssl %s failed: %s" % (args[0], result.stderr.decode(errors="replace").strip()))
    return result.stdout


def public_key_pem(key_file):
    """The SPKI PEM ("-----BEGIN PUBLIC KEY-----") that account:register expects."""
    return openssl("pkey", "-in", key_file, "-pubout").decode("ascii")


def sign_challenge(key_file, challenge_id, nonce):
    """RSASSA-PSS, SHA-256, MGF1-SHA-256, salt 32 bytes, over the exact UTF-8 bytes; base64."""
    message = "pairgate-login:v1:%s:%s" % (challenge_id, nonce)
    signature = openssl(
        "dgst", "-sha256",
        "-sigopt", "rsa_padding_mode:pss", "-sigopt", "rsa_pss_saltlen:32", "-sigopt", "rsa_mgf1_md:sha256",
        "-sign", key_file,
        stdin=message.encode("utf-8"),
    )
    return base64.b64encode(signature).decode("ascii")


class Connection:
    """A /client socket over the websocket transport, trusting only the hub's CA file."""

    def __init__(self, hub, ca_file, token=None):
        http = requests.Session()
        http.verify = ca_file  # python-engineio hands this CA file to websocket-client as ca_certs
        self.sio = socketio.Client(reconnection=False, http_session=http, ssl_verify=True)
        OPEN.append(self)
        self.refusal = None  # the connect_error data, {"message": ..., "data": {"code": ...}}
        self.answered = threading.Event()  # the hub accepted or refused the /client handshake
        self.revoked = threading.Event()
        self.revoked_reason = None
        self.sio.on("connect", self.answered.set, namespace=NAMESPACE)
        self.sio.on("connect_error", self._on_connect_error, namespace=NAMESPACE)
        self.sio.on("session:revoked", self._on_session_revoked, namespace=NAMESPACE)
        auth = {"token": token} if token is not None else None
        # wait=False, then wait for either answer ourselves: python-socketio 5.7's own wait
        # sits out its whole wait_timeout when the namespace is refused.
        try:
            self.sio.connect(hub, namespaces=[NAMESPACE], transports=["websocket"], auth=auth, wait=False)
        except socketio.exceptions.ConnectionError as error:
            cause = error  # python-socketio reports only "Connection error"; the reason is underneath
            while cause.__context__ is not None:
                cause = cause.__context__
            self.refusal = {"message": "transport: %s: %s" % (type(cause).__name__, cause)}
            return
        if not self.answered.wait(TIMEOUT):
            self.refusal = {"message": "no answer to the %s handshake in %d s" % (NAMESPACE, TIMEOUT)}

    def _on_connect_error(self, data=None):
        self.refusal = data if isinstance(data, dict) else {"message": str(data)}
        self.answered.set()

    def _on_session_revoked(self, payload):
        self.revoked_reason = payload.get("reason")
        self.revoked.set()

    @property
    def refusal_code(self):
        return ((self.refusal or {}).get("data") or {}).get("code")

    def call(self, event, payload):
        """One acked call; returns ack["data"] or raises StepFailed with the error code."""
        ack = self.sio.call(event, payload, namespace=NAMESPACE, timeout=TIMEOUT)
        if not isinstance(ack, dict) or "ok" not in ack:
            raise StepFailed("%s: unexpected ack %r" % (event, ack))
        if not ack["ok"]:
            error = ack.get("error") or {}
            raise StepFailed("%s: %s: %s" % (event, error.get("code"), error.get("message")))
        return ack["data"]

    def close(self):
        self.sio.disconnect()
        if self in OPEN:
            OPEN.remove(self)


def open_connection(hub, ca_file, token=None):
    """A real client tries once more when the transport, not the hub, failed: python-websocket's
    TLS handshake can be cut short on a busy machine. A certificate the CA did not sign is final."""
    conn = Connection(hub, ca_file, token)
    message = str((conn.refusal or {}).get("message", ""))
    if message.startswith("transport:") and "CERTIFICATE_VERIFY_FAILED" not in message:
        conn.close()
        conn = Connection(hub, ca_file, token)
    return conn


def check(condition, message):
    if not condition:
        raise StepFailed(message)


def run(args, password):
    # 1. An anonymous socket: register, then log in with password + signature on that socket.
    conn = open_connection(args.hub, args.ca)
    check(conn.refusal is None, "connect refused: %r" % (conn.refusal,))
    report("connect:anonymous", True, transport=conn.sio.transport())

    registered = conn.call("account:register", {
        "username": args.username, "email": args.email, "password": password,
        "publicKey": public_key_pem(args.key),
    })
    check(registered["user"]["username"] == args.username, "account:register: unexpected user")
    report("account:register", True, username=registered["user"]["username"],
           emailVerificationRequired=registered["emailVerificationRequired"])

    challenge = conn.call("auth:login", {"username": args.username, "password": password})
    report("auth:login", True, factors=challenge["factors"])
    check(challenge["factors"] == ["signature"], "auth:login: this script only answers the signature factor")

    signature = sign_challenge(args.key, challenge["challengeId"], challenge["nonce"])
    SECRETS.append(signature)
    session = conn.call("auth:complete", {
        "challengeId": challenge["challengeId"], "signature": signature, "clientName": "foreign-client.py",
    })
    token = session["token"]
    SECRETS.append(token)
    report("auth:complete", True, username=session["user"]["username"], expiresAt=session["expiresAt"])
    conn.close()

    # 2. A new connection that carries the token in its handshake.
    conn = open_connection(args.hub, args.ca, token)
    check(conn.refusal is None, "connect with the token refused: %r" % (conn.refusal,))
    report("connect:token", True, transport=conn.sio.transport())

    me = conn.call("account:me", {})
    check(me["user"]["username"] == args.username, "account:me: unexpected user")
    report("account:me", True, username=me["user"]["username"], role=me["user"]["role"])

    sessions = conn.call("session:list", {})["sessions"]
    current = [s for s in sessions if s["current"]]
    check(len(current) == 1 and current[0]["id"] == me["session"]["id"], "session:list: no current session")
    report("session:list", True, sessions=len(sessions), currentClientName=current[0]["clientName"])

    logged_out = conn.call("auth:logout", {})
    check(logged_out.get("loggedOut") is True, "auth:logout: loggedOut is not true")
    report("auth:logout", True)

    # The docs: every socket of an ended session receives session:revoked, then is disconnected.
    check(conn.revoked.wait(TIMEOUT), "session:revoked was not pushed after auth:logout")
    report("session:revoked", True, reason=conn.revoked_reason)
    conn.close()

    # 3. The old token must now be refused during the handshake, with connect_error.
    conn = open_connection(args.hub, args.ca, token)
    conn.close()
    check(conn.refusal is not None, "the conn accepted the token after auth:logout")
    check(conn.refusal_code == "invalid_token", "old token refused, but not with invalid_token: %r" % (conn.refusal,))
    report("connect:old-token", True, refused=True, code=conn.refusal_code)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hub", required=True, help="hub URL, e.g. https://127.0.0.1:8443")
    parser.add_argument("--ca", required=True, help="the hub's CA certificate (certs/ca.pem)")
    parser.add_argument("--username", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password-file", required=True, help="file holding the password (one line)")
    parser.add_argument("--key", required=True, help="RSA private key (PEM), e.g. from openssl genpkey")
    args = parser.parse_args()

    with open(args.password_file, encoding="utf-8") as file:
        password = file.read().rstrip("\r\n")
    SECRETS.append(password)

    try:
        run(args, password)
    except StepFailed as error:
        report("failed", False, error=str(error))
        return 1
    except Exception as error:  # a transport error, a timeout, a reply without an expected field
        report("failed", False, error="%s: %s" % (type(error).__name__, error))
        return 1
    finally:
        for connection in list(OPEN):
            connection.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
