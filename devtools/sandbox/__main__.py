"""Run the sandbox: `python -m devtools.sandbox [--port 7080] [--api-base http://127.0.0.1:7071/api]`."""

from __future__ import annotations

import argparse
import logging
from pathlib import Path

from devtools.sandbox.oauth.clients import DEFAULT_API_BASE
from devtools.sandbox.server import SandboxServer

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_KEY = ROOT / ".local" / "sandbox" / "oidc-signing-key.pem"


def main(argv: list[str] | None = None) -> None:
    """Parse the command line and serve until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m devtools.sandbox", description=__doc__)
    parser.add_argument("--host", default="127.0.0.1", help="interface to bind (default 127.0.0.1)")
    parser.add_argument("--port", type=int, default=7080, help="port (default 7080)")
    parser.add_argument("--api-base", default=DEFAULT_API_BASE,
                        help=f"Functions app API base URL (default {DEFAULT_API_BASE})")
    parser.add_argument("--public-url", default=None,
                        help="URL the sandbox is reached at, if not http://HOST:PORT (it is the OIDC issuer)")
    parser.add_argument("--key-file", type=Path, default=DEFAULT_KEY,
                        help="PEM file of the OIDC signing key, created on first use (default .local/sandbox/)")
    parser.add_argument("--quiet", action="store_true", help="do not log each request")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING if args.quiet else logging.INFO,
                        format="%(asctime)s sandbox %(message)s")
    server = SandboxServer(args.port, host=args.host, api_base=args.api_base, key_path=args.key_file,
                           public_url=args.public_url)
    try:
        base = server.start()
    except OSError as exc:
        raise SystemExit(f"sandbox: cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    print(f"sandbox listening on {base} (demo page {base}/demo, issuer {base}/oidc, API {args.api_base})",
          flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
