"""What the Python event scripts share: JSON-line reporting that never prints a secret, openssl
for the login key, and one Socket.IO connection to a PairGate hub, written from docs/PROTOCOL.md.

Needs python-socketio 5 with aiohttp (Debian: python3-socketio python3-aiohttp) and the openssl
command.

The scripts use python-socketio's asyncio client. Its threaded client reads and writes one TLS
socket from two threads at once, which OpenSSL does not allow: on a busy machine a read then
comes back empty and the client drops a healthy connection ("WebSocket connection was closed"),
losing the answer it waited for (python-engineio issue 461). One event loop does one thing at a
time, so it cannot happen here.
"""
import argparse
import asyncio
import base64
import json
import ssl
import subprocess
import sys
import threading

try:
    import aiohttp
    import socketio
except ImportError as missing:
    sys.exit(
        "This script needs python-socketio 5 with aiohttp (%s). On Debian: apt install python3-socketio "
        "python3-aiohttp, then run it with that Python (/usr/bin/python3); elsewhere: python3 -m pip "
        "install 'python-socketio[asyncio_client]>=5,<6'." % missing
    )

TIMEOUT = 20  # seconds; logins wait for a bcrypt hash on the hub, on machines that may be busy
SECRETS = []  # strings that must never reach the output
OPEN = []  # every Connection made, closed on exit (a live socket keeps the process running)


class StepFailed(Exception):
    pass


