"""A non-editable install serves: install a clean clone of the repo's committed HEAD into
a fresh venv, start it from another folder, and answer one REST and one GraphQL request
with the key it printed.

python .ci/check_install.py [REPO]     (exit 0 when it works; what failed otherwise)
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

REPO = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).resolve().parent.parent)
TIMEOUT = 120


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def request(port: int, path: str, key: str, body: dict | None = None) -> tuple[int, dict]:
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=data,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=30) as response:
        return response.status, json.loads(response.read())


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="install-check-") as tmp:
        work = Path(tmp)
        source = work / "source"  # a clone: no stale build/ folder can fill in a gap
        subprocess.run(["git", "clone", "--quiet", str(REPO), str(source)], check=True)
        venv = work / "venv"
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        python = venv / "bin" / "python"
        subprocess.run(
            [str(python), "-m", "pip", "install", "--quiet", "--no-cache-dir", str(source)],
            check=True,
        )
        elsewhere = work / "elsewhere"
        elsewhere.mkdir()
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{elsewhere / 'billing.sqlite3'}",
            "PORT": str(port),
            "PYTHONPATH": "",
        }
        server = subprocess.Popen(
            [str(venv / "bin" / "billing-runs"), "serve"],
            cwd=elsewhere,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        try:
            lines: list[str] = []
            deadline = time.monotonic() + TIMEOUT
            assert server.stdout is not None
            while not any("Running on" in line for line in lines):
                line = server.stdout.readline()
                if not line or time.monotonic() > deadline:
                    print("the installed server did not start:\n" + "".join(lines))
                    return 1
                lines.append(line)
            key = next(line.strip() for line in lines if line.strip().startswith("br_"))
            status, runs = request(port, "/backend/api/v1/billingRuns/", key)
            assert status == 200 and runs == [], (status, runs)
            status, body = request(
                port, "/graphql", key, {"query": "{ billingRuns { totalCount } }"}
            )
            assert status == 200 and body.get("data") == {"billingRuns": {"totalCount": 0}}, body
        finally:
            server.send_signal(signal.SIGTERM)
            code = server.wait(timeout=30)
        if code != 0:
            print(f"the installed server exited with {code}")
            return 1
    print("non-editable install: served REST and GraphQL from another folder")
    return 0


if __name__ == "__main__":
    sys.exit(main())
