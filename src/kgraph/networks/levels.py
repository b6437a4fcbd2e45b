"""Option values of the network projections, kept free of heavy imports so
that ``kgraph --help`` starts fast."""

__all__ = ["LEVELS", "NORMALIZATIONS"]

#: How far actors are folded: each person, into their organization, into their polity.
LEVELS = ("person", "organization", "polity")

#: Tie weights of the congruence and conflict networks.
NORMALIZATIONS = ("none", "average", "jaccard", "cosine")