def redact(value):
    """The value with every remembered secret replaced, before JSON escaping could hide one."""
    if isinstance(value, str):
        for known in SECRETS:
            value = value.replace(known, "[redacted]")
        return value
    if isinstance(value, dict):
        return {key: redact(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [redact(item) for item in value]
    return value


def report(step, ok, **details):
    """One JSON line per step, with every remembered secret replaced."""
    print(json.dumps(redact({"step": step, "ok": ok, **details})), flush=True)


def secret(value):
    """Remember a value that must never be printed, and return it."""
    if value:
        SECRETS.append(value)
    return value


def check(condition, message):
    if not condition:
        raise StepFailed(message)


# --- openssl: the key and the login signature -------------------------------------------------

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
    return secret(base64.b64encode(signature).decode("ascii"))


# --- Socket.IO --------------------------------------------------------------------------------

class Connection:
    """One socket on one namespace over the websocket transport, trusting only the hub's CA file.
    Made with `await Connection.open(...)`.

    Pushes named in `pushes` are collected: `await wait_push(event, match)` returns the first
    payload for which `match(payload)` is true, also when it arrived before anyone waited for it.
    """

    def __init__(self, namespace, pushes):
        self.namespace = namespace
        self.pushes = pushes
        self.refusal = None  # the connect_error data, {"message": ..., "data": {"code": ...}}
        self.answered = asyncio.Event()  # the hub accepted or refused the handshake
        self.received = []  # (event, payload) of every push, in order
        self.arrived = asyncio.Condition()
        self.closing = False
        self.lost = False  # the connection ended without this script closing it
        self.http = None
        self.sio = None

    @classmethod
    async def open(cls, hub, ca_file, namespace, auth=None, pushes=()):
        conn = cls(namespace, pushes)
        OPEN.append(conn)
        await conn._connect(hub, ca_file, auth)
        return conn

    async def _connect(self, hub, ca_file, auth):
        trust = ssl.create_default_context(cafile=ca_file)  # the hub's CA only; names and dates checked
        self.http = aiohttp.ClientSession(connector=aiohttp.TCPConnector(ssl=trust))
        # handle_sigint=False: Ctrl-C is left to asyncio.run, which cancels the script's steps so
        # that run_steps can still delete the account; engine.io's own handler stops the loop.
        self.sio = socketio.AsyncClient(reconnection=False, http_session=self.http, ssl_verify=True, handle_sigint=False)
        self.sio.on("connect", self.answered.set, namespace=self.namespace)
        self.sio.on("connect_error", self._on_connect_error, namespace=self.namespace)
        self.sio.on("disconnect", self._on_disconnect, namespace=self.namespace)
        for event in self.pushes:
            self.sio.on(event, self._collector(event), namespace=self.namespace)
        try:
            # One limit for all of it: TCP, TLS, the websocket upgrade and the namespace's answer.
            await asyncio.wait_for(self._handshake(hub, auth), TIMEOUT)
        except asyncio.TimeoutError:
            self.refusal = {"message": "no answer to the %s handshake in %d s" % (self.namespace, TIMEOUT)}
        except socketio.exceptions.ConnectionError as error:
            cause = error  # python-socketio reports only "Connection error"; the reason is underneath
            while cause.__context__ is not None:
                cause = cause.__context__
            self.refusal = {"message": "transport: %s: %s" % (type(cause).__name__, cause)}

    async def _handshake(self, hub, auth):
        # wait=False, then wait for either answer ourselves: python-socketio 5.7's own wait
        # sits out its whole wait_timeout when the namespace is refused.
        await self.sio.connect(hub, namespaces=[self.namespace], transports=["websocket"], auth=auth, wait=False)
        await self.answered.wait()

    @property
    def refusal_code(self):
        return ((self.refusal or {}).get("data") or {}).get("code")

    def _on_connect_error(self, data=None):
        self.refusal = data if isinstance(data, dict) else {"message": str(data)}
        self.answered.set()

    def _on_disconnect(self):
        if not self.closing:
            self.lost = True

    def _collector(self, event):
        async def on_push(payload=None):
            async with self.arrived:
                self.received.append((event, payload))
                self.arrived.notify_all()
        return on_push

    async def wait_push(self, event, match=lambda payload: True, timeout=TIMEOUT):
        def find():
            for name, payload in self.received:
                if name == event and isinstance(payload, dict) and match(payload):
                    return payload
            return None
        async with self.arrived:
            try:
                await asyncio.wait_for(self.arrived.wait_for(lambda: find() is not None), timeout)
            except asyncio.TimeoutError:
                pass
            return find()

    def pushes_of(self, event):
        return [payload for name, payload in self.received if name == event]

    async def call(self, event, payload):
        """One acked call; returns the whole ack ({"ok": ..., "data" | "error": ...})."""
        if self.lost:
            raise StepFailed("%s: not sent: the connection to the hub was lost" % event)
        try:
            ack = await self.sio.call(event, payload, namespace=self.namespace, timeout=TIMEOUT)
        except socketio.exceptions.BadNamespaceError:  # lost just before the call
            raise StepFailed("%s: not sent: the connection to the hub was lost" % event)
        except socketio.exceptions.TimeoutError:
            if self.lost:
                raise StepFailed("%s: the connection to the hub was lost before the answer came" % event)
            raise StepFailed("%s: no answer in %d s" % (event, TIMEOUT))
        if not isinstance(ack, dict) or "ok" not in ack:
            raise StepFailed("%s: unexpected ack %r" % (event, ack))
        return ack

    async def call_ok(self, event, payload):
        """One acked call; returns ack["data"] or raises StepFailed with the error code."""
        ack = await self.call(event, payload)
        if not ack["ok"]:
            error = ack.get("error") or {}
            raise StepFailed("%s: %s: %s" % (event, error.get("code"), error.get("message")))
        return ack["data"]

    async def close(self):
        self.closing = True
        try:
            if self.sio is not None:
                await self.sio.disconnect()
        finally:
            if self.http is not None and not self.http.closed:
                await self.http.close()
            if self in OPEN:
                OPEN.remove(self)


async def open_connection(hub, ca_file, namespace, auth=None, pushes=()):
    """A real client tries once more when the transport, not the hub, failed (a connection cut
    before the hub could answer). A certificate the CA did not sign is final."""
    conn = await Connection.open(hub, ca_file, namespace, auth=auth, pushes=pushes)
    message = str((conn.refusal or {}).get("message", ""))
    if message.startswith("transport:") and "CERTIFICATE_VERIFY_FAILED" not in message:
        await conn.close()
        conn = await Connection.open(hub, ca_file, namespace, auth=auth, pushes=pushes)
    return conn


# --- the command line -------------------------------------------------------------------------

def account_arguments(description):
    """The options every script takes: where the hub is, whom to trust, and the account."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--hub", required=True, help="hub URL, e.g. https://127.0.0.1:8443")
    parser.add_argument("--ca", required=True, help="the hub's CA certificate (certs/ca.pem)")
    parser.add_argument("--username", required=True)
    parser.add_argument("--email", required=True)
    parser.add_argument("--password-file", required=True, help="file holding the password (one line)")
    parser.add_argument("--key", required=True, help="RSA private key (PEM), e.g. from openssl genpkey")
    parser.add_argument("--outbox", help="the hub's outbox folder (its data/outbox, when it runs without SMTP_URL), "
                        "to read the emailed verification code from; without it the code is asked for")
    return parser.parse_args()


def emailed_code(outbox, email):
    """The 6-digit code of the newest message to `email` in the hub's outbox folder, or None."""
    import email as email_parser
    import glob
    import os
    import re
    for path in sorted(glob.glob(os.path.join(outbox, "*.eml")), reverse=True):
        with open(path, "rb") as file:
            message = email_parser.message_from_binary_file(file)
        if email.lower() not in (message.get("To") or "").lower():
            continue
        part = message.get_body(("plain",)) if hasattr(message, "get_body") else message
        text = (part or message).get_payload(decode=True).decode("utf-8", "replace")
        found = re.search(r"^code: (\d{6})$", text, re.MULTILINE)
        if found:
            return secret(found.group(1))
    return None


async def verification_code(args):
    """The code the hub emailed at registration: from --outbox, else typed at a prompt."""
    if args.outbox:
        code = emailed_code(args.outbox, args.email)
        check(code is not None, "no verification email to %s in %s" % (args.email, args.outbox))
        return code
    check(sys.stdin.isatty(), "the hub requires a confirmed email address: pass --outbox with the hub's "
          "data/outbox folder (a hub without SMTP_URL), or run this on a terminal to type the emailed code")
    typed = await read_line("Verification code emailed to %s: " % args.email)
    return secret(typed.strip())


async def read_line(prompt):
    """A line typed on the terminal, the prompt on stderr (stdout holds only JSON lines). It is
    read on a daemon thread: the event loop goes on answering the hub's pings meanwhile, and a
    script interrupted at the prompt exits without waiting for Enter."""
    loop = asyncio.get_running_loop()
    line = loop.create_future()

    def deliver(text):
        if not line.done():
            line.set_result(text)

    def read():
        sys.stderr.write(prompt)
        sys.stderr.flush()
        text = sys.stdin.readline()
        try:
            loop.call_soon_threadsafe(deliver, text)
        except RuntimeError:  # the script ended meanwhile
            pass

    threading.Thread(target=read, daemon=True).start()
    return await line


class Account:
    """The account a script made, and a live session token of it once it has one: what it takes
    to delete the account again (account:delete needs a session and the password)."""

    def __init__(self):
        self.registered = False
        self.token = None


async def delete_account(args, password, token):
    """account:delete on a new connection that carries the session token."""
    conn = await open_connection(args.hub, args.ca, "/client", auth={"token": token})
    try:
        check(conn.refusal is None, "account:delete: connect refused: %r" % (conn.refusal,))
        deleted = await conn.call_ok("account:delete", {"password": password})
        check(deleted.get("deleted") is True, "account:delete: deleted is not true")
    finally:
        await conn.close()
    report("account:delete", True, username=args.username)


def _describe(error):
    return str(error) if isinstance(error, StepFailed) else "%s: %s" % (type(error).__name__, error)


def run_steps(run, args):
    """Reads the password file, runs `await run(args, password, account)`, reports the first
    failure, deletes the account the script made (when it holds a session of it), closes every
    socket; returns the exit code (0, or 1 at the first failure)."""
    return asyncio.run(_run_steps(run, args))


async def _run_steps(run, args):
    with open(args.password_file, encoding="utf-8") as file:
        password = secret(file.read().rstrip("\r\n"))
    account = Account()
    failed = False
    try:
        try:
            await run(args, password, account)
        except asyncio.CancelledError:
            # Ctrl-C: asyncio.run cancels the steps; the clean-up below still runs (a second
            # Ctrl-C stops that too).
            report("failed", False, error="interrupted")
            failed = True
        except Exception as error:  # a refusal, a transport error, a timeout, a reply without an expected field
            report("failed", False, error=_describe(error))
            failed = True
        try:
            if account.token is not None:
                await delete_account(args, password, account.token)
            elif failed and account.registered:
                report("cleanup", False, error="no session of %s to delete it with; it may remain on the hub" % args.username)
        except Exception as error:
            report("failed", False, error="the account %s remains on the hub: %s" % (args.username, _describe(error)))
            failed = True
    finally:
        for connection in list(OPEN):
            await connection.close()
    return 1 if failed else 0
