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
    """Set TCP_NODELAY on every listening TCP socket of this process; returns how many.

    Only sockets that are listening (``SO_ACCEPTCONN``) and TCP are touched; clients (a
    database connection) are left alone. Where ``/proc`` is missing it does nothing.
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
                listening = sock.getsockopt(socket.SOL_SOCKET, socket.SO_ACCEPTCONN)
                if not listening or sock.family not in (socket.AF_INET, socket.AF_INET6):
                    continue
                if sock.type != socket.SOCK_STREAM:
                    continue
                sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                done += 1
            except OSError:
                continue
    return done
