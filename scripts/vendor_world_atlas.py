"""Copy the world map Lantern draws from the npm package `world-atlas` into the project.

Run by hand when upgrading the map (never at run time):

    uv run python scripts/vendor_world_atlas.py            # runs `npm pack world-atlas@2.0.2`
    uv run python scripts/vendor_world_atlas.py node_modules/world-atlas   # an installed copy

It takes `countries-110m.json` (Natural Earth 1:110m Admin 0 countries as TopoJSON,
ids are ISO 3166-1 numeric codes) from the package, checks it is the TopoJSON the map
code expects, and writes it to `lantern/web/data/` with the package's licence and a
`world-atlas.json` record (package, version, licence, file, SHA-256). No PyPI package
ships Natural Earth country shapes without downloading them at run time, so the file
is vendored; see docs/reference-data.md.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

PACKAGE = "world-atlas"
VERSION = "2.0.2"
FILE = "countries-110m.json"

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "lantern" / "web" / "data"


def packed_package(workdir: Path) -> Path:
    """`npm pack` the pinned version into `workdir` and unpack it; the package folder."""
    subprocess.run(
        ["npm", "pack", f"{PACKAGE}@{VERSION}", "--silent"],
        cwd=workdir,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    tarball = next(workdir.glob(f"{PACKAGE}-*.tgz"))
    with tarfile.open(tarball) as archive:
        archive.extractall(workdir, filter="data")
    return workdir / "package"


def check_topology(data: dict) -> int:
    """The number of country geometries; raises when the layout is not the expected one."""
    if data.get("type") != "Topology" or "countries" not in data.get("objects", {}):
        raise SystemExit(f"{FILE} is not a TopoJSON topology with a 'countries' object")
    geometries = data["objects"]["countries"]["geometries"]
    if not all("name" in g.get("properties", {}) for g in geometries):
        raise SystemExit(f"{FILE}: every country needs properties.name")
    return len(geometries)


def vendor(package_dir: Path) -> None:
    meta = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
    if meta.get("name") != PACKAGE:
        raise SystemExit(f"{package_dir} is not the {PACKAGE} package")
    source = package_dir / FILE
    raw = source.read_bytes()
    count = check_topology(json.loads(raw))
    OUT.mkdir(parents=True, exist_ok=True)
    (OUT / FILE).write_bytes(raw)
    shutil.copyfile(package_dir / "LICENSE", OUT / "LICENSE-world-atlas")
    record = {
        "package": f"npm:{PACKAGE}",
        "version": meta["version"],
        "licence": meta.get("license", ""),
        "data": "Natural Earth 4.1.0, Admin 0 countries, 1:110m (public domain)",
        "file": FILE,
        "sha256": hashlib.sha256(raw).hexdigest(),
        "countries": count,
    }
    (OUT / "world-atlas.json").write_text(
        json.dumps(record, indent=2) + "\n", encoding="utf-8"
    )
    print(
        f"{FILE}: {count} countries · {PACKAGE} {meta['version']} ({record['licence']})"
    )


def main(argv: list[str]) -> None:
    if len(argv) > 1:
        vendor(Path(argv[1]))
        return
    with tempfile.TemporaryDirectory() as tmp:
        vendor(packed_package(Path(tmp)))


if __name__ == "__main__":
    main(sys.argv)
