"""Keep the providers' webhook subscriptions present and renewed (WEBHOOK_SUBSCRIPTIONS_SCHEDULE)."""

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("timer_webhook_subscriptions")
@bp.timer_trigger(arg_name="timer", schedule="%WEBHOOK_SUBSCRIPTIONS_SCHEDULE%", run_on_startup=False)
def timer_webhook_subscriptions(timer: func.TimerRequest, context: func.Context) -> None:
    """Create missing and renew expiring webhook subscriptions; forget old replay digests."""
    from shared.timer_entry import maintain_webhooks

    maintain_webhooks(past_due=timer.past_due, invocation_id=context.invocation_id)
