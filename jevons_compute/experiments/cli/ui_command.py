"""The ``ui`` command: the browser UI on this machine, served with its offline front-end
files."""

from __future__ import annotations

import sys

from jevons_compute.experiments.cli.common import (
    UsageError,
    port_type,
)
from jevons_compute.world.parameters import shown


def ui_environment() -> dict:
    """Environment for the Solara server: the offline front-end cache (built if missing)."""
    import os
    import shutil

    from jevons_compute.experiments.ui import assets

    cache = assets.cache_dir()
    if not assets.is_complete(cache):
        if shutil.which("npm") is None:
            raise UsageError(
                "the page needs its front-end files and npm is not installed: "
                "install Node.js/npm (e.g. apt-get install npm) and run again."
            )
        print("building the offline front-end cache (once) ...", flush=True)
        assets.build(cache)
    return {
        **os.environ,
        "SOLARA_ASSETS_PROXY_CACHE_DIR": str(cache),
        "SOLARA_THEME_SHOW_BANNER": "false",  # the corner badge would cover the page
        "SOLARA_THEME_TITLE": "Jevons compute market",
    }


LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def resolve_host(host: str, port: int) -> tuple:
    """(family, type, proto, address) to listen on, or one sentence for a bad --host."""
    import socket

    try:
        infos = socket.getaddrinfo(
            host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )
    except (socket.gaierror, UnicodeError):
        raise UsageError(f"--host {shown(host)} is not an address of this machine.") from None
    family, kind, proto, _, address = infos[0]
    return family, kind, proto, address


def check_port(host: str, port: int, listen: tuple) -> None:
    """Refuse a port another program holds before the server starts and before the address
    is printed."""
    import errno
    import socket

    family, kind, proto, address = listen
    with socket.socket(family, kind, proto) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise UsageError(
                    f"port {port} is already in use on {host or 'every interface'}: "
                    "stop the program using it or give another --port."
                ) from None
            raise UsageError(
                f"cannot listen on --host {shown(host)} --port {port} ({exc.strerror})."
            ) from None


def cmd_ui(args) -> int:
    import os

    listen = resolve_host(args.host, args.port)
    if not (args.host in LOCAL_HOSTS or args.host.startswith("127.")):
        print(
            f"jevons-compute: warning: --host {shown(args.host)} makes the UI reachable from other "
            "machines on the network (anyone who can reach this one can run models on it); use "
            "--host 127.0.0.1 to keep it on this machine.",
            file=sys.stderr,
            flush=True,
        )
    check_port(args.host, args.port, listen)
    env = ui_environment()
    from jevons_compute.experiments.ui import app as page_module

    app = page_module.__file__
    where = f"[{args.host}]" if ":" in args.host else (args.host or "0.0.0.0")
    print(
        f"Jevons compute market UI: open http://{where}:{args.port}/ (Ctrl-C to stop)",
        flush=True,
    )
    command = [
        sys.executable,
        "-m",
        "solara",
        "run",
        str(app),
        "--host",
        args.host,
        "--port",
        str(args.port),
        "--production",
        "--no-open",
    ]
    if os.name == "posix":  # the server takes this process's place: signals reach it
        sys.stderr.flush()
        os.execve(sys.executable, command, env)
    import subprocess

    return subprocess.run(command, env=env).returncode


def add_commands(sub) -> None:
    """Add this group's commands to the command line's subparsers."""
    ui = sub.add_parser(
        "ui",
        help="open the browser UI on this machine",
        description="Start the browser UI: watch firms, clouds and chip "
        "vendors as AI gets cheaper. Works offline.",
    )
    ui.add_argument("--port", type=port_type, default=8765, help="port (default 8765)")
    ui.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to bind (default 127.0.0.1: this machine only; 0.0.0.0 for every interface)",
    )
    ui.set_defaults(func=cmd_ui)
