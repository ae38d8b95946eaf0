"""A fix for one race in the pinned Streamlit (1.67), applied once per server process.

When a script run starts, Streamlit clears the messages queued for the browser and keeps only lifecycle ones
(``ForwardMsgQueue.clear``). The answer to a file upload's request for URLs (``file_urls_response``) is not
among them: a file chosen while a rerun starts (the map reports every pan and zoom, and each report reruns
the page) waits forever for its URLs and is never uploaded, without a word. ``keep_upload_answers`` keeps
those answers through the clear.
"""

from __future__ import annotations

import functools
from typing import Any

from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

#: The message that tells the browser where to upload a chosen file.
UPLOAD_ANSWER = "file_urls_response"


def keep_upload_answers() -> None:
    """Make ``ForwardMsgQueue.clear`` keep queued upload answers; calling it again changes nothing."""
    clear = ForwardMsgQueue.clear
    if getattr(clear, "keeps_upload_answers", False):
        return

    @functools.wraps(clear)
    def clear_keeping_upload_answers(
        self: ForwardMsgQueue, retain_lifecycle_msgs: bool = False, fragment_ids_this_run: Any = None
    ) -> None:
        answers = [message for message in self._queue if message.WhichOneof("type") == UPLOAD_ANSWER]
        clear(self, retain_lifecycle_msgs, fragment_ids_this_run)
        if retain_lifecycle_msgs:
            self._queue.extend(message for message in answers if message not in self._queue)

    clear_keeping_upload_answers.keeps_upload_answers = True
    ForwardMsgQueue.clear = clear_keeping_upload_answers
