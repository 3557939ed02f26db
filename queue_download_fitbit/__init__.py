"""Download jobs for fitbit: one queue message is one DownloadJob."""

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("queue_download_fitbit")
@bp.queue_trigger(arg_name="msg", queue_name="download-fitbit", connection="AzureWebJobsStorage")
def queue_download_fitbit(msg: func.QueueMessage) -> None:
    """Run one download job; errors propagate so the queue retries and finally poisons."""
    from shared.download_entry import handle_download_message

    handle_download_message("fitbit", msg.get_body(), dequeue_count=msg.dequeue_count)
