"""Count each GraphQL operation by type, name and outcome (graphql_operations_total)."""

from __future__ import annotations

from collections.abc import Iterator

from graphql import OperationDefinitionNode
from strawberry.extensions import SchemaExtension

from api import metrics

#: The `type` and `name` of an operation whose document did not parse or validate.
UNKNOWN = "unknown"


class OperationMetrics(SchemaExtension):
    """Outcomes: `success` (no errors), `error` (it ran, with errors), `invalid` (it did
    not run: parse, validation or variable errors).

    The name is taken only from a document that parsed and validated and that defines
    it, so a client cannot mint label values by sending garbage.
    """

    def on_operation(self) -> Iterator[None]:
        try:
            yield
        except BaseException:  # strawberry raises parse errors through this hook
            self._count(raised=True)
            raise
        self._count(raised=False)

    def _count(self, *, raised: bool) -> None:
        ctx = self.execution_context
        document = ctx.graphql_document
        if document is None or ctx.pre_execution_errors:
            metrics.observe_operation(UNKNOWN, UNKNOWN, "invalid")
            return
        defined = {
            node.name.value
            for node in document.definitions
            if isinstance(node, OperationDefinitionNode) and node.name
        }
        name = ctx.operation_name
        try:
            kind = ctx.operation_type.value
        except Exception:  # the request named an operation the document lacks
            kind = UNKNOWN
        if name is not None and name not in defined:
            name, kind = UNKNOWN, UNKNOWN
        result = ctx.result
        failed = raised or result is None or bool(result.errors) or kind == UNKNOWN
        metrics.observe_operation(kind, name, "error" if failed else "success")
