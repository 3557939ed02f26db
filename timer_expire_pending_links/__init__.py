"""Revoke and delete unconfirmed pending links on a schedule (EXPIRE_PENDING_LINKS_SCHEDULE)."""

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("timer_expire_pending_links")
@bp.timer_trigger(arg_name="timer", schedule="%EXPIRE_PENDING_LINKS_SCHEDULE%", run_on_startup=False)
def timer_expire_pending_links(timer: func.TimerRequest, context: func.Context) -> None:
    """Revoke the grants of expired pending links and delete them."""
    from shared.timer_entry import expire_pending_links

    expire_pending_links(past_due=timer.past_due, invocation_id=context.invocation_id)
