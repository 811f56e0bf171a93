"""A stand-in for ClamAV's daemon that speaks its real INSTREAM protocol (man 8 clamd).

It finds one virus, the EICAR test string, and can be told to answer nothing at all.
"""

import socketserver
import threading
from collections.abc import Iterator
from contextlib import contextmanager

EICAR_MARK = b"EICAR-STANDARD-ANTIVIRUS-TEST-FILE"


class _Handler(socketserver.BaseRequestHandler):
    def _read_exactly(self, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = self.request.recv(count - len(data))
            if not chunk:
                raise ConnectionError("client went away")
            data += chunk
        return data

    def handle(self) -> None:
        command = b""
        while not command.endswith(b"\0"):
            command += self._read_exactly(1)
        if command != b"zINSTREAM\0":
            self.request.sendall(b"UNKNOWN COMMAND\0")
            return
        scanned = b""
        while length := int.from_bytes(self._read_exactly(4), "big"):
            scanned += self._read_exactly(length)
        self.server.streams.append(scanned)  # type: ignore[attr-defined]
        found = EICAR_MARK in scanned
        self.request.sendall(b"stream: Eicar-Signature FOUND\0" if found else b"stream: OK\0")


class FakeClamd(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.streams: list[bytes] = []

    @property
    def url(self) -> str:
        host, port = self.server_address[:2]
        return f"tcp://{host!s}:{port}"


@contextmanager
def running_fake_clamd() -> Iterator[FakeClamd]:
    server = FakeClamd()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
