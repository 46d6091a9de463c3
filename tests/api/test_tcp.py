"""Listening sockets get TCP_NODELAY (uvicorn --workers binds them without it)."""

from __future__ import annotations

import os
import socket

import pytest

from api.tcp import nodelay_on_listeners

LINUX = pytest.mark.skipif(
    not hasattr(socket, "SO_ACCEPTCONN") or not os.path.isdir("/proc/self/fd"),
    reason="needs Linux (/proc/self/fd, SO_ACCEPTCONN)",
)


def _nodelay(sock: socket.socket) -> int:
    return sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY)


@LINUX
def test_listeners_get_nodelay_and_hand_it_to_accepted_sockets() -> None:
    # As uvicorn's Config.bind_socket does: proto left at 0, so asyncio would skip it.
    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    listener.listen()
    other = socket.create_connection(listener.getsockname())
    try:
        assert _nodelay(listener) == 0 and _nodelay(other) == 0
        assert nodelay_on_listeners() >= 1
        assert _nodelay(listener) == 1
        assert _nodelay(other) == 0  # only listeners are touched
        with socket.create_connection(listener.getsockname()):
            accepted, _ = listener.accept()  # the earlier one, made before: skip it
            accepted.close()
            accepted, _ = listener.accept()
            with accepted:
                assert _nodelay(accepted) == 1  # handed down by the listener
    finally:
        other.close()
        listener.close()


@LINUX
def test_a_socket_bound_but_not_yet_listening_gets_it_too() -> None:
    # uvicorn --workers: the parent binds, each worker starts the app, then listens.
    listener = socket.socket(family=socket.AF_INET)
    listener.bind(("127.0.0.1", 0))
    unbound = socket.socket(family=socket.AF_INET)
    try:
        assert nodelay_on_listeners() >= 1
        assert _nodelay(listener) == 1 and _nodelay(unbound) == 0
        listener.listen()
        with socket.create_connection(listener.getsockname()):
            accepted, _ = listener.accept()
            with accepted:
                assert _nodelay(accepted) == 1
    finally:
        unbound.close()
        listener.close()
