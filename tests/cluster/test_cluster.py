"""The whole cluster (deploy/cluster/cluster.py) on one machine, checked from outside over HTTP.

Run by `make cluster-test` (LEVANT24_CLUSTER=1); skipped otherwise. With CI=true a cluster
that cannot start fails the run. Each check prints one line of what it saw: that log is
quoted in docs/reliability.md. The checks run in file order; the last two take a node and
then the replica away.
"""

from __future__ import annotations

import collections
import html
import os
import re
import secrets
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.skipif(
    os.environ.get("LEVANT24_CLUSTER") != "1",
    reason="the cluster tests run with `make cluster-test` (LEVANT24_CLUSTER=1)",
)

import requests  # noqa: E402 - installed with moto[server] (requirements-dev.txt)

# How often Varnish asks each node for /healthz here; a node is out after 3 failed probes.
PROBE_SECONDS = 1
STAFF_PASSWORD = "levant24-{}"  # the demo's (articles/management/commands/load_demo.py)


def log(message: str) -> None:
    print(f"cluster-test: {message}", flush=True)


@pytest.fixture(scope="module")
def cluster():
    from deploy.cluster.cluster import ClusterError, from_env

    cluster = from_env(probe_interval=f"{PROBE_SECONDS}s", quiet=True)
    started = time.monotonic()
    try:
        cluster.start()
    except (ClusterError, subprocess.SubprocessError, OSError) as exc:
        if os.environ.get("CI") == "true":
            pytest.fail(f"the cluster did not start: {exc}")
        pytest.skip(f"notice: the cluster did not start: {exc}")
    log(f"cluster up in {time.monotonic() - started:.0f} s")
    for line in cluster.summary().splitlines():
        log("  " + line)
    yield cluster
    cluster.stop()


@pytest.fixture(scope="module")
def edge(cluster):
    return cluster.edge_url


@pytest.fixture(scope="module")
def node_a(cluster):
    return cluster.node_urls[0]


@pytest.fixture(scope="module")
def node_b(cluster):
    return cluster.node_urls[1]


def reader_address() -> str:
    """A reader's own address (X-Forwarded-For, trusted from the one proxy in front): the
    rate limits count per address, and each check and each run uses new ones."""
    return f"10.{secrets.randbelow(250)}.{secrets.randbelow(250)}.{secrets.randbelow(250) + 1}"


def csrf_token(session, base: str) -> str:
    return session.get(base + "/accounts/csrf/", timeout=10).json()["token"]


def sign_in(session, base: str, username: str, *, admin: bool = False):
    path = "/admin/login/" if admin else "/accounts/login/"
    token = csrf_token(session, base)
    return session.post(
        base + path,
        data={
            "username": username,
            "password": STAFF_PASSWORD.format(username),
            "csrfmiddlewaretoken": token,
            "next": "/admin/" if admin else "/",
        },
        headers={"Referer": base + path},
        allow_redirects=False,
        timeout=20,
    )


@pytest.fixture(scope="module")
def article(edge):
    """The first article on the front page: its URL and the comment form's address."""
    home = requests.get(edge + "/", timeout=10)
    assert home.status_code == 200
    for href in re.findall(r'href="(/[^"?#]+/)"', home.text):
        page = requests.get(edge + href, timeout=10)
        found = re.search(r'action="(/comments/post/\d+/)[#"]', page.text)
        if page.status_code == 200 and found:
            return {"url": href, "post": found.group(1), "html": page.text}
    pytest.fail("no article with a comment form on the front page")


def post_comment(base: str, article: dict, *, text: str, address: str, session=None):
    session = session or requests.Session()
    token = csrf_token(session, base)
    return session.post(
        base + article["post"],
        data={
            "text": text,
            "name": "قارئ من العنقود",
            "email": f"reader-{secrets.token_hex(4)}@example.com",
            "website": "",
            "homepage": "",
            "csrfmiddlewaretoken": token,
        },
        headers={"X-Forwarded-For": address, "Referer": base + article["url"]},
        allow_redirects=False,
        timeout=20,
    )


# --- The checks ---------------------------------------------------------------------------


