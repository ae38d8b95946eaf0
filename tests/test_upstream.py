"""The fix for Streamlit's dropped upload answers: a file chosen while a rerun starts still gets its URLs."""

import pytest
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
from streamlit.runtime.forward_msg_queue import ForwardMsgQueue

from geo.app import upstream


def upload_answer(request_id: str) -> ForwardMsg:
    message = ForwardMsg()
    message.file_urls_response.response_id = request_id
    return message


def delta(text: str) -> ForwardMsg:
    message = ForwardMsg()
    message.metadata.delta_path[:] = [0, 1]
    message.delta.new_element.markdown.body = text
    return message


@pytest.fixture
def queue(monkeypatch):
    monkeypatch.setattr(ForwardMsgQueue, "clear", ForwardMsgQueue.clear)
    upstream.keep_upload_answers()
    return ForwardMsgQueue()


def test_a_rerun_starting_keeps_the_upload_answer_and_drops_the_old_run_s_elements(queue):
    queue.enqueue(delta("from the interrupted run"))
    queue.enqueue(upload_answer("request-1"))
    queue.clear(retain_lifecycle_msgs=True)
    kinds = [message.WhichOneof("type") for message in queue.flush()]
    assert kinds == ["file_urls_response"]


def test_a_flush_hands_over_the_upload_answer_once(queue):
    queue.enqueue(upload_answer("request-1"))
    assert [message.file_urls_response.response_id for message in queue.flush()] == ["request-1"]
    assert queue.flush() == []


def test_applying_the_fix_twice_keeps_one_answer_not_two(queue):
    upstream.keep_upload_answers()
    queue.enqueue(upload_answer("request-1"))
    queue.clear(retain_lifecycle_msgs=True)
    assert len(queue.flush()) == 1


def test_without_the_fix_streamlit_drops_the_upload_answer(monkeypatch):
    """Shows the race is Streamlit's: once the pinned version keeps the answer itself, remove ``upstream``."""
    original = getattr(ForwardMsgQueue.clear, "__wrapped__", ForwardMsgQueue.clear)
    queue = ForwardMsgQueue()
    queue.enqueue(upload_answer("request-1"))
    original(queue, retain_lifecycle_msgs=True)
    assert queue.flush() == []
