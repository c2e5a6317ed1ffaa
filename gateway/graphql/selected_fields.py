"""Which cart fields an operation selects, for the vendors that read some of them apart."""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

# Cart fields a vendor may have to read with a call of their own (BigCommerce metafields).
SEPARATELY_READ = frozenset({"attributes", "note"})


# Answers by operation: a compiled or cached document brings the same nodes every time.
_MEMO_SIZE = 512
_memo: dict[tuple[int, frozenset[str]], tuple[OperationDefinitionNode, bool]] = {}


def operation_selects_any(operation: OperationDefinitionNode, names: frozenset[str],
                          fragments: Mapping[str, FragmentDefinitionNode]) -> bool:
    """``selects_any`` for a whole operation, worked out once per operation node.

    An operation node belongs to one parsed document, whose fragments never change, so
    its answer never changes; the node is held with the answer, so its id stays its own.
    """
    key = (id(operation), names)
    found = _memo.get(key)
    if found is not None and found[0] is operation:
        return found[1]
    answer = selects_any(operation.selection_set, names, fragments)
    if len(_memo) >= _MEMO_SIZE:
        _memo.clear()
    _memo[key] = (operation, answer)
    return answer


def selects_any(selection_set: SelectionSetNode | None, names: frozenset[str],
                fragments: Mapping[str, FragmentDefinitionNode]) -> bool:
    """Whether a field of one of ``names`` is selected anywhere below ``selection_set``.

    Only output types have these fields (``attributes`` and ``note`` are Cart's alone), so a
    name match anywhere is a match; a fragment is followed once.
    """
    seen: set[str] = set()
    pending = [selection_set] if selection_set is not None else []
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode):
                if selection.name.value in names:
                    return True
                if selection.selection_set is not None:
                    pending.append(selection.selection_set)
            elif isinstance(selection, InlineFragmentNode):
                pending.append(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                name = selection.name.value
                fragment = fragments.get(name)
                if fragment is not None and name not in seen:
                    seen.add(name)
                    pending.append(fragment.selection_set)
    return False
