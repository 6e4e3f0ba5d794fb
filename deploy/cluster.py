"""`make cluster`: nginx in front of two gunicorn app servers, on this machine.

    DATABASE_URL=postgres://... REDIS_URL=redis://127.0.0.1:6379/0 make cluster
    .venv/bin/python deploy/cluster.py --port 8080 --app-ports 8101,8102   # the same

The app servers share PostgreSQL (DATABASE_URL) and the Redis cache (REDIS_URL), as production's
do; nginx balances between them round robin and serves the static files and the uploads
itself. It migrates and collects the static files once, starts everything, waits until each
part answers /healthz, and stops everything on Ctrl-C (or SIGTERM), or as soon as one part
dies. Everything it writes (nginx's configuration, pid, logs and temporary files, and each app
server's access log) goes to the run directory, var/cluster/ by default.

tests/portal/test_cluster.py and bench/cluster.py start the same cluster through `Cluster`.
"""

import argparse
import grp
import os
import pwd
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TEMPLATE = Path(__file__).resolve().parent / "nginx.conf.template"
MIME_TYPES = Path("/etc/nginx/mime.types")
SECRET_KEY_FILE = ROOT / "var" / "secret_key"
STATIC_ROOT = ROOT / "var" / "static"
MEDIA_ROOT = ROOT / "var" / "media"
TEMP_DIRS = ("body", "proxy", "fastcgi", "uwsgi", "scgi")
READY_SECONDS = 60
STOP_SECONDS = 15


class ClusterError(Exception):
    """The cluster cannot start or has stopped on its own; the message says why."""


def find_nginx():
    """Return the nginx binary's path; /usr/sbin is not on every user's PATH."""
    found = shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")
    if not found:
        raise ClusterError("nginx is not installed (Debian: apt-get install nginx-light).")
    return found


def check_environment(environ):
    """Refuse to start without the PostgreSQL database and the Redis cache to share."""
    database_url = environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        raise ClusterError(
            "DATABASE_URL must name the PostgreSQL database the app servers share, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/portal make cluster"
        )
    if not environ.get("REDIS_URL", "").startswith(("redis://", "rediss://", "unix://")):
        raise ClusterError(
            "REDIS_URL must name the Redis cache the app servers share, e.g. "
            "REDIS_URL=redis://127.0.0.1:6379/0 make cluster"
        )


def secret_key():
    """Return the key of `make serve`, kept in var/secret_key, creating it on first use."""
    if not SECRET_KEY_FILE.exists() or not SECRET_KEY_FILE.read_text().strip():
        SECRET_KEY_FILE.parent.mkdir(parents=True, exist_ok=True)
        SECRET_KEY_FILE.write_text(secrets.token_urlsafe(50) + "\n")
    return SECRET_KEY_FILE.read_text().strip()


def app_environment(environ):
    """Return the app servers' environment: production's settings, over plain HTTP here."""
    env = dict(environ)
    env.update(
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=environ.get("DJANGO_SECRET_KEY") or secret_key(),
        DJANGO_HTTPS="0",
        DJANGO_BEHIND_PROXY="1",
        DJANGO_PROXY_COUNT="1",
        DJANGO_ALLOWED_HOSTS=environ.get("DJANGO_ALLOWED_HOSTS") or "127.0.0.1,localhost",
    )
    env.pop("DJANGO_SETTINGS_MODULE", None)  # manage.py and portal.wsgi name it themselves
    return env


def user_directive():
    """Run nginx's workers as the owner of the files they serve when started as root.

    Without it they would run as `nobody`, who may not reach a private run directory.
    """
    if os.geteuid() != 0:
        return ""
    owner = ROOT.stat()
    return f"user {pwd.getpwuid(owner.st_uid).pw_name} {grp.getgrgid(owner.st_gid).gr_name};"


def render_config(*, port, app_ports, run_dir):
    """Return nginx.conf.template with its placeholders filled in."""
    values = {
        "user": user_directive(),
        "run_dir": str(run_dir),
        "mime_types": str(MIME_TYPES),
        "port": str(port),
        "upstream_servers": "\n".join(f"        server 127.0.0.1:{p};" for p in app_ports),
        "static_root": str(STATIC_ROOT),
        "media_root": str(MEDIA_ROOT),
    }
    return re.sub(r"\{\{ (\w+) \}\}", lambda match: values[match.group(1)], TEMPLATE.read_text())


def free_ports(count):
    """Return `count` distinct ports free on 127.0.0.1 now, for a cluster beside another."""
    sockets = [socket.socket() for _ in range(count)]
    try:
        for sock in sockets:
            sock.bind(("127.0.0.1", 0))
        return [sock.getsockname()[1] for sock in sockets]
    finally:
        for sock in sockets:
            sock.close()


