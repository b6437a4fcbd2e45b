"""kgraph's version, in one place (read by the package, its writers and its build)."""

__all__ = ["__version__"]

__version__ = "0.2.0"
