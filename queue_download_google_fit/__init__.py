"""Download jobs for google_fit: one queue message is one DownloadJob."""

import azure.functions as func

bp = func.Blueprint()


@bp.function_name("queue_download_google_fit")
@bp.queue_trigger(arg_name="msg", queue_name="download-google-fit", connection="AzureWebJobsStorage")
def queue_download_google_fit(msg: func.QueueMessage) -> None:
    """Run one download job; errors propagate so the queue retries and finally poisons."""
    from shared.download_entry import handle_download_message

    handle_download_message("google_fit", msg.get_body(), dequeue_count=msg.dequeue_count)
