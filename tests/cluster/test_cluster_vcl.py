"""The cluster's VCL: deploy/varnish/default.vcl with one backend per node behind a director,
and nothing else of the file changed. Compiled by varnishd when it is installed."""

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from deploy.cluster.cluster import VCL, cluster_vcl


def test_each_node_gets_the_default_backend_with_its_own_port_and_the_same_probe():
    vcl = cluster_vcl([18581, 18582], probe_interval="1s")
    assert "backend default" not in vcl
    for name, port in (("node1", 18581), ("node2", 18582)):
        block = vcl.split(f"backend {name} {{", 1)[1].split("\n}\n", 1)[0]
        assert f'.port = "{port}";' in block
        assert '.url = "/healthz";' in block and ".interval = 1s;" in block
    assert "new nodes = directors.round_robin();" in vcl
    assert "nodes.add_backend(node1);" in vcl and "nodes.add_backend(node2);" in vcl
    assert "set req.backend_hint = nodes.backend();" in vcl
    assert "import directors;" in vcl


def test_the_caching_and_purge_rules_are_the_shared_files_own():
    shared = VCL.read_text()
    rules = shared[shared.index("# Only the app servers on this machine may purge.") :]
    assert rules in cluster_vcl([8001, 8002])


def test_varnish_compiles_it():
    varnishd = shutil.which("varnishd") or "/usr/sbin/varnishd"
    if not os.path.exists(varnishd):
        if os.environ.get("LEVANT24_REQUIRE_VARNISH") == "1":
            pytest.fail("varnishd is missing (make varnish-deps installs it)")
        pytest.skip("varnishd is not installed: `make varnish-deps` installs it")
    # varnishd reads the file as its own, unprivileged user: not under pytest's private tmp.
    folder = Path(tempfile.mkdtemp(prefix="levant24-vcl-"))
    try:
        folder.chmod(0o755)
        path = folder / "cluster.vcl"
        path.write_text(cluster_vcl([8001, 8002]))
        result = subprocess.run(
            [varnishd, "-C", "-n", str(folder / "work"), "-f", str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    assert result.returncode == 0, result.stderr[-2000:]
