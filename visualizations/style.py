"""How maps look: one place for colours, shapes and line styles.

Every state is told apart by shape, border and a text tag as well as by colour, so a map
printed in grey-scale (or read with colour blindness) still says what each node is.
"""

from __future__ import annotations

FONT = "Helvetica"

#: Edge kinds -> DOT attributes (prerequisites solid, stacking dashed, equivalence dotted).
EDGE: dict[str, dict[str, str]] = {
    "prerequisite": {"style": "solid", "color": "#404040", "arrowhead": "normal"},
    "stacks": {"style": "dashed", "color": "#2166ac", "arrowhead": "empty"},
    "select": {"style": "dashed", "color": "#92c5de", "arrowhead": "empty"},
    "same_as": {
        "style": "dotted",
        "color": "#7f3b08",
        "dir": "both",
        "arrowhead": "none",
        "arrowtail": "none",
        "penwidth": "2",
    },
    "transfer": {"style": "dashed", "color": "#1b7837", "arrowhead": "odiamond", "penwidth": "1.6"},
    "plan": {"color": "#b2182b", "penwidth": "3"},
}

#: Node kinds (no learner).
CREDENTIAL = {"shape": "box", "style": "rounded,filled", "fillcolor": "#ffffff", "color": "#404040"}
STACKED = {
    "shape": "box",
    "style": "filled",
    "fillcolor": "#d1e5f0",
    "color": "#2166ac",
    "peripheries": "2",
    "penwidth": "1.5",
}
RULE = {
    "shape": "ellipse",
    "style": "filled",
    "fillcolor": "#f7f7f7",
    "color": "#808080",
    "fontsize": "9",
    "width": "0.3",
    "height": "0.2",
}

#: Learner states -> (tag shown in the label, DOT attributes overriding the node's).
STATE: dict[str, tuple[str, dict[str, str]]] = {
    "held": (
        "✔ held",
        {"fillcolor": "#1b7837", "fontcolor": "#ffffff", "color": "#00441b", "penwidth": "2"},
    ),
    "in_progress": (
        "◐ in progress",
        {"fillcolor": "#a6dba0", "color": "#1b7837", "penwidth": "2", "style+": "dashed"},
    ),
    "next": ("→ available next", {"fillcolor": "#ffffff", "color": "#000000", "penwidth": "3"}),
    "locked": (
        "✕ locked",
        {"fillcolor": "#e0e0e0", "fontcolor": "#606060", "color": "#a0a0a0", "style+": "dotted"},
    ),
    "lapsed": (
        "↺ lapsed, renew",
        {"fillcolor": "#fddbc7", "color": "#b2182b", "style+": "diagonals"},
    ),
    "partial": ("◔ under way", {"fillcolor": "#d9f0d3", "color": "#1b7837"}),
}

#: Plan highlight on a node (added over its state).
PLAN = {"color": "#b2182b", "penwidth": "3.5"}

LEGEND_ORDER = ("held", "in_progress", "partial", "lapsed", "next", "locked")

#: The map as a whole (left to right, title on top).
GRAPH = {
    "rankdir": "LR",
    "fontname": FONT,
    "labelloc": "t",
    "fontsize": "18",
    "nodesep": "0.25",
    "ranksep": "0.6",
    "newrank": "true",
}
#: The box around the components of one stacked credential.
CLUSTER = {"style": "rounded,dashed", "color": "#92c5de", "fontsize": "10", "fontcolor": "#2166ac"}
LEGEND = {"style": "rounded", "color": "#808080", "fontsize": "11"}
