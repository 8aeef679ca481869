"""A local S3-compatible server (moto in server mode) over real HTTP, for the object
storage tests. ``start_s3()`` starts it on ``S3_PORT`` and creates ``BUCKET``."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time

import pytest

S3_PORT = 18210
BUCKET = "levant24-media"
REGION = "us-east-1"
PUBLIC_READ = {
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Principal": "*",
            "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/*",
        }
    ],
}
KEYS = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}


class S3Server:
    def __init__(self, process, port):
        self.process = process
        self.port = port
        self.endpoint = f"http://127.0.0.1:{port}"

    def client(self):
        import boto3

        return boto3.client("s3", endpoint_url=self.endpoint, region_name=REGION, **KEYS)

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        sock.settimeout(0.2)
        return sock.connect_ex(("127.0.0.1", port)) == 0


def start_s3(port: int = S3_PORT) -> S3Server:
    try:
        import moto.server  # noqa: F401
    except ImportError:
        if os.environ.get("CI") == "true":
            pytest.fail("moto[server] is required in CI (requirements-dev.txt)")
        pytest.skip("notice: moto[server] is not installed; object storage tests skipped")
    if _listening(port):
        pytest.fail(f"port {port} is already in use; the S3 test server cannot start")
    process = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    server = S3Server(process, port)
    deadline = time.monotonic() + 30
    while not _listening(port):
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            pytest.fail("the S3 test server (moto) did not start")
        time.sleep(0.1)
    client = server.client()
    client.create_bucket(Bucket=BUCKET)
    # As in production (docs/deploy.md): anyone may read the objects, only we may write.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps(PUBLIC_READ))
    return server
