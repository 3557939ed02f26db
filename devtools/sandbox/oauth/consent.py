"""HTML of the consent and error pages shown by the imitated authorization servers."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from html import escape

from devtools.sandbox.users import DEMO_USERS, USER_NAME
from devtools.sandbox.web import Response, html_response

_STYLE = """
body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem;color:#202124}
h1{font-size:1.4rem} .client{font-weight:600} ul{list-style:none;padding:0} li{margin:.4rem 0}
.buttons{margin-top:1.5rem;display:flex;gap:1rem} button{font-size:1rem;padding:.5rem 1.2rem}
#approve{background:#1a73e8;color:#fff;border:0;border-radius:4px} .note{color:#5f6368;font-size:.85rem}
"""


def consent_page(*, provider: str, client_label: str, client_id: str, action: str,
                 scopes: Iterable[tuple[str, str]], hidden: Mapping[str, list[str]]) -> Response:
    """Render the consent page: requested scopes (one ticked checkbox each), user chooser, Approve/Deny.

    The form posts back to `action` with the original query parameters as hidden fields, the
    chosen demo `user` (or a typed `user_name`: any other sandbox user), one `granted` field per
    ticked scope and `decision` = approve | deny.
    """
    hidden_inputs = "".join(
        f'<input type="hidden" name="{escape(name)}" value="{escape(value)}">'
        for name, values in hidden.items() for value in values)
    scope_items = "".join(
        f'<li><label><input type="checkbox" id="scope-{index}" name="granted" value="{escape(scope)}" '
        f'checked> {escape(label)} <span class="note">({escape(scope)})</span></label></li>'
        for index, (scope, label) in enumerate(scopes))
    user_options = "".join(
        f'<option value="{escape(u.name)}">{escape(u.display_name)} ({escape(u.email)})</option>'
        for u in DEMO_USERS)
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Sign in with {escape(provider)} (sandbox)</title>
<style>{_STYLE}</style></head>
<body>
<h1>{escape(provider)} (sandbox)</h1>
<p><span class="client" id="client-label">{escape(client_label)}</span> wants access to your account.</p>
<p class="note">Client id: <code id="client-id">{escape(client_id)}</code></p>
<form method="post" action="{escape(action)}" id="consent-form">
{hidden_inputs}
<p><label for="user">Account</label>
<select id="user" name="user">{user_options}</select>
<label for="user-name">or another account</label>
<input id="user-name" name="user_name" placeholder="user042" pattern="{escape(USER_NAME.pattern)}"></p>
<p>Choose what to share:</p>
<ul id="scopes">{scope_items}</ul>
<div class="buttons">
<button type="submit" id="approve" name="decision" value="approve">Approve</button>
<button type="submit" id="deny" name="decision" value="deny">Deny</button>
</div>
</form>
<p class="note">Local sandbox imitating {escape(provider)}; no real account is used.</p>
</body></html>"""
    return html_response(200, html, {"Cache-Control": "no-store"})


def error_page(status: int, error: str, message: str, details: Mapping[str, str] | None = None) -> Response:
    """Render an authorization error page (shown instead of a redirect, as the real servers do)."""
    rows = "".join(f"<li>{escape(k)}={escape(v)}</li>" for k, v in (details or {}).items())
    html = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Error {status}: {escape(error)}</title>
<style>{_STYLE}</style></head>
<body><h1>Access blocked: authorization error</h1>
<p id="error-message">{escape(message)}</p>
<p>Error {status}: <code id="error-code">{escape(error)}</code></p>
<ul class="note">{rows}</ul></body></html>"""
    return html_response(status, html, {"Cache-Control": "no-store"})
