"""``stackwise serve``: run the HTTP service (seeding the demo on the first embedded start)."""

from __future__ import annotations

import socket
from pathlib import Path

import typer

from cli.app import app
from pathways.errors import UsageError

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@app.command()
def serve(
    host: str = typer.Option("127.0.0.1", "--host", help="Interface to listen on."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="TCP port."),
    workers: int = typer.Option(
        1, "--workers", min=1, help="Worker processes (one per core serves the most)."
    ),
    access_log: bool = typer.Option(
        True, "--access-log/--no-access-log", help="Log a line per request on stderr."
    ),
) -> None:
    """Serve the HTTP API and web page.

    With the embedded SQLite default, the first start creates the database and loads the demo
    catalog and learners; every embedded start prints a fresh admin key and the URL. An
    address that cannot be listened on (in use, not this machine's) exits 2 before the store
    is touched.
    """
    from sqlmodel import Session

    from api.settings import ApiSettings
    from store import demo, open_store
    from store.keys import create_key
    from store.settings import from_environment

    # every setting the service reads, checked before the store is touched
    settings = from_environment(ApiSettings)
    _check_address(host, port)
    engine = open_store(settings)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}"
    if settings.embedded:
        typer.echo(f"database: {settings.url.removeprefix('sqlite:///')}")
        if demo.is_empty(engine) and EXAMPLES.is_dir():
            ref, count = demo.seed(engine, EXAMPLES)
            typer.echo(f"first start: loaded demo catalog {ref} and {count} learners")
        with Session(engine, expire_on_commit=False) as session:
            _, token = create_key(session, "admin", label="printed by stackwise serve")
        typer.echo(f"admin key (shown once): {token}")
        typer.echo(f"try: curl -H 'Authorization: Bearer {token}' {url}/v1/catalogs")
    else:
        typer.echo("database: STACKWISE_DATABASE_URL (create keys with: stackwise keys create)")
    engine.dispose()
    typer.echo(f"web page: {url}/web   API: {url}/v1   docs: {url}/v1/docs")
    import uvicorn

    import api.app  # noqa: F401  (fail here, not in a worker, if the app cannot import)

    uvicorn.run(
        "api.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        log_level="info",
        access_log=access_log,
    )


def _check_address(host: str, port: int) -> None:
    """Raise :class:`UsageError` unless ``host:port`` can be listened on now.

    uvicorn finds out only after the app has started (and a key has been printed), then
    exits 3 with a log line; binding a probe socket first, as uvicorn binds (with
    ``SO_REUSEADDR``), reports it as bad input instead. Another process may still take the
    port in between: uvicorn's own error remains for that race.
    """
    try:
        # the family uvicorn picks: IPv6 when the host is written with colons
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        infos = socket.getaddrinfo(
            host, port, family=family, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
        family, kind, proto, _, address = infos[0]
        with socket.socket(family, kind, proto) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind(address)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise UsageError(
            f"cannot listen on {host}:{port}: {reason}", location="--host/--port"
        ) from None
