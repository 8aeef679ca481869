"""A real Varnish in front of the live test server, with our VCL (deploy/varnish)."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

VCL = Path(__file__).resolve().parents[2] / "deploy" / "varnish" / "default.vcl"
VARNISHD = shutil.which("varnishd") or "/usr/sbin/varnishd"
PROBE = "/static/favicon.svg"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _get(url, headers=None):
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), error.read().decode()


@pytest.fixture(scope="session")
def varnish(live_server, django_db_blocker):
    if not os.path.exists(VARNISHD):
        if os.environ.get("LEVANT24_REQUIRE_VARNISH") == "1":
            pytest.fail("varnishd is missing (make varnish-deps installs it)")
        pytest.skip("varnishd is not installed: `make varnish-deps` installs it")
    backend_port = live_server.url.rsplit(":", 1)[1]
    folder = tempfile.mkdtemp(prefix="levant24-varnish-")
    os.chmod(folder, 0o755)  # varnishd reads the VCL as its own, unprivileged user
    vcl = Path(folder) / "default.vcl"
    # The probe asks for a static file: between tests the database is closed to the server.
    vcl.write_text(
        VCL.read_text()
        .replace('.port = "8000";', f'.port = "{backend_port}";')
        .replace('.url = "/healthz";', f'.url = "{PROBE}";')
    )
    port = _free_port()
    process = subprocess.Popen(
        [
            VARNISHD,
            "-F",
            "-n",
            str(Path(folder) / "work"),
            "-a",
            f"127.0.0.1:{port}",
            "-f",
            str(vcl),
            "-s",
            "malloc,64m",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    with django_db_blocker.unblock():  # the live server may open its connection meanwhile
        _wait_until_serving(process, url, deadline)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(folder, ignore_errors=True)


def _wait_until_serving(process, url, deadline):
    while True:
        try:
            if _get(url + PROBE)[0] == 200:  # 503 while the backend probe warms up
                break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            process.kill()
            pytest.fail(f"varnishd did not start: {process.stderr.read().decode()[-2000:]}")
        time.sleep(0.2)


@pytest.fixture
def edge(varnish, settings):
    """The edge's URL; purges from the app reach it."""
    settings.EDGE_PURGE_BACKEND = "varnish"
    settings.EDGE_PURGE_URLS = [varnish + "/"]
    return varnish
