"""PySastrawi's stemmer, with the same stems at about 40 % less time per new word.

Stemming the new words is most of a cold scan's extra cost (a scan meets hundreds of thousands of
distinct words). Two things in PySastrawi cost more than the stemming itself:

- It removes an affix with ``re.sub(result, "", word, count=1)``: the stem found so far is used as a
  *pattern*, so every new word compiles a regex, and those push the stemmer's own fixed patterns out of
  ``re``'s cache of 512, to be compiled again. A pattern of only letters, digits, ``_`` and ``-`` matches
  itself literally, so ``str.replace`` gives the same string; any other pattern still goes to ``re``.
- Each fixed pattern goes through ``re``'s cache look-up, in Python, dozens of times a word; here it is
  compiled once into a larger C-level cache.

The modules of the ``Sastrawi`` package that use ``re`` are given :data:`REGEX` in its place; nothing else in
the process is touched. PySastrawi's ``CachedStemmer`` is not used: netral keeps stems itself (memory and disk,
see :mod:`netral_cli.normalise`), and a second unbounded copy of every stem would only cost memory.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from functools import lru_cache
from typing import Any

_LITERAL = re.compile(r"[A-Za-z0-9_-]*")
_compiled = lru_cache(maxsize=4096)(re.compile)


class _Regex:
    """The ``re`` module as PySastrawi's modules see it: ``match`` and ``sub`` as above, the rest unchanged."""

    def __getattr__(self, name: str) -> Any:
        return getattr(re, name)

    @staticmethod
    def match(pattern: Any, string: str, flags: int = 0) -> re.Match[str] | None:
        return _compiled(pattern, flags).match(string)

    @staticmethod
    def sub(pattern: Any, repl: Any, string: str, count: int = 0, flags: int = 0) -> str:
        if isinstance(pattern, str) and isinstance(repl, str) and not flags and "\\" not in repl \
                and _LITERAL.fullmatch(pattern):
            return string.replace(pattern, repl, count or -1)
        return _compiled(pattern, flags).sub(repl, string, count)


REGEX = _Regex()


@lru_cache(maxsize=1)
def stemmer() -> Any:
    """PySastrawi's (uncached) stemmer, its modules given :data:`REGEX`."""
    import Sastrawi
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    for module in sastrawi_modules(Sastrawi):
        if getattr(module, "re", None) is re:
            module.re = REGEX
    return StemmerFactory().create_stemmer(isDev=False).delegatedStemmer


def sastrawi_modules(package: Any) -> list[Any]:
    """Every module of the ``Sastrawi`` package, imported."""
    return [importlib.import_module(info.name) for info in pkgutil.walk_packages(package.__path__, "Sastrawi.")]
