"""`make-migrations`: a migration for each database kind, each written in a process of its own.

python -m cli.migrations DIALECT NAME     (one dialect; what make_migrations runs)
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

from billing import db

ROOT = Path(__file__).resolve().parent.parent


async def make_migrations(name: str) -> list[str]:
    """Write a new migration for every dialect from the models; say what was written.

    aerich and Tortoise keep dialect-specific state at class level, which would leak
    from one dialect into the other: so one process each.
    """
    written = []
    for dialect in db.OFFLINE_URLS:
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "cli.migrations",
            dialect,
            name,
            cwd=ROOT,
            stdout=asyncio.subprocess.PIPE,
        )
        output, _ = await process.communicate()
        if process.returncode:
            raise RuntimeError(f"generating the {dialect} migration failed")
        if result := output.decode().strip():
            written.append(f"{dialect}: {result}")
    return written


if __name__ == "__main__":
    print(asyncio.run(db.make_migration(sys.argv[1], sys.argv[2])) or "")
