"""Pathway maps and decision trees as Graphviz DOT and SVG."""
