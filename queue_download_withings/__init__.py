"""Download jobs for withings: one queue message is one DownloadJob."""

from shared.download_entry import download_blueprint

bp = download_blueprint("withings")
