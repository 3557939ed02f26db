"""Run the local Functions host: `python -m devtools.localhost [--app function_app] [--port 7071]`.

`--function-timeout 00:00:20` overrides host.json's functionTimeout, which is also how long a received
queue message stays invisible: a host that dies mid-job leaves its messages to other hosts that much
sooner (crash-recovery tests).
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import threading
from dataclasses import replace
from pathlib import Path
from types import FrameType

from devtools.localhost.host import LocalHost
from devtools.localhost.index import import_app
from devtools.localhost.settings import (
    HostConfigError,
    apply_values,
    load_host_json,
    load_local_settings,
    parse_timespan,
)


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m devtools.localhost", description=__doc__)
    parser.add_argument("--app", default="function_app", help="module holding the FunctionApp `app`")
    parser.add_argument("--port", type=int, default=None,
                        help="HTTP port (default: Host.LocalHttpPort of local.settings.json, else 7071)")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--root", default=".", help="app folder holding host.json and local.settings.json")
    parser.add_argument("--function-timeout", default=None, metavar="TIMESPAN",
                        help="override host.json functionTimeout, e.g. 00:00:20 (also the visibility of received "
                             "queue messages)")
    return parser.parse_args(argv)


def _build(args: argparse.Namespace) -> LocalHost:
    root = Path(args.root).resolve()
    os.chdir(root)
    settings = load_local_settings(root / "local.settings.json")
    config = load_host_json(root / "host.json")
    if args.function_timeout is not None:
        config = replace(config, function_timeout=parse_timespan(args.function_timeout, "--function-timeout"))
    apply_values(settings.values, os.environ)
    app = import_app(args.app, root)
    port = args.port if args.port is not None else settings.http_port or 7071
    return LocalHost(app, config, host=args.host, port=port, settings=settings)


def main(argv: list[str] | None = None) -> int:
    """Start the host, print what it serves and run until SIGINT or SIGTERM."""
    logging.basicConfig(level=logging.INFO, format="[%(asctime)s] %(message)s",
                        datefmt="%Y-%m-%dT%H:%M:%S%z")
    logging.getLogger("azure").setLevel(logging.WARNING)
    args = _arguments(argv)
    try:
        host = _build(args)
        base_url = host.start()
    except HostConfigError as error:
        print(f"localhost: cannot start: {error}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"localhost: cannot listen on {args.host}: {error}", file=sys.stderr)
        return 1
    stopping = threading.Event()

    def on_signal(signum: int, _frame: FrameType | None) -> None:
        if stopping.is_set():
            print("localhost: forced exit", file=sys.stderr)
            os._exit(128 + signum)
        print(f"localhost: {signal.Signals(signum).name} received, finishing running functions "
              "(signal again to force)", file=sys.stderr)
        stopping.set()

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    print(f"Local Functions host (devtools) listening on {base_url}, routePrefix "
          f"'{host.config.route_prefix}'. Functions:", flush=True)
    for line in host.describe():
        print(line, flush=True)
    print(f"Admin: POST {base_url}/admin/functions/<name> {{\"input\": \"...\"}}", flush=True)
    while not stopping.wait(0.5):
        pass
    host.stop()
    print("localhost: stopped", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
