"""The Functions app: registers one blueprint per function folder, nothing else."""

import azure.functions as func

from connections import bp as connections_bp
from health import bp as health_bp
from oauth_callback import bp as oauth_callback_bp
from oauth_start import bp as oauth_start_bp
from queue_download_fitbit import bp as queue_download_fitbit_bp
from queue_download_google_fit import bp as queue_download_google_fit_bp
from queue_download_oura import bp as queue_download_oura_bp
from queue_download_withings import bp as queue_download_withings_bp
from shared.config import get_settings
from timer_refresh_tokens import bp as timer_refresh_tokens_bp
from timer_schedule_sync import bp as timer_schedule_sync_bp

# Fail at start, naming the setting, when the configuration is incomplete.
get_settings()

app = func.FunctionApp(http_auth_level=func.AuthLevel.ANONYMOUS)
for blueprint in (
    health_bp,
    oauth_start_bp,
    oauth_callback_bp,
    connections_bp,
    queue_download_fitbit_bp,
    queue_download_oura_bp,
    queue_download_google_fit_bp,
    queue_download_withings_bp,
    timer_refresh_tokens_bp,
    timer_schedule_sync_bp,
):
    app.register_functions(blueprint)
