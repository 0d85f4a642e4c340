"""Point Playwright's expected ffmpeg path at a system ffmpeg, so that `--video` works.

Playwright looks for <registry>/ffmpeg-<rev>/ffmpeg-linux and cannot download it here. The
INSTALLATION_COMPLETE marker keeps any later `playwright install` from deleting the folder.
Idempotent; prints the link path.
"""

import json
import os
import shutil
import sys
from pathlib import Path

import playwright


def registry() -> Path:
    env = os.environ.get("PLAYWRIGHT_BROWSERS_PATH")
    if env == "0":
        return Path(playwright.__file__).parent / "driver/package/.local-browsers"
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "ms-playwright"


def main() -> int:
    source = sys.argv[1] if len(sys.argv) > 1 else shutil.which("ffmpeg")
    if not source:
        print("link_ffmpeg: no ffmpeg found (apt-get install -y ffmpeg)", file=sys.stderr)
        return 1
    browsers = json.loads(
        (Path(playwright.__file__).parent / "driver/package/browsers.json").read_text()
    )
    revision = next(b["revision"] for b in browsers["browsers"] if b["name"] == "ffmpeg")
    target = registry() / f"ffmpeg-{revision}" / "ffmpeg-linux"
    wanted = Path(source).resolve()
    if not (target.is_symlink() and target.resolve() == wanted):
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_symlink() or target.exists():
            target.unlink()
        target.symlink_to(wanted)
    (target.parent / "INSTALLATION_COMPLETE").touch()
    print(target)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
