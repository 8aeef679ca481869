"""Without Chromium the browser tests are skipped with a notice, and CI refuses to skip them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def run_browser_suite(**env):
    # The child run gets its own in-memory SQLite test database, never this run's database.
    environ = (
        os.environ
        | {
            "LEVANT24_CHROMIUM": "/nonexistent/chromium",
            "DATABASE_URL": "sqlite:///browser-setup-check.sqlite3",
        }
        | env
    )
    environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "-m", "pytest", "tests/browser/test_rtl.py"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.fixture
def without_ci_flag(monkeypatch):
    monkeypatch.delenv("LEVANT24_REQUIRE_BROWSER", raising=False)


def test_missing_chromium_skips_browser_tests_with_a_visible_notice(without_ci_flag):
    result = run_browser_suite(LEVANT24_REQUIRE_BROWSER="")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "browser tests skipped" in result.stdout
    assert "/nonexistent/chromium is not installed" in result.stdout
    assert "3 skipped" in result.stdout


def test_missing_chromium_fails_browser_tests_when_ci_requires_them():
    result = run_browser_suite(LEVANT24_REQUIRE_BROWSER="1")
    assert result.returncode != 0
    assert "LEVANT24_REQUIRE_BROWSER=1 but /nonexistent/chromium is not installed" in result.stdout
    assert "passed" not in result.stdout and "skipped" not in result.stdout
