"""Authoring: scaffolding a new article, and the model's generated reference."""

from .._util.lazy import lazy_exports

__all__ = ["new_article", "slugify", "NewArticle", "ontology_markdown", "cli_markdown"]

__getattr__, __dir__ = lazy_exports(__name__, {
    "new_article": "scaffold", "slugify": "scaffold", "NewArticle": "scaffold", "ontology_markdown": "docs",
    "cli_markdown": "docs",
})
