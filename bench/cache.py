"""Benchmark the page cache under gunicorn: a cached article page against a static file.

    DJANGO_DEBUG=1 DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/0 \\
        .venv/bin/python bench/cache.py [--quick]

Starts gunicorn as `make serve` does (debug off, plain HTTP, static files collected for
WhiteNoise, here into a temporary STATIC_ROOT) with 2 workers on a free port, against
DATABASE_URL and REDIS_URL (without it, each worker's own local cache). It warms one article
page, then runs `wrk -t2 -c8` on the article and on a small WhiteNoise static file in turn,
on the same server in the same run, and reports both rates and their ratio (target: the
cached page at 0.8 of the static file or better), and the round trip of a conditional GET
that answers 304. Needs wrk (`apt-get install wrk`).
"""

import argparse
import http.client
import os
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.request import urlopen

import redis

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, Result, ensure_sample_data, median, setup_django  # noqa: E402

AREA = "page cache"
STATIC_PATH = "/static/img/emblem.svg"
TARGET_RATIO = 0.8
ROUND_TRIPS = 200


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_environment(run_dir, prefix):
    """The environment of `make serve`, with STATIC_ROOT in run_dir and a cache of its own."""
    static_root = str(run_dir / "static")
    (run_dir / "bench_cache_settings.py").write_text(
        f"from portal.settings import *  # noqa: F403\n\nSTATIC_ROOT = {static_root!r}\n"
    )
    environ = dict(os.environ)
    environ.update(
        PYTHONPATH=os.pathsep.join([str(run_dir), str(ROOT)]),
        DJANGO_SETTINGS_MODULE="bench_cache_settings",
        DJANGO_DEBUG="0",
        DJANGO_HTTPS="0",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DJANGO_CACHE_PREFIX=prefix,
        # On without REDIS_URL too: nothing writes during the benchmark, so each worker's own
        # cache cannot go stale.
        DJANGO_PAGE_CACHE_SECONDS="86400",
    )
    return environ


def wait_until_ready(base, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("gunicorn exited before it answered")
        try:
            with urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer /healthz in time")


@contextmanager
def gunicorn(prefix):
    """Serve the portal under gunicorn on a free port; yield its base URL."""
    with tempfile.TemporaryDirectory(prefix="bench-cache-") as run_dir:
        environ = server_environment(Path(run_dir), prefix)
        manage = [sys.executable, str(ROOT / "manage.py")]
        subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=environ, check=True)
        port = free_port()
        command = [sys.executable, "-m", "gunicorn", "portal.wsgi"]
        command += ["--bind", f"127.0.0.1:{port}", "--workers", "2"]
        process = subprocess.Popen(command, env=environ, cwd=ROOT)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_ready(base, process)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=30)


def wrk(url, seconds, headers=()):
    """Return wrk's requests per second for the URL (2 threads, 8 connections)."""
    command = ["wrk", "-t2", "-c8", f"-d{seconds}s"]
    for header in headers:
        command += ["-H", header]
    output = subprocess.run([*command, url], capture_output=True, text=True, check=True).stdout
    if "Non-2xx or 3xx responses" in output or "Socket errors" in output:
        raise RuntimeError(f"wrk saw errors on {url}:\n{output}")
    return float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))


def conditional_round_trips(base, path, etag):
    """Return (median milliseconds, statuses) of conditional GETs, one connection each."""
    host, port = base.removeprefix("http://").split(":")
    times, statuses = [], set()
    for _attempt in range(ROUND_TRIPS):
        started = time.perf_counter()
        connection = http.client.HTTPConnection(host, int(port), timeout=10)
        connection.request("GET", path, headers={"If-None-Match": etag})
        response = connection.getresponse()
        response.read()
        connection.close()
        times.append((time.perf_counter() - started) * 1000)
        statuses.add(response.status)
    return median(times), statuses


def forget(prefix):
    """Delete what the server put in Redis under its own key prefix."""
    if os.environ.get("REDIS_URL"):
        client = redis.Redis.from_url(os.environ["REDIS_URL"])
        keys = list(client.scan_iter(match=f"{prefix}:*"))
        if keys:
            client.delete(*keys)


def article_path():
    from news.models import Article

    article = Article.objects.public().order_by("-publish_at").first()
    if article is None:
        raise RuntimeError("no public article: load the sample data (make bench does)")
    return article.get_absolute_url()


def warm(base, path):
    """Request the page until the cache has it; return its ETag."""
    for _attempt in range(2):
        with urlopen(base + path, timeout=30) as response:
            etag = response.headers["ETag"]
    if not etag:
        raise RuntimeError(f"{path} came back without an ETag: is the page cache on?")
    return etag


def measure(options):
    path = article_path()
    seconds = 3 if options.quick else 10
    rounds = 1 if options.quick else 2
    prefix = f"bench-cache-{os.getpid()}"
    try:
        with gunicorn(prefix) as base:
            etag = warm(base, path)
            wrk(base + path, 1)  # both workers, their connections and imports warm
            article, static = [], []
            for _round in range(rounds):
                static.append(wrk(base + STATIC_PATH, seconds))
                article.append(wrk(base + path, seconds))
            round_trip, statuses = conditional_round_trips(base, path, etag)
    finally:
        forget(prefix)
    return {
        "path": path,
        "article": max(article),
        "static": max(static),
        "round_trip": round_trip,
        "statuses": statuses,
    }


def results(options):
    if not shutil.which("wrk"):
        return [Result(AREA, "wrk is not installed (apt-get install wrk)", 0, "", "wrk", False)]
    setup_django()
    ensure_sample_data()
    found = measure(options)
    ratio = found["article"] / found["static"]
    cache = "Redis" if os.environ.get("REDIS_URL") else "local memory"
    load = os.getloadavg()[0]
    return [
        Result(AREA, f"cached article ({cache})", found["article"], "req/s", "", True),
        Result(
            AREA,
            f"static file {STATIC_PATH} (load {load:.1f})",
            found["static"],
            "req/s",
            "",
            True,
        ),
        Result(
            AREA,
            "cached article / static file",
            ratio,
            "x",
            f">= {TARGET_RATIO}",
            ratio >= TARGET_RATIO,
        ),
        Result(
            AREA,
            "conditional GET of the cached article",
            found["round_trip"],
            "ms",
            "304",
            found["statuses"] == {304},
        ),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3-second runs, one round")
    for result in results(parser.parse_args()):
        print("  ".join(result.row()))


if __name__ == "__main__":
    main()
