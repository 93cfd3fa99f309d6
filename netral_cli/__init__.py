"""netral: scan social-media exports for breaches of ASN election neutrality (SKB 2/2022).

The library API lives in :mod:`netral_cli.api` (``from netral_cli import scan``); the ``netral``
command is a thin layer over it.
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["ScanOptions", "ScanResult", "ingest", "scan", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy, so that `import netral_cli` (and `netral --help`) does not load scikit-learn.
    if name in __all__:
        from netral_cli import api

        return getattr(api, name)
    raise AttributeError(name)