def test_a_reader_signed_in_on_one_node_is_signed_in_on_the_other(edge, node_a, node_b):
    session = requests.Session()
    response = sign_in(session, node_a, "journalist")
    assert response.status_code == 302, response.text[:500]
    seen = {}
    for name, base in (("node A", node_a), ("node B", node_b), ("edge", edge)):
        profile = session.get(base + "/accounts/profile/", allow_redirects=False, timeout=10)
        seen[name] = profile.status_code
    log(f"sign-in on node A, then /accounts/profile/ with the same cookies: {seen}")
    assert seen == {"node A": 200, "node B": 200, "edge": 200}
    anonymous = requests.get(node_b + "/accounts/profile/", allow_redirects=False, timeout=10)
    assert anonymous.status_code == 302  # the page does need the session


def test_a_comment_approved_on_another_node_shows_through_the_edge_within_2_s(
    cluster, edge, node_a, node_b, article
):
    url = edge + article["url"]
    requests.get(url, timeout=10)
    cached = requests.get(url, timeout=10)
    assert cached.headers.get("X-Cache") == "HIT"

    text = f"تعليق من العنقود {secrets.token_hex(4)}"
    posted = post_comment(node_a, article, text=text, address=reader_address())
    assert posted.status_code == 302, posted.text[:500]
    comment_id = int(re.search(r"[?&]c=(\d+)", posted.headers["Location"]).group(1))
    still = requests.get(url, timeout=10)
    assert html.escape(text) not in still.text and text not in still.text  # pending

    moderator = requests.Session()
    assert sign_in(moderator, node_b, "moderator", admin=True).status_code == 302
    changelist = node_b + "/admin/comments/comment/"
    approved = moderator.post(
        changelist,
        data={
            "action": "approve_selected",
            "_selected_action": [str(comment_id)],
            "index": "0",
            "csrfmiddlewaretoken": moderator.cookies.get("csrftoken")
            or csrf_token(moderator, node_b),
        },
        headers={"Referer": changelist},
        allow_redirects=False,
        timeout=20,
    )
    assert approved.status_code == 302, approved.text[:500]
    started = time.monotonic()
    while True:
        page = requests.get(url, timeout=10)
        if text in page.text or html.escape(text) in page.text:
            break
        assert time.monotonic() - started < 2.0, "the approved comment did not show in 2 s"
        time.sleep(0.05)
    elapsed = time.monotonic() - started
    log(
        f"article page cached at the edge (X-Cache HIT); comment {comment_id} posted on node A, "
        f"approved in the admin on node B; visible through the edge after {elapsed:.2f} s "
        f"(X-Cache {page.headers.get('X-Cache')}: purged by the worker)"
    )


def test_the_comment_flood_limit_holds_across_both_nodes(node_a, node_b, article):
    address = reader_address()
    outcomes = []
    for attempt in range(6):
        base = (node_a, node_b)[attempt % 2]
        response = post_comment(
            base, article, text=f"تعليق سريع {attempt} {secrets.token_hex(3)}", address=address
        )
        outcomes.append("accepted" if response.status_code == 302 else "refused")
    log(
        "6 comments from one address within seconds, alternating node A and node B: "
        f"{collections.Counter(outcomes)['accepted']} accepted, "
        f"{collections.Counter(outcomes)['refused']} refused ({', '.join(outcomes)})"
    )
    assert outcomes == ["accepted"] + ["refused"] * 5  # one per flood interval, not one a node


def test_images_are_stored_in_and_served_from_the_bucket(cluster, edge, article):
    name = f"cluster-test/{secrets.token_hex(6)}.png"
    # Written by a process with a node's environment, through the app's media storage.
    script = (
        "import base64\n"
        "from django.core.files.base import ContentFile\n"
        "from django.core.files.storage import default_storage\n"
        "png = base64.b64decode('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4"
        "2mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==')\n"
        f"saved = default_storage.save({name!r}, ContentFile(png))\n"
        "print(default_storage.url(saved))\n"
    )
    url = cluster.manage("shell", "-c", script).stdout.strip().splitlines()[-1]
    assert url.startswith(cluster.s3_url + "/")
    served = requests.get(url, timeout=10)
    assert served.status_code == 200
    assert served.headers["Content-Type"] == "image/png"
    assert served.headers["Cache-Control"] == "public, max-age=31536000, immutable"
    assert served.content.startswith(b"\x89PNG")
    log(
        f"uploaded through the media storage: {url} -> {served.status_code} "
        f"{served.headers['Content-Type']}, Cache-Control: {served.headers['Cache-Control']}"
    )
    # The pages served through the edge point at the bucket, and those images are there.
    sources = re.findall(
        re.escape(cluster.s3_url) + r'/[^"\s,]+\.(?:jpg|webp|avif|png)', article["html"]
    )
    assert sources, "the article page shows no image from the bucket"
    image = requests.get(sources[0], timeout=10)
    assert image.status_code == 200 and image.headers["Content-Type"].startswith("image/")
    log(f"an image on the article page: {sources[0]} -> {image.status_code}")


