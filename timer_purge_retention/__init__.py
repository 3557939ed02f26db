"""Delete what is kept no longer than its retention period (RETENTION_PURGE_SCHEDULE)."""

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("timer_purge_retention")
@bp.timer_trigger(arg_name="timer", schedule="%RETENTION_PURGE_SCHEDULE%", run_on_startup=False)
def timer_purge_retention(timer: func.TimerRequest, context: func.Context) -> None:
    """Delete old revoked connections, used OAuth states and expired pending links."""
    from shared.timer_entry import purge_retention

    purge_retention(past_due=timer.past_due, invocation_id=context.invocation_id)
