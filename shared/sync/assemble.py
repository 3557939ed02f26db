"""Build the app's sync engine from its real parts: PostgreSQL, HTTP with token refresh, a sink."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from shared.clock import Clock
from shared.config import Settings
from shared.crypto import Keyring
from shared.providers.base import Provider
from shared.store.connections import Connection
from shared.sync.engine import Enqueue, RecordSink, SyncEngine


def build_engine(*, database: Any, settings: Settings, keyring: Keyring, sink: RecordSink, enqueue: Enqueue,
                 clock: Clock, monotonic: Callable[[], float],
                 providers: Callable[[str], Provider | None] | None = None) -> SyncEngine:
    """Return an engine over `database`, the providers' APIs and `sink` (`providers`: default `PROVIDERS`)."""
    from shared.budget.gate import BudgetGate
    from shared.http.authorized import AuthorizedApi
    from shared.providers import PROVIDERS
    from shared.sync.deliveries import DeliveryLedger, PostgresLedgerStore
    from shared.sync.sync_store import PostgresSyncStore
    from shared.sync.tokens import TokenKeeper

    def api_for(provider: Provider, connection: Connection) -> AuthorizedApi:
        """Data calls and token refreshes alike spend the provider's app-wide budget."""
        budget = BudgetGate(database, provider.name, provider.budgets(settings), clock)
        tokens = TokenKeeper(database, keyring, settings, provider, connection.id, clock, before_refresh=budget.spend)
        return AuthorizedApi(provider.name, tokens, provider.error_quirk, budget)

    return SyncEngine(providers=providers or PROVIDERS.get, store=PostgresSyncStore(database), api_for=api_for,
                      sink=sink, enqueue=enqueue, settings=settings, clock=clock, monotonic=monotonic,
                      deliveries=DeliveryLedger(PostgresLedgerStore(database),
                                                keep=2 * timedelta(minutes=settings.sync_overlap_minutes)))
