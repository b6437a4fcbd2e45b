"""Lazy re-exports for packages: a name is imported from its module on first use.

``import kgraph`` and ``kgraph --help`` stay fast because the engines
(pyoxigraph, networkx, rdflib, matplotlib) load only when something that
needs them is used.
"""

from __future__ import annotations

from importlib import import_module

__all__ = ["lazy_exports"]


def lazy_exports(package: str, exports: dict[str, str]):
    """``__getattr__`` and ``__dir__`` for ``package``, exporting each name in
    ``exports`` from the submodule it maps to (relative to ``package``)."""

    def __getattr__(name: str):
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(import_module(f"{package}.{module}"), name)
        import sys

        setattr(sys.modules[package], name, value)
        return value

    def __dir__() -> list[str]:
        return sorted(exports)

    return __getattr__, __dir__
