"""Fill the offline cache of the front-end files Solara (Mesa's UI) loads from a CDN.

Solara proxies them under /_solara/cdn/<name@version>/... and, offline, serves them from
SOLARA_ASSETS_PROXY_CACHE_DIR: one folder per URL name, holding the npm package's files.
This packs each package from the npm registry (`npm pack`, nothing installed) and unpacks
it there. A bare URL (/_solara/cdn/vega@5) is served from <folder>/__main.js: the file a CDN
would serve for it (package.json "jsdelivr", else "browser", else "main").

    python -m jevons_compute.experiments.ui.assets DIR

``cache_dir()`` is where ``jevons-compute ui`` looks: $JEVONS_UI_ASSETS if set, else
``.cache/solara-cdn`` in a source checkout, else ``~/.cache/jevons-compute/solara-cdn``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

# (npm package@version to pack, folder name as in Solara's URL); Solara asks for them
# under /_solara/cdn/<name@version>/
PACKAGES = [
    ("@widgetti/solara-vuetify-app@10.1.1", "@widgetti/solara-vuetify-app@10.1.1"),
    ("requirejs@2.3.6", "requirejs@2.3.6"),
    ("font-awesome@4.5.0", "font-awesome@4.5.0"),
    ("@widgetti/vue-grid-layout@2.3.13-alpha.2", "@widgetti/vue-grid-layout@2.3.13-alpha.2"),
    ("vega@5.33.1", "vega@5"),
    ("vega-lite@5.23.0", "vega-lite@5"),
    ("vega-embed@6.29.0", "vega-embed@6"),
    ("mermaid@10.8.0", "mermaid@10.8.0"),
    ("katex@0.16.9", "katex@0.16.9"),
]
STAMP = ".complete"


def cache_dir() -> Path:
    """The offline cache of the page's front-end files (see the module's docstring)."""
    if os.environ.get("JEVONS_UI_ASSETS"):
        return Path(os.environ["JEVONS_UI_ASSETS"])
    checkout = Path(__file__).resolve().parents[3]
    if (checkout / "pyproject.toml").is_file() and (checkout / "jevons_compute").is_dir():
        return checkout / ".cache" / "solara-cdn"
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "jevons-compute" / "solara-cdn"


def is_complete(cache: Path) -> bool:
    return (cache / STAMP).exists()


def main_file(package_dir: Path) -> Path | None:
    meta = json.loads((package_dir / "package.json").read_text())
    for key in ("jsdelivr", "browser", "main"):
        value = meta.get(key)
        if isinstance(value, str) and (package_dir / value).is_file():
            return package_dir / value
    return None


def build(cache: Path) -> None:
    if (cache / STAMP).exists():
        return
    cache.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for spec, folder in PACKAGES:
            target = cache / folder
            if target.exists():
                continue
            result = subprocess.run(
                ["npm", "pack", spec, "--silent"], cwd=tmp, capture_output=True, text=True
            )
            if result.returncode != 0:
                sys.exit(
                    f"assets: npm pack {spec} failed: {result.stderr.strip().splitlines()[-1:]}"
                )
            tarball = Path(tmp) / result.stdout.strip().splitlines()[-1]
            unpack = Path(tmp) / "unpack"
            shutil.rmtree(unpack, ignore_errors=True)
            with tarfile.open(tarball) as tar:
                tar.extractall(unpack, filter="data")
            package_dir = next(unpack.iterdir())  # "package/" (or the package's own name)
            main = main_file(package_dir)
            if main is not None:
                shutil.copyfile(main, package_dir / "__main.js")
            staging = target.with_name(target.name + ".partial")
            shutil.rmtree(staging, ignore_errors=True)
            staging.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(package_dir), staging)
            staging.rename(target)
            print(f"assets: {folder}", file=sys.stderr)
    (cache / STAMP).write_text("ok\n")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    build(Path(sys.argv[1]))
