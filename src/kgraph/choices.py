"""Option values shared by the library and the command line (kept free of
heavy imports, so that ``kgraph --help`` starts fast)."""

LEVELS = ("person", "organization", "polity")
NORMALIZATIONS = ("none", "average", "jaccard", "cosine")
