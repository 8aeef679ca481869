"""A local push service: a real HTTP server on 127.0.0.1 that records what it receives and
answers each subscription's path with the status the test chose. Browsers' keys are made
with ``cryptography`` as a browser makes them."""

import base64
import os
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec


def b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@dataclass
class Browser:
    """A subscribed browser's secrets: what decrypts its pushes."""

    endpoint: str
    private_key: ec.EllipticCurvePrivateKey
    auth_raw: bytes

    @property
    def p256dh(self) -> str:
        return b64(
            self.private_key.public_key().public_bytes(
                serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
            )
        )

    @property
    def auth(self) -> str:
        return b64(self.auth_raw)

    def subscription_json(self, **choice) -> dict:
        return {
            "endpoint": self.endpoint,
            "expirationTime": None,
            "keys": {"p256dh": self.p256dh, "auth": self.auth},
            **choice,
        }


@dataclass
class Receiver:
    origin: str
    received: list = field(default_factory=list)
    statuses: dict = field(default_factory=dict)  # path -> status to answer

    def browser(self, name: str, status: int = 201) -> Browser:
        path = f"/push/{name}"
        self.statuses[path] = status
        return Browser(self.origin + path, ec.generate_private_key(ec.SECP256R1()), os.urandom(16))

    def to(self, path_end: str) -> list:
        return [r for r in self.received if r["path"].endswith(path_end)]


@contextmanager
def running_receiver():
    """A push service on 127.0.0.1 for as long as the block runs."""
    state = Receiver(origin="")

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            length = int(self.headers.get("Content-Length") or 0)
            state.received.append(
                {
                    "path": self.path,
                    "headers": {k.lower(): v for k, v in self.headers.items()},
                    "body": self.rfile.read(length),
                }
            )
            self.send_response(state.statuses.get(self.path, 201))
            self.send_header("Content-Length", "0")
            self.end_headers()

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.origin = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield state
    finally:
        server.shutdown()
        server.server_close()
