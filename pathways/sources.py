"""Reading YAML / JSON files with the line of every value, and merging a folder.

Every value read keeps where it came from, so that an error deep inside a rule can name the
file and line (or JSON pointer) a designer must fix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from pathways.errors import CatalogError

Path_ = tuple[str | int, ...]
SUFFIXES = (".yaml", ".yml", ".json")


@dataclass
class SourceDoc:
    """One parsed file and the line of each of its values."""

    file: str
    data: Any
    lines: dict[Path_, int] = field(default_factory=dict)

    def where(self, path: Path_) -> str:
        """``file:line`` of ``path`` (or of its nearest located parent) plus a JSON pointer."""
        pointer = "/" + "/".join(str(p) for p in path) if path else "/"
        probe = path
        while probe and probe not in self.lines:
            probe = probe[:-1]
        line = self.lines.get(probe)
        return f"{self.file}:{line} (at {pointer})" if line else f"{self.file} (at {pointer})"


class _LineLoader(yaml.SafeLoader):
    """SafeLoader; positions are read from the composed node tree."""


def _positions(node: yaml.Node, path: Path_, out: dict[Path_, int], file: str) -> None:
    out.setdefault(path, node.start_mark.line + 1)
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            line = key_node.start_mark.line + 1
            if key in seen:
                raise CatalogError(
                    f"duplicate key {key!r} (first at line {seen[key]})",
                    location=f"{file}:{line}",
                )
            seen[key] = line
            out[(*path, key)] = line
            _positions(value_node, (*path, key), out, file)
    elif isinstance(node, yaml.SequenceNode):
        for index, child in enumerate(node.value):
            _positions(child, (*path, index), out, file)


def parse_text(text: str, file: str) -> SourceDoc:
    """Parse YAML or JSON text (by the file's suffix) keeping lines."""
    if file.endswith(".json"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise CatalogError(
                f"not valid JSON: {exc.msg}", location=f"{file}:{exc.lineno}:{exc.colno}"
            ) from None
        doc = SourceDoc(file, data)
        try:  # JSON is YAML: borrow the YAML composer for line numbers
            node = yaml.compose(text, Loader=_LineLoader)
            if node is not None:
                _positions(node, (), doc.lines, file)
        except yaml.YAMLError:
            pass
        return doc
    try:
        node = yaml.compose(text, Loader=_LineLoader)
        data = yaml.load(text, Loader=_LineLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else file
        raise CatalogError(f"not valid YAML: {exc.problem or exc}", location=where) from None
    except yaml.YAMLError as exc:
        raise CatalogError(f"not valid YAML: {exc}", location=file) from None
    doc = SourceDoc(file, data)
    if node is not None:
        _positions(node, (), doc.lines, file)
    return doc


def read_file(path: Path) -> SourceDoc:
    """Read and parse one file."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise CatalogError("not UTF-8 text", location=str(path)) from None
    except OSError as exc:
        raise CatalogError(f"cannot read: {exc.strerror}", location=str(path)) from None
    return parse_text(text, str(path))


def catalog_files(path: Path) -> list[Path]:
    """The file itself, or the YAML/JSON files of a folder (sorted, not recursive)."""
    if not path.exists():
        raise CatalogError("no such file or folder", location=str(path))
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix in SUFFIXES and p.is_file())
        if not files:
            raise CatalogError("folder has no .yaml, .yml or .json files", location=str(path))
        return files
    return [path]


@dataclass
class Merged:
    """The merged document and, for each merged value, the file it came from."""

    data: dict[str, Any]
    docs: list[SourceDoc]
    origin: dict[Path_, tuple[SourceDoc, Path_]]

    def where(self, path: Path_) -> str:
        """Locate a path of the merged document in its file."""
        for length in range(min(len(path), 2), -1, -1):
            head = path[:length]
            if head in self.origin:
                doc, local = self.origin[head]
                return doc.where(local + path[length:])
        return self.docs[0].where(path) if self.docs else "/".join(map(str, path))


LIST_KEYS = ("skills", "credentials", "transfer_values")


def merge(docs: list[SourceDoc]) -> Merged:
    """Merge catalog files: one ``catalog`` header, lists concatenated in file order."""
    data: dict[str, Any] = {}
    origin: dict[Path_, tuple[SourceDoc, Path_]] = {}
    for doc in docs:
        if doc.data is None:
            continue
        if not isinstance(doc.data, dict):
            raise CatalogError(
                "a catalog file must be a mapping of catalog, skills, credentials, transfer_values",
                location=doc.where(()),
            )
        for key, value in doc.data.items():
            if key in LIST_KEYS:
                if not isinstance(value, list):
                    raise CatalogError(f"{key} must be a list", location=doc.where((key,)))
                bucket = data.setdefault(key, [])
                for index, element in enumerate(value):
                    origin[(key, len(bucket))] = (doc, (key, index))
                    bucket.append(element)
                origin.setdefault((key,), (doc, (key,)))
            elif key in data:
                first = origin[(key,)][0]
                raise CatalogError(
                    f"{key!r} is given again (first in {first.file})", location=doc.where((key,))
                )
            else:
                data[key] = value
                origin[(key,)] = (doc, (key,))
    return Merged(data, docs, origin)
