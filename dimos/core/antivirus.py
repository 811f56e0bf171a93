"""Virus scanning by ClamAV's daemon (clamd) over its INSTREAM command (man 8 clamd).

Hand-written because no clamd client is installed in the project's environment; the protocol is
small: "zINSTREAM\\0", then chunks each prefixed by its length (4 bytes, network order), then a
zero length; the daemon answers "stream: OK" or "stream: <signature> FOUND", ending in NUL.
"""

import socket
from dataclasses import dataclass
from typing import IO
from urllib.parse import urlsplit

CHUNK_BYTES = 64 * 1024  # well below clamd's default StreamMaxLength (100 MB) per chunk
TIMEOUT_SECONDS = 30.0


class ScannerUnavailableError(Exception):
    """The scanner could not be reached or gave an answer we do not understand."""


@dataclass(frozen=True)
class Verdict:
    clean: bool
    signature: str = ""


def _connect(url: str, timeout: float) -> socket.socket:
    """A connected socket for `unix:///run/clamav/clamd.ctl` or `tcp://127.0.0.1:3310`."""
    parts = urlsplit(url)
    if parts.scheme == "unix" and parts.path:
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        address: str | tuple[str, int] = parts.path
    elif parts.scheme == "tcp" and parts.hostname:
        sock = socket.socket(socket.AF_INET6 if ":" in parts.hostname else socket.AF_INET)
        address = (parts.hostname, parts.port or 3310)
    else:
        raise ScannerUnavailableError(f"unsupported scanner address {url!r}")
    sock.settimeout(timeout)
    try:
        sock.connect(address)
    except OSError as exc:
        sock.close()
        raise ScannerUnavailableError(str(exc)) from exc
    return sock


def _read_reply(sock: socket.socket) -> str:
    reply = b""
    while not reply.endswith(b"\0"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        reply += chunk
    return reply.rstrip(b"\0").decode("utf-8", errors="replace").strip()


def _verdict(reply: str) -> Verdict:
    result = reply.partition(": ")[2] if reply.startswith("stream: ") else ""
    if result == "OK":
        return Verdict(clean=True)
    if result.endswith(" FOUND"):
        return Verdict(clean=False, signature=result.removesuffix(" FOUND"))
    # "INSTREAM size limit exceeded. ERROR" and anything else: we cannot say it is clean.
    raise ScannerUnavailableError(f"unexpected scanner answer {reply[:200]!r}")


def scan(stream: IO[bytes], url: str, timeout: float = TIMEOUT_SECONDS) -> Verdict:
    """Send the whole stream to clamd; the verdict, or ScannerUnavailableError."""
    stream.seek(0)
    sock = _connect(url, timeout)
    try:
        sock.sendall(b"zINSTREAM\0")
        while chunk := stream.read(CHUNK_BYTES):
            sock.sendall(len(chunk).to_bytes(4, "big") + chunk)
        sock.sendall((0).to_bytes(4, "big"))
        return _verdict(_read_reply(sock))
    except OSError as exc:
        raise ScannerUnavailableError(str(exc)) from exc
    finally:
        sock.close()
        stream.seek(0)
