"""Build hook: compile netral's optional C helpers (``netral_cli/_native.c``) into ``netral_cli/_native.so``.

Without a C compiler the build goes on without them and netral runs the numpy code that gives the same
results (see ``netral_cli/native.py``). ``CC`` picks the compiler, as for any C build.
"""

from __future__ import annotations

import hashlib
import os
import shlex
import subprocess
import sysconfig
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SOURCE = "netral_cli/_native.c"
LIBRARY = "netral_cli/_native.so"
FLAGS = ["-O2", "-shared", "-fPIC", "-ffp-contract=off"]


class NativeHelpers(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        if self.target_name != "wheel":
            return
        compiler = shlex.split(os.environ.get("CC") or sysconfig.get_config_var("CC") or "cc")
        source, library = Path(self.root, SOURCE), Path(self.root, LIBRARY)
        try:
            digest = hashlib.sha256(source.read_bytes()).hexdigest()
            subprocess.run([*compiler, *FLAGS, f'-DNETRAL_SOURCE_SHA256="{digest}"', "-o", str(library), str(source)],
                           check=True, capture_output=True, text=True)
        except (OSError, subprocess.CalledProcessError) as exc:
            detail = getattr(exc, "stderr", "") or str(exc)
            self.app.display_warning(f"netral: C helpers not compiled, the numpy code will run instead "
                                     f"({detail.strip()})")
            return
        build_data["artifacts"].append(LIBRARY)
        build_data["pure_python"] = False
        build_data["infer_tag"] = True
