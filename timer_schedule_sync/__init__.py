"""Queue incremental syncs on a schedule (SCHEDULE_SYNC_SCHEDULE)."""

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("timer_schedule_sync")
@bp.timer_trigger(arg_name="timer", schedule="%SCHEDULE_SYNC_SCHEDULE%", run_on_startup=False)
def timer_schedule_sync(timer: func.TimerRequest, context: func.Context) -> None:
    """Queue a download job for each connection that is due."""
    from shared.timer_entry import schedule_syncs

    schedule_syncs(past_due=timer.past_due, invocation_id=context.invocation_id)
