"""Query limits: too many aliases or too high a cost refuses a document before it runs.

QueryLimits is a schema extension listed after ValidationCache: its validation step runs
once the cached validation has answered, so it only costs valid documents (graphql-core
has already refused fragment cycles and the depth limit has held), and nothing has
executed yet. (Without a validation cache before it, it would cost the document before
validation: schema/core/cost.py is safe on any document, cycles included.) The cost depends on
the request's variables, so it cannot be a cached validation rule; instead each
document's plan (its alias count and the variables its cost reads) is kept, and its cost
per set of those variables' values, so a repeated query costs a dictionary lookup.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    ArgumentNode,
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    VariableNode,
    visit,
)
from graphql.language import Visitor
from strawberry.extensions import SchemaExtension

from billing.settings import Settings
from schema.core.context import Context
from schema.core.cost import UnboundedCost, count_aliases, query_cost

TOO_MANY_ALIASES = "TOO_MANY_ALIASES"
QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
#: Documents whose plans are kept (as many as the parser and validation caches hold).
PLANS = 512
#: Costs kept per document, one per set of values of the variables the cost reads.
COSTS_PER_PLAN = 32
_DEFAULTS = Settings()


@dataclass
class _Plan:
    document: DocumentNode  # held, so no other document can take its id while it is kept
    aliases: int
    #: The variables the cost reads: those given to `first` or to `@skip`/`@include`.
    variables: tuple[str, ...]
    costs: dict[tuple[Any, ...], int | UnboundedCost] = field(default_factory=dict)


class _CostVariables(Visitor):
    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        if node.name.value in ("first", "if") and isinstance(node.value, VariableNode):
            self.names.add(node.value.name.value)


_plans: OrderedDict[tuple[int, str | None], _Plan] = OrderedDict()


def _plan(document: DocumentNode, operation_name: str | None) -> _Plan:
    key = (id(document), operation_name)
    plan = _plans.get(key)
    if plan is not None and plan.document is document:
        _plans.move_to_end(key)
        return plan
    finder = _CostVariables()
    visit(document, finder)
    plan = _Plan(document, count_aliases(document), tuple(sorted(finder.names)))
    _plans[key] = plan
    if len(_plans) > PLANS:
        _plans.popitem(last=False)
    return plan


def _tagged(value: Any) -> tuple[Any, ...]:
    """A hashable stand-in that tells apart values the cost reads differently (1, True)."""
    if value is None or isinstance(value, bool | int | float):
        return (type(value).__name__, value)
    return ("other",)  # neither a whole number nor a boolean: costed as if absent


def cost_of(
    schema: GraphQLSchema,
    document: DocumentNode,
    operation_name: str | None,
    variables: Mapping[str, Any],
) -> tuple[int, int | UnboundedCost]:
    """The document's alias count and the operation's cost (or why it has none)."""
    plan = _plan(document, operation_name)
    values = tuple(
        _tagged(variables[name]) if name in variables else ("absent",) for name in plan.variables
    )
    cost = plan.costs.get(values)
    if cost is None:
        try:
            cost = query_cost(schema, document, operation_name, variables)
        except UnboundedCost as exc:
            cost = exc
        if len(plan.costs) >= COSTS_PER_PLAN:
            plan.costs.clear()
        plan.costs[values] = cost
    return plan.aliases, cost


def _refusal(code: str, message: str, **details: Any) -> GraphQLError:
    return GraphQLError(message, extensions={"code": code, **details})


class QueryLimits(SchemaExtension):
    """MAX_ALIASES and MAX_QUERY_COST, checked after validation; `extensions.cost` on results."""

    def __init__(self) -> None:
        self.cost: int | None = None

    def on_validate(self) -> Iterator[None]:
        # Before the yield: strawberry reads the errors before any hook's code after it.
        self.check()
        yield

    def check(self) -> None:
        ctx = self.execution_context
        if ctx.pre_execution_errors or ctx.graphql_document is None:
            return  # invalid documents are refused by validation
        settings = ctx.context.settings if isinstance(ctx.context, Context) else _DEFAULTS
        aliases, cost = cost_of(
            ctx.schema._schema, ctx.graphql_document, ctx.operation_name, ctx.variables or {}
        )
        # A new list: the validation cache keeps the one validation returned.
        if aliases > settings.max_aliases:
            ctx.pre_execution_errors = [
                _refusal(
                    TOO_MANY_ALIASES,
                    f"the document has {aliases} aliases; at most {settings.max_aliases} "
                    "are allowed",
                    aliases=aliases,
                    maxAliases=settings.max_aliases,
                )
            ]
        elif isinstance(cost, UnboundedCost):
            ctx.pre_execution_errors = [_refusal(QUERY_TOO_COMPLEX, str(cost))]
        else:
            self.cost = cost
            if cost > settings.max_query_cost:
                ctx.pre_execution_errors = [
                    _refusal(
                        QUERY_TOO_COMPLEX,
                        f"the query's cost is {cost:,}, over the limit of "
                        f"{settings.max_query_cost:,}: ask for smaller pages (first) "
                        "or fewer nested lists",
                        cost=cost,
                        maxCost=settings.max_query_cost,
                    )
                ]

    def get_results(self) -> dict[str, Any]:
        return {} if self.cost is None else {"cost": self.cost}
