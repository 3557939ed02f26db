"""Run the stand-in: ingest the local sink every second and serve the data page."""

from __future__ import annotations

import argparse
import logging
import time
from pathlib import Path

from devtools.personicle_store.reader import ingest_once
from devtools.personicle_store.server import StoreServer

log = logging.getLogger("devtools.personicle_store")
ROOT = Path(__file__).resolve().parents[2]
CHART_LIBRARY = ROOT / ".local" / "web" / "node_modules" / "chart.js" / "dist" / "chart.umd.js"


def main() -> None:
    """Parse the arguments, then ingest and serve until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sink-dir", type=Path, default=ROOT / ".local" / "sink")
    parser.add_argument("--port", type=int, default=7090)
    parser.add_argument("--interval", type=float, default=1.0, help="seconds between reads of the sink")
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")

    from shared.config import load_database_settings
    from shared.db import Database

    database = Database(load_database_settings())
    server = StoreServer(database, CHART_LIBRARY, args.port)
    server.start()
    log.info("storing %s into PostgreSQL; data page on http://127.0.0.1:%d/", args.sink_dir, server.port)
    created: set[str] = set()
    try:
        while True:
            lines = ingest_once(database, args.sink_dir, created)
            if lines:
                log.info("stored %d sink lines", lines)
            time.sleep(args.interval)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()


if __name__ == "__main__":
    main()
