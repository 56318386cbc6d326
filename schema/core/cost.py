"""What a GraphQL operation can cost, computed from its document before anything runs.

The cost is the number of objects the operation can return. Every object counts 1; a list
counts its length times (1 + what each item selects); leaves (scalars, enums) count 0.

- A connection (a field with a `first` argument) counts 1 for itself, and its page size
  (`first` as sent, from a literal or a variable, else the argument's default in the
  schema) is the length of the lists it holds (`nodes`, `edges`). A `first` over
  PAGE_MAX counts as PAGE_MAX: the pagination code refuses it (BAD_USER_INPUT, naming
  `first`), and that is the answer the client should get.
- A list without `first` (`notProduced`, `presets`, `preBillingReport`, `userErrors`, a
  mutation's returned list) counts LIST_ESTIMATE items.
- Fields are merged by response key as execution merges them, so a field reached twice
  (directly and through a fragment) counts once; aliases count separately; named and
  inline fragments are expanded; `@skip`/`@include` are honoured.
- Introspection (`__schema`, `__type`) counts 1: its answer is bounded by the schema, not
  by the data. `__typename` counts 0.

Nothing here relies on the document having been validated: a fragment cycle, a document
nested past MAX_NESTING or needing more than MAX_WORK steps raises UnboundedCost quickly.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from graphql import (
    BooleanValueNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLArgument,
    GraphQLField,
    GraphQLList,
    GraphQLNamedType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    get_nullable_type,
    get_operation_ast,
    is_abstract_type,
    is_leaf_type,
)
from graphql.pyutils import Undefined

from billing.listing import PAGE_MAX

#: How many items a list without `first` is taken to hold: the default page size.
LIST_ESTIMATE = 100
#: Deeper than any document the depth limit lets through; past it, the cost is unbounded.
MAX_NESTING = 100
#: Selections examined, far above what a document within the token limit needs.
MAX_WORK = 100_000

_Key = tuple[str, int | None, tuple[int, ...]]


class UnboundedCost(Exception):
    """The document expands without end (a fragment cycle) or too far to cost."""


def count_aliases(document: DocumentNode) -> int:
    """Aliases written in the document (operations and fragments), each counted once."""
    count = 0
    pending = [
        definition.selection_set
        for definition in document.definitions
        if isinstance(definition, OperationDefinitionNode | FragmentDefinitionNode)
    ]
    while pending:
        for selection in pending.pop().selections:
            if isinstance(selection, FieldNode) and selection.alias is not None:
                count += 1
            if getattr(selection, "selection_set", None) is not None:
                pending.append(selection.selection_set)  # type: ignore[attr-defined]
    return count


def query_cost(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None = None,
    variables: Mapping[str, Any] | None = None,
) -> int:
    """The cost of the operation the request runs (0 if there is no such operation)."""
    operation = get_operation_ast(document, operation_name)
    root = schema.get_root_type(operation.operation) if operation else None
    if operation is None or root is None:
        return 0
    coster = _Coster(schema, document, operation, variables or {})
    return coster.selection_cost(root, (operation.selection_set,), None, 0)


class _Coster:
    def __init__(
        self,
        schema: GraphQLSchema,
        document: DocumentNode,
        operation: OperationDefinitionNode,
        variables: Mapping[str, Any],
    ) -> None:
        self.schema = schema
        self.fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self.defaults = {
            d.variable.name.value: d.default_value for d in operation.variable_definitions or ()
        }
        self.variables = variables
        #: Costs already known, by (type, page size, the selection sets merged there).
        self.known: dict[_Key, int] = {}
        #: Keys being costed on the current path: meeting one again means a cycle.
        self.open: set[_Key] = set()
        self.work = 0

    def selection_cost(
        self,
        parent: GraphQLNamedType,
        selection_sets: tuple[SelectionSetNode, ...],
        page: int | None,
        depth: int,
    ) -> int:
        """What the merged selection sets cost on `parent`; `page` sizes its lists."""
        key = (parent.name, page, tuple(map(id, selection_sets)))
        if key in self.known:
            return self.known[key]
        if key in self.open:
            raise UnboundedCost("the document repeats itself without end (a fragment cycle)")
        if depth > MAX_NESTING:
            raise UnboundedCost(f"the document nests more than {MAX_NESTING} levels deep")
        self.open.add(key)
        total = sum(
            self.field_cost(parent, nodes, page, depth)
            for nodes in self.collect(selection_sets).values()
        )
        self.open.discard(key)
        self.known[key] = total
        return total

    def collect(self, selection_sets: Iterable[SelectionSetNode]) -> dict[str, list[FieldNode]]:
        """The fields selected, by response key, with fragments expanded once each."""
        fields: dict[str, list[FieldNode]] = {}
        spread: set[str] = set()
        pending = list(selection_sets)
        while pending:
            for selection in pending.pop().selections:
                self.work += 1
                if self.work > MAX_WORK:
                    raise UnboundedCost("the document is too large to cost")
                if not self.included(selection):  # type: ignore[arg-type]
                    continue
                if isinstance(selection, FieldNode):
                    key = (selection.alias or selection.name).value
                    fields.setdefault(key, []).append(selection)
                elif isinstance(selection, InlineFragmentNode):
                    pending.append(selection.selection_set)
                elif isinstance(selection, FragmentSpreadNode):
                    name = selection.name.value
                    if name not in spread and name in self.fragments:
                        spread.add(name)
                        pending.append(self.fragments[name].selection_set)
        return fields

    def field_cost(
        self, parent: GraphQLNamedType, nodes: list[FieldNode], page: int | None, depth: int
    ) -> int:
        name = nodes[0].name.value
        if name.startswith("__"):
            return 1 if name in ("__schema", "__type") else 0
        field = self.field_definition(parent, name)
        if field is None:
            return 0  # not in the schema: validation refuses it
        item = get_named_type(field.type)
        if is_leaf_type(item):
            return 0
        selection_sets = tuple(n.selection_set for n in nodes if n.selection_set is not None)
        is_list = isinstance(get_nullable_type(field.type), GraphQLList)  # type: ignore[arg-type]
        first = field.args.get("first")
        if first is not None:
            size = max(self.page_size(first, node) for node in nodes)
            if not is_list:  # a connection: its lists hold `size` items
                return 1 + self.selection_cost(item, selection_sets, size, depth + 1)
        else:
            size = LIST_ESTIMATE if page is None else page
        each = 1 + self.selection_cost(item, selection_sets, None, depth + 1)
        return size * each if is_list else each

    def field_definition(self, parent: GraphQLNamedType, name: str) -> GraphQLField | None:
        fields = getattr(parent, "fields", None) or {}
        if name in fields:
            return fields[name]
        if is_abstract_type(parent):  # a union's members: the first that has the field
            for member in self.schema.get_possible_types(parent):  # type: ignore[arg-type]
                if name in member.fields:
                    return member.fields[name]
        return None

    def page_size(self, argument: GraphQLArgument, node: FieldNode) -> int:
        """`first` as this request sends it, else its default; within 0 to PAGE_MAX."""
        value = next((a.value for a in node.arguments or () if a.name.value == "first"), None)
        size = _whole(self.value(value)) if value is not None else None
        if size is None:
            size = _whole(argument.default_value)
        return LIST_ESTIMATE if size is None else min(max(size, 0), PAGE_MAX)

    def value(self, node: ValueNode) -> Any:
        """A literal or a variable's value (as sent, else its default); None if neither."""
        if isinstance(node, VariableNode):
            name = node.name.value
            if name in self.variables:
                return self.variables[name]
            default = self.defaults.get(name)
            return self.value(default) if default is not None else None
        if isinstance(node, IntValueNode):
            return int(node.value)
        if isinstance(node, BooleanValueNode):
            return node.value
        return None

    def included(self, selection: FieldNode | InlineFragmentNode | FragmentSpreadNode) -> bool:
        """False only when `@skip(if: true)` or `@include(if: false)` says so for sure."""
        for directive in selection.directives or ():
            condition = next(
                (self.value(a.value) for a in directive.arguments or () if a.name.value == "if"),
                None,
            )
            if directive.name.value == "skip" and condition is True:
                return False
            if directive.name.value == "include" and condition is False:
                return False
        return True


def _whole(value: Any) -> int | None:
    """An Int argument's value as GraphQL would coerce it, or None if it is not one."""
    if isinstance(value, bool) or value is Undefined:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    return None
