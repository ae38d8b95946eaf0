"""A Streamlit server for one measurement, and the peak memory of it and its children."""

from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from pathlib import Path

import psutil

from tests.browser import StreamlitServer

#: How often the memory sampler reads the server's resident set size, in seconds.
SAMPLE_EVERY = 0.1


@contextmanager
def serving(app: Path, data: Path, timeout: float = 90.0):
    """Start ``streamlit run app`` with ``CLAIM_MAP_DATA=data`` on a free port; yield it running; stop it after.

    Raises
    ------
    RuntimeError
        If the server does not answer its health check within ``timeout`` seconds (with its log).
    """
    server = StreamlitServer(app=Path(app), env={"CLAIM_MAP_DATA": str(data)})
    try:
        server.start(timeout=timeout)
    except BaseException as exc:  # tests.browser fails through pytest.fail, an OutcomeException
        if isinstance(exc, KeyboardInterrupt):
            raise
        server.stop()
        raise RuntimeError(f"{app} did not start: {exc}") from None
    try:
        yield server
    finally:
        server.stop()


def rss(pid: int) -> int:
    """Return the resident memory of process ``pid`` and all its children, in bytes (0 once it is gone)."""
    try:
        process = psutil.Process(pid)
        total = process.memory_info().rss
        for child in process.children(recursive=True):
            try:
                total += child.memory_info().rss
            except psutil.Error:
                continue
        return total
    except psutil.Error:
        return 0


class PeakMemory:
    """Poll a process tree's resident memory every ``SAMPLE_EVERY`` seconds in a thread; keep the peak."""

    def __init__(self, pid: int):
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, rss(self.pid))
            time.sleep(SAMPLE_EVERY)

    def __enter__(self) -> PeakMemory:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