def answers(url):
    """Return whether a GET of the URL answers 200."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.status == 200
    except (urllib.error.URLError, OSError):
        return False


class Cluster:
    """nginx on 127.0.0.1:port in front of one gunicorn per app port, all sharing one database."""

    def __init__(self, *, port, app_ports, run_dir, environ=None, workers=2):
        self.port = port
        self.app_ports = tuple(app_ports)
        self.run_dir = Path(run_dir).resolve()
        self.workers = workers
        environ = dict(os.environ if environ is None else environ)
        check_environment(environ)
        self.nginx = find_nginx()
        self.env = app_environment(environ)
        self.processes = []

    def url(self, path="/"):
        return f"http://127.0.0.1:{self.port}{path}"

    def app_url(self, index, path="/"):
        return f"http://127.0.0.1:{self.app_ports[index]}{path}"

    def access_log(self, index=None):
        """Return the path of nginx's access log, or of app server `index`'s."""
        if index is None:
            return self.run_dir / "access.log"
        return self.run_dir / f"app-{self.app_ports[index]}.access.log"

    def prepare(self):
        """Migrate the shared database and collect the static files, once for all servers."""
        for command in (["migrate", "--no-input"], ["collectstatic", "--no-input", "-v0"]):
            print(f"cluster: manage.py {' '.join(command)}", flush=True)
            manage = [sys.executable, str(ROOT / "manage.py"), *command]
            subprocess.run(manage, cwd=ROOT, env=self.env, check=True)

    def start(self):
        """Start the app servers and nginx; return once each of them answers /healthz."""
        for name in TEMP_DIRS:
            (self.run_dir / "temp" / name).mkdir(parents=True, exist_ok=True)
        config = self.run_dir / "nginx.conf"
        config.write_text(
            render_config(port=self.port, app_ports=self.app_ports, run_dir=self.run_dir)
        )
        try:
            for index, port in enumerate(self.app_ports):
                self._spawn(f"gunicorn on :{port}", self._gunicorn(index, port))
            # nginx only once they answer: a refused connection would mark an app server
            # down for ten seconds (nginx's fail_timeout), and the first pages would be 502.
            self._wait_until_ready(
                [self.app_url(i, "/healthz") for i in range(len(self.app_ports))]
            )
            nginx = [self.nginx, "-p", str(self.run_dir), "-c", str(config), "-e", "stderr"]
            self._spawn("nginx", nginx)
            self._wait_until_ready([self.url("/healthz")])
        except BaseException:
            self.stop()
            raise

    def _gunicorn(self, index, port):
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "portal.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={self.workers}",
            f"--access-logfile={self.access_log(index)}",
            "--graceful-timeout=5",
            # The workbook of a whole national list takes 10 to 20 s to build (README).
            "--timeout=120",
            # Its default path is one per user: the app servers would take it from each other.
            "--no-control-socket",
        ]

    def _spawn(self, name, command):
        # A session of its own: Ctrl-C reaches this script alone, which then stops the parts
        # in order instead of each part dying on its own.
        process = subprocess.Popen(command, cwd=ROOT, env=self.env, start_new_session=True)
        self.processes.append((name, process))

    def _wait_until_ready(self, urls):
        deadline = time.monotonic() + READY_SECONDS
        while urls:
            self.check_alive()
            if time.monotonic() > deadline:
                raise ClusterError(f"No answer within {READY_SECONDS} s from {', '.join(urls)}")
            urls = [url for url in urls if not answers(url)]
            if urls:
                time.sleep(0.2)

    def check_alive(self):
        """Raise ClusterError when a part of the cluster has exited."""
        for name, process in self.processes:
            if process.poll() is not None:
                raise ClusterError(f"{name} exited with status {process.returncode}")

    def stop(self):
        """Stop nginx first, then the app servers; kill whatever has not stopped in time."""
        for _name, process in reversed(self.processes):
            if process.poll() is None:
                process.terminate()
        deadline = time.monotonic() + STOP_SECONDS
        for _name, process in reversed(self.processes):
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self.processes = []

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc_info):
        self.stop()


def stop_on_signal(signum, frame):
    raise KeyboardInterrupt


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("CLUSTER_PORT", 8080)))
    parser.add_argument(
        "--app-ports",
        default="8101,8102",
        type=lambda text: [int(port) for port in text.split(",")],
        help="the app servers' ports, comma-separated (default 8101,8102)",
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers per app server")
    parser.add_argument("--run-dir", type=Path, default=ROOT / "var" / "cluster")
    return parser.parse_args(argv)


def main(argv=None):
    args = parse_args(argv)
    # SIGINT set too: a shell starts a background job with it ignored.
    for signum in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(signum, stop_on_signal)
    try:
        cluster = Cluster(
            port=args.port, app_ports=args.app_ports, run_dir=args.run_dir, workers=args.workers
        )
        cluster.prepare()
        with cluster:
            servers = " ".join(cluster.app_url(i) for i in range(len(args.app_ports)))
            print(f"cluster: nginx on {cluster.url()} in front of {servers}", flush=True)
            print(f"cluster: logs in {cluster.run_dir}/; Ctrl-C stops everything", flush=True)
            while True:
                cluster.check_alive()
                time.sleep(0.5)
    except ClusterError as error:
        sys.exit(f"cluster: {error}")
    except subprocess.CalledProcessError as error:
        sys.exit(f"cluster: {' '.join(map(str, error.cmd[1:]))} failed ({error.returncode})")
    except KeyboardInterrupt:
        print("\ncluster: stopped", flush=True)


if __name__ == "__main__":
    main()
