"""Field-level differences between two versions of a record.

Both versions are compared as the model dumps them, so key order, quoting and formatting are
never changes. List items are matched by identity, not position: a grant by programme and start,
a rating by reviewer, a group or criterion by id (if the first identity field is all that still
agrees, e.g. a grant whose start was filled in, the items are paired by it). Lists of plain values
(operators, payers) are compared as collections, so reordering them is no change.
"""

from __future__ import annotations

import re
import types
import typing
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel

_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
ChangeKind = Literal["geändert", "hinzugefügt", "entfernt"]

IDENTITY: dict[str, tuple[str, ...]] = {
    "foerderungen": ("programm", "beginn"),
    "bewertungen": ("gutachter",),
    "quelle": ("dokument", "fundstelle"),
    "gruppen": ("id",),
    "kriterien": ("id",),
    "stufen": ("wert",),
    "ausschluss": ("regel",),
}


@dataclass(frozen=True, slots=True)
class FieldChange:
    path: tuple[str, ...]  # raw segments; list items appear as their identity
    labels: tuple[str, ...]  # the same segments in German
    old: Any
    new: Any
    kind: ChangeKind

    @property
    def dotted(self) -> str:
        return ".".join(self.path)

    @property
    def label(self) -> str:
        return " › ".join(self.labels)


def _unwrap(annotation: Any) -> Any:
    """Strip ``Annotated`` and ``X | None``."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in (typing.Union, types.UnionType):
            options = [a for a in typing.get_args(annotation) if a is not type(None)]
            if len(options) != 1:
                return annotation
            annotation = options[0]
        else:
            return annotation


def _child(annotation: Any, key: str | None) -> tuple[Any, str]:
    """The annotation of a child (field ``key`` of a model, or an item of a list/dict) and its
    German label."""
    annotation = _unwrap(annotation)
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and key is not None:
        info = annotation.model_fields.get(key)
        if info is not None:
            return info.annotation, info.title or key
        return Any, key
    args = typing.get_args(annotation)
    if typing.get_origin(annotation) in (list, dict) and args:
        return args[-1], key or ""
    return Any, key or ""


def diff_values(annotation: Any, old: Any, new: Any) -> list[FieldChange]:
    """Every difference between ``old`` and ``new`` (dumps of the model ``annotation``)."""
    return list(_walk(annotation, old, new, (), (), None))


def _walk(
    annotation: Any,
    old: Any,
    new: Any,
    path: tuple[str, ...],
    labels: tuple[str, ...],
    field: str | None,
) -> Iterator[FieldChange]:
    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            child, label = _child(annotation, key)
            sub_path, sub_labels = (*path, key), (*labels, label)
            if key not in new:
                yield FieldChange(sub_path, sub_labels, old[key], None, "entfernt")
            elif key not in old:
                yield FieldChange(sub_path, sub_labels, None, new[key], "hinzugefügt")
            else:
                yield from _walk(child, old[key], new[key], sub_path, sub_labels, key)
    elif isinstance(old, list) and isinstance(new, list):
        item, _ = _child(annotation, None)
        if all(isinstance(x, dict) for x in [*old, *new]) and (old or new):
            yield from _walk_items(item, old, new, path, labels, IDENTITY.get(field or "", ()))
        elif Counter(map(repr, old)) != Counter(map(repr, new)):
            yield FieldChange(path, labels, old, new, "geändert")
    elif old != new:
        yield FieldChange(path, labels, old, new, "geändert")


def _identity(item: dict[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...]:
    return tuple(item.get(key) for key in keys)


def _item_label(item: dict[str, Any], keys: tuple[str, ...], position: int) -> tuple[str, str]:
    values = [str(v) for v in _identity(item, keys) if v is not None]
    if not values:
        return f"#{position + 1}", f"Eintrag {position + 1}"
    shown = [_MONTH.sub(r"ab \2/\1", v) for v in values]
    return "|".join(values), "„" + ", ".join(shown) + "“"


def _pair(
    old: list[dict[str, Any]], new: list[dict[str, Any]], keys: tuple[str, ...]
) -> tuple[list[tuple[int, int]], list[int], list[int]]:
    """Pairs of matching indexes, then the unmatched old and new indexes."""
    if not keys:
        common = min(len(old), len(new))
        return (
            [(i, i) for i in range(common)],
            list(range(common, len(old))),
            list(range(common, len(new))),
        )
    pairs: list[tuple[int, int]] = []
    left, right = list(range(len(old))), list(range(len(new)))
    for width in (len(keys), 1):
        for i in list(left):
            match = next(
                (
                    j
                    for j in right
                    if _identity(old[i], keys)[:width] == _identity(new[j], keys)[:width]
                ),
                None,
            )
            if match is not None:
                pairs.append((i, match))
                left.remove(i)
                right.remove(match)
    return sorted(pairs), left, right


def _walk_items(
    annotation: Any,
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    path: tuple[str, ...],
    labels: tuple[str, ...],
    keys: tuple[str, ...],
) -> Iterator[FieldChange]:
    pairs, removed, added = _pair(old, new, keys)
    for i, j in pairs:
        raw, label = _item_label(new[j], keys, j)
        yield from _walk(annotation, old[i], new[j], (*path, raw), (*labels, label), None)
    for i in removed:
        raw, label = _item_label(old[i], keys, i)
        yield FieldChange((*path, raw), (*labels, label), old[i], None, "entfernt")
    for j in added:
        raw, label = _item_label(new[j], keys, j)
        yield FieldChange((*path, raw), (*labels, label), None, new[j], "hinzugefügt")
