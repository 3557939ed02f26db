"""The demo page standing in for the Personicle frontend: `GET /demo` and its script."""

from __future__ import annotations

from html import escape
from pathlib import Path

from devtools.sandbox.users import DEMO_USERS
from devtools.sandbox.web import Request, Response, Router, html_response, redirect, text_response

STATIC = Path(__file__).resolve().parent / "static"


def page(req: Request) -> Response:
    """Serve the demo page, configured with the API base URL and the registered providers."""
    template = (STATIC / "demo.html").read_text(encoding="utf-8")
    buttons = "\n".join(
        f'<button type="button" id="signin-{escape(u.name)}" data-user="{escape(u.name)}">'
        f'Sign in as {escape(u.name)}</button>' for u in DEMO_USERS)
    html = (template.replace("{{API_BASE}}", escape(req.state.api_base))
            .replace("{{SIGNIN_BUTTONS}}", buttons)
            .replace("{{PROVIDER_ROWS}}", "\n".join(_provider_row(p.name) for p in req.state.providers)))
    return html_response(200, html, {"Cache-Control": "no-store"})


def _provider_row(name: str) -> str:
    """Return a provider's row of the demo page: its name and the connect, disconnect and sync buttons."""
    n = escape(name)
    buttons = "\n".join(f'<button type="button" id="{action}-{n}" data-action="{action}" data-provider="{n}">{label}</button>'
                        for action, label in (("connect", "Connect"), ("disconnect", "Disconnect"), ("sync", "Sync now")))
    return f'<div class="provider" data-provider="{n}"><code>{n}</code>\n{buttons}</div>'


def script(req: Request) -> Response:
    """Serve the demo page's script."""
    return text_response(200, (STATIC / "demo.js").read_text(encoding="utf-8"),
                         "text/javascript; charset=utf-8")


def your_data_script(req: Request) -> Response:
    """Serve the script of the demo page's "Your data" panel."""
    return text_response(200, (STATIC / "your_data.js").read_text(encoding="utf-8"),
                         "text/javascript; charset=utf-8")


def progress_script(req: Request) -> Response:
    """Serve the demo page's sync progress script."""
    return text_response(200, (STATIC / "progress.js").read_text(encoding="utf-8"),
                         "text/javascript; charset=utf-8")


def home(req: Request) -> Response:
    """Send visitors of the root to the demo page."""
    return redirect("/demo")


def register(router: Router) -> None:
    """Add the demo page routes."""
    router.add("GET", "/demo", page, name="demo.page")
    router.add("GET", "/demo/demo.js", script, name="demo.script")
    router.add("GET", "/demo/your_data.js", your_data_script, name="demo.your_data")
    router.add("GET", "/demo/progress.js", progress_script, name="demo.progress_script")
    router.add("GET", "/", home, name="demo.home")
