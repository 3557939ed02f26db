"""The app's exception tree: errors carry fields, never tokens or health data.

    ConnectError
    ├── CryptoError                 ciphertext tampered, wrong key, unknown key id
    ├── AuthError                   Personicle bearer token refused (answer 401)
    ├── RequestError                malformed or refused API request (answer 4xx with a stable code)
    ├── OAuthFlowError              OAuth callback refused (redirect with an error code)
    ├── JobError                    malformed or undeliverable DownloadJob (drop, do not retry)
    ├── SinkError                   the sink could not confirm delivery (retry the job)
    │   └── RecordValidationError   a record does not fit its schema (a mapper bug)
    └── ProviderError               a provider call failed; `provider`, `status` set
        ├── RateLimited             429 or quota: continue later (`retry_after` seconds)
        ├── TransientProviderError  5xx, timeout, malformed body: retry, then let the queue retry
        ├── ReauthRequired          invalid_grant or revoked consent: mark needs_reauth
        │   └── TokensUnreadable    stored tokens do not decrypt (retired key): marked error
        ├── ScopeMissing            403 for a scope the user did not grant: skip the stream
        └── ProviderRejected        other 4xx: record it and stop the stream
"""

from __future__ import annotations


class ConnectError(Exception):
    """Base of every error the app raises on purpose."""


class CryptoError(ConnectError):
    """A ciphertext could not be decrypted or a key is unusable."""


class AuthError(ConnectError):
    """The Personicle bearer token is missing or invalid."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class RequestError(ConnectError):
    """An API request is refused; `status` and `code` become the JSON answer, `headers` its headers."""

    def __init__(self, status: int, code: str, message: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.headers = dict(headers or {})


class OAuthFlowError(ConnectError):
    """An OAuth callback cannot complete; `code` is sent back to the frontend."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


class JobError(ConnectError):
    """A DownloadJob is malformed or cannot be carried out; it is dropped, not retried."""


class SinkError(ConnectError):
    """The sink did not confirm delivery; the job must be retried."""


class RecordValidationError(SinkError):
    """A record does not match its schema: names the stream and the field."""

    def __init__(self, stream: str, field: str, message: str) -> None:
        super().__init__(f"{stream}: field {field}: {message}")
        self.stream = stream
        self.field = field


class ProviderError(ConnectError):
    """A provider call failed."""

    def __init__(self, provider: str, message: str, *, status: int | None = None) -> None:
        super().__init__(message)
        self.provider = provider
        self.status = status


class RateLimited(ProviderError):
    """The provider asks us to slow down; continue after `retry_after` seconds."""

    def __init__(self, provider: str, message: str, *, status: int | None = 429,
                 retry_after: float | None = None) -> None:
        super().__init__(provider, message, status=status)
        self.retry_after = retry_after


class BudgetSpent(RateLimited):
    """Our own app-wide request budget for the provider is spent: continue after `retry_after` seconds."""

    def __init__(self, provider: str, retry_after: float) -> None:
        super().__init__(provider, f"the app-wide {provider} request budget is spent", status=None,
                         retry_after=retry_after)


class TransientProviderError(ProviderError):
    """A temporary failure (5xx, timeout, malformed body): retry later."""


class ReauthRequired(ProviderError):
    """The grant is gone (invalid_grant, revoked): the user must connect again."""


class TokensUnreadable(ReauthRequired):
    """The stored tokens cannot be decrypted (e.g. under a retired key): the user must connect again."""


class ScopeMissing(ProviderError):
    """The user did not grant the scope a stream needs."""


class ProviderRejected(ProviderError):
    """The provider refused the request for a reason retrying will not fix."""
