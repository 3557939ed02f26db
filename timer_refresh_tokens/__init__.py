"""Keep access tokens fresh on a schedule (REFRESH_TOKENS_SCHEDULE)."""

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("timer_refresh_tokens")
@bp.timer_trigger(arg_name="timer", schedule="%REFRESH_TOKENS_SCHEDULE%", run_on_startup=False)
def timer_refresh_tokens(timer: func.TimerRequest, context: func.Context) -> None:
    """Refresh the tokens that expire soon."""
    from shared.timer_entry import refresh_tokens

    refresh_tokens(past_due=timer.past_due, invocation_id=context.invocation_id)