def hammer(edge: str, seconds: float, paths: list[str]) -> collections.Counter:
    """Readers through the edge for ``seconds``: cached pages and pages that reach a node."""
    deadline = time.monotonic() + seconds

    def reader(index: int) -> collections.Counter:
        counts = collections.Counter()
        session = requests.Session()
        n = 0
        while time.monotonic() < deadline:
            path = paths[n % len(paths)]
            # Half the requests miss the cache (a new query string) and go to a node.
            url = edge + path + (f"?r={index}-{n}" if n % 2 else "")
            try:
                counts[session.get(url, timeout=10).status_code] += 1
            except requests.RequestException:
                counts["error"] += 1
            n += 1
        return counts

    with ThreadPoolExecutor(4) as pool:
        return sum(pool.map(reader, range(4)), collections.Counter())


def test_the_edge_keeps_serving_when_a_node_is_killed(cluster, edge, article):
    paths = ["/", article["url"], "/healthz"]
    before = hammer(edge, 2, paths)
    assert set(before) == {200}, before
    cluster.stop_node("b")
    killed = time.monotonic()
    during = hammer(edge, PROBE_SECONDS * 4, paths)  # the probe window: 3 failed probes
    later = time.monotonic() - killed
    after = hammer(edge, 4, paths)
    log(
        f"node B stopped; 4 readers through the edge during the probe window "
        f"({PROBE_SECONDS * 4} s): {dict(during)}; then {later:.0f}-{later + 4:.0f} s after "
        f"the stop: {dict(after)}"
    )
    assert set(after) == {200}, after
    assert requests.get(cluster.node_urls[0] + "/healthz", timeout=5).status_code == 200


def test_reads_fall_back_to_the_primary_when_the_replica_stops(cluster, edge, node_a, article):
    ready = requests.get(node_a + "/healthz/ready", timeout=10).json()
    assert ready["checks"]["replica"]["status"] == "up", ready
    cluster.replica.stop()
    # Each process finds out at its next lag check (DATABASE_REPLICA_LAG_CHECK_SECONDS, 1 s)
    # and then leaves the replica alone for DATABASE_REPLICA_RETRY_SECONDS.
    time.sleep(2)
    statuses = collections.Counter()
    for n in range(30):
        for path in ("/", article["url"]):
            statuses[requests.get(f"{node_a}{path}?n={n}", timeout=10).status_code] += 1
    ready = requests.get(node_a + "/healthz/ready", timeout=10)
    body = ready.json()
    log(
        f"replica stopped: 60 page reads on node A (no cache) -> {dict(statuses)}; "
        f"/healthz/ready {ready.status_code} status={body['status']} "
        f"replica={body['checks']['replica']['status']}"
    )
    assert statuses == {200: 60}
    assert ready.status_code == 200
    assert body["checks"]["replica"]["status"] == "down"
    assert body["status"] == "degraded" and body["failing"] == ["replica"]
    assert requests.get(edge + article["url"], timeout=10).status_code == 200


def test_nothing_is_left_running_after_the_cluster_stops(cluster):
    processes = [s.process for s in cluster.services if s.process is not None]
    cluster.stop()
    assert all(process.poll() is not None for process in processes)
    left = [port for port in cluster.ports.all() if _listening(port)]
    log(f"cluster stopped: {len(processes)} processes ended, ports still open: {left or 'none'}")
    assert left == []


def _listening(port: int) -> bool:
    from deploy.cluster.cluster import _listening as listening

    return listening(port)
