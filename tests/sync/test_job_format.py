"""DownloadJob's queue form: old messages still parse, a resume point round-trips, bad ones are refused."""

import json
import uuid
from datetime import datetime, timezone

import pytest

from shared.errors import JobError
from shared.jobs import DownloadJob, Resume

CONNECTION = uuid.UUID("00000000-0000-0000-0000-000000000001")
START, END = datetime(2026, 5, 1, tzinfo=timezone.utc), datetime(2026, 5, 5, tzinfo=timezone.utc)
# A message as the first version of the app wrote it.
OLD_MESSAGE = ('{"version":1,"connection_id":"00000000-0000-0000-0000-000000000001","provider":"oura",'
               '"reason":"continuation","streams":["sleep"],"window_start":null,"window_end":null}')


def test_a_message_without_a_resume_point_parses_and_is_written_as_before():
    job = DownloadJob.from_json(OLD_MESSAGE)
    assert job == DownloadJob(CONNECTION, "oura", "continuation", ("sleep",))
    assert job.to_json() == OLD_MESSAGE


def test_a_resume_point_round_trips():
    job = DownloadJob(CONNECTION, "oura", "continuation", ("sleep", "steps"),
                      resume=Resume("sleep", START, END, '{"v":1,"nt":"abc"}', 7))
    assert DownloadJob.from_json(job.to_json()) == job


def _with_resume(resume, **job):
    data = {**json.loads(OLD_MESSAGE), **job, "resume": resume}
    return json.dumps(data)


GOOD = {"stream": "sleep", "window_start": START.isoformat(), "window_end": END.isoformat(),
        "page_token": "t", "pages": 1}


@pytest.mark.parametrize("resume, job, message", [
    ([], {}, "resume must be an object"),
    ({**GOOD, "page_token": ""}, {}, "page_token is missing"),
    ({**GOOD, "pages": 0}, {}, "pages must be a positive integer"),
    ({**GOOD, "pages": True}, {}, "pages must be a positive integer"),
    ({**GOOD, "window_end": START.isoformat()}, {}, "window_start before its window_end"),
    ({**GOOD, "window_start": "2026-05-01T00:00:00"}, {}, "has no time zone"),
    (GOOD, {"reason": "backfill"}, "belongs to a continuation"),
    (GOOD, {"streams": ["steps", "sleep"]}, "belongs to a continuation"),
], ids=["not-object", "no-token", "zero-pages", "bool-pages", "empty-window", "naive-time", "not-continuation",
        "not-first-stream"])
def test_a_malformed_resume_point_is_refused(resume, job, message):
    with pytest.raises(JobError, match=message):
        DownloadJob.from_json(_with_resume(resume, **job))
