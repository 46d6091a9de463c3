"""TCP_NODELAY on the listening sockets this process serves from (a uvicorn workaround).

With ``--workers N`` uvicorn binds the listening socket itself with ``proto`` 0, and the
asyncio event loop only turns Nagle's algorithm off for accepted sockets whose ``proto`` is
``IPPROTO_TCP``; so every keep-alive response waited for the client's delayed ACK, about
40 ms on Linux (uvicorn issue #3149). Measured here: 45 ms per request even with one
connection, which capped two workers at ~250 decisions/s. Linux hands a listening socket's
TCP_NODELAY down to every socket it accepts, so setting it on the listeners fixes all
connections whatever loop or server runs the app. Remove once uvicorn binds with
``IPPROTO_TCP`` (uvloop, when installed, sets TCP_NODELAY itself).
"""

from __future__ import annotations

import contextlib
import os
import socket

_FDS = "/proc/self/fd"


def nodelay_on_listeners() -> int:
    """Set TCP_NODELAY on every server TCP socket of this process; returns how many.

    A server socket is one listening (``SO_ACCEPTCONN``), or bound but connected to no
    peer: uvicorn's workers run the app's startup before they listen on the socket the
    parent bound, so with two workers only the later one found it listening, and only
    when the other had got there first (the bench then saw ~350 decisions/s at a 44 ms
    median, against ~1,000 at 15 ms). Clients (a database connection) have a peer and
    are left alone. Where ``/proc`` is missing it does nothing.
    """
    try:
        fds = [int(name) for name in os.listdir(_FDS)]
    except OSError:
        return 0
    done = 0
    for fd in fds:
        try:
            if not os.readlink(f"{_FDS}/{fd}").startswith("socket:"):
                continue
            # A duplicate, so that closing it leaves the server's descriptor open; the
            # option is the socket's, shared by both descriptors.
            sock = socket.socket(fileno=os.dup(fd))
        except OSError:
            continue
        with contextlib.closing(sock):
            try:
                if sock.family not in (socket.AF_INET, socket.AF_INET6):
                    continue
                if sock.type != socket.SOCK_STREAM or not _serves(sock):
                    continue
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                done += 1
            except OSError:
                continue
    return done


def _serves(sock: socket.socket) -> bool:
    """Listening, or bound to a port with no peer (a listener-to-be)."""
    if sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN):
        return True
    if sock.getsockname()[1] == 0:
        return False  # not bound
    try:
        sock.getpeername()
    except OSError:
        return True
    return False
