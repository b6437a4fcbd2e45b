"""How networks look, wherever they are drawn or exported: a colour per node
kind (colour-blind-safe, Okabe-Ito), tie colours by sign, line styles by relation."""

from __future__ import annotations

__all__ = ["KIND_COLOURS", "OTHER", "DASHED", "kind_colour", "edge_colour", "rgb"]

#: Colours by node kind (any other kind is grey). Colour-blind-safe (Okabe-Ito).
KIND_COLOURS = {
    "State": "#0072B2",
    "Polity": "#0072B2",
    "IntergovernmentalOrganization": "#56B4E9",
    "Presidency": "#009E73",
    "Ministry": "#009E73",
    "ForeignMinistry": "#009E73",
    "Parliament": "#009E73",
    "SecurityCouncil": "#009E73",
    "GovernmentBody": "#009E73",
    "PeacekeepingContingent": "#D55E00",
    "ArmedForce": "#D55E00",
    "MediaCollective": "#CC79A7",
    "MediaOutlet": "#CC79A7",
    "Person": "#E69F00",
    "Commentator": "#F0E442",
    "ActorGroup": "#999999",
    "Issue": "#8C564B",
    "Claim": "#7F7F7F",
    "Event": "#BCBD22",
    "Statement": "#17BECF",
}
#: The colour of a kind not listed.
OTHER = "#BBBBBB"
#: Line styles of tie relations that are not drawn solid.
DASHED = {"counterpart": "dashed", "addresses": "dotted"}


def kind_colour(kind: str) -> str:
    """The colour of a node kind (``#RRGGBB``)."""
    return KIND_COLOURS.get(kind, OTHER)


def rgb(colour: str) -> tuple[int, int, int]:
    """``#RRGGBB`` as three integers."""
    value = colour.lstrip("#")
    return int(value[0:2], 16), int(value[2:4], 16), int(value[4:6], 16)


def edge_colour(data: dict) -> str:
    """A tie's colour: green for +, orange for -, grey when unsigned."""
    sign = data.get("sign")
    if sign is None:
        return "#666666"
    return {1: "#1B9E77", -1: "#D95F02"}.get(int(sign), "#666666")
