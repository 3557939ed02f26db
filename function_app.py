"""The Functions app: registers one blueprint per function folder, nothing else."""

import azure.functions as func

from connections import bp as connections_bp
from health import bp as health_bp
from me import bp as me_bp
from oauth_callback import bp as oauth_callback_bp
from oauth_confirm import bp as oauth_confirm_bp
from oauth_start import bp as oauth_start_bp
from openapi import bp as openapi_bp
from operator_status import bp as operator_status_bp
from queue_download_fitbit import bp as queue_download_fitbit_bp
from queue_download_google_fit import bp as queue_download_google_fit_bp
from queue_download_oura import bp as queue_download_oura_bp
from timer_expire_pending_links import bp as timer_expire_pending_links_bp
from timer_purge_retention import bp as timer_purge_retention_bp
from queue_download_whoop import bp as queue_download_whoop_bp
from queue_download_withings import bp as queue_download_withings_bp
from timer_refresh_tokens import bp as timer_refresh_tokens_bp
from timer_schedule_sync import bp as timer_schedule_sync_bp
from timer_webhook_subscriptions import bp as timer_webhook_subscriptions_bp
from webhooks import bp as webhooks_bp

# Settings are read on first use, not here: a missing or bad setting must not stop the host from
# indexing the functions. /api/health then answers 503 naming it, and each function fails with it.
app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
for blueprint in (
    health_bp,
    oauth_start_bp,
    oauth_callback_bp,
    oauth_confirm_bp,
    connections_bp,
    me_bp,
    queue_download_fitbit_bp,
    queue_download_oura_bp,
    queue_download_google_fit_bp,
    queue_download_whoop_bp,
    queue_download_withings_bp,
    timer_refresh_tokens_bp,
    timer_schedule_sync_bp,
    operator_status_bp,
    openapi_bp,
    timer_expire_pending_links_bp,
    timer_purge_retention_bp,
    webhooks_bp,
    timer_webhook_subscriptions_bp,
):
    app.register_functions(blueprint)
