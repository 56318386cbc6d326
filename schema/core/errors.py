"""Errors that GraphQL reports at the top level (not as userErrors), and their codes."""

from enum import StrEnum

from graphql import GraphQLError


class GraphQLCode(StrEnum):
    """The `extensions.code` of GraphQL's own errors (the names Apollo gives them); the
    errors the domain raises keep its codes (`billing.errors.ErrorCode`)."""

    BAD_USER_INPUT = "BAD_USER_INPUT"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class BadUserInput(GraphQLError):
    """An argument the schema accepts by type but not by value (e.g. `first` over 1000)."""

    def __init__(self, message: str, argument: str | None = None) -> None:
        extensions = {"code": GraphQLCode.BAD_USER_INPUT.value}
        if argument:
            extensions["argument"] = argument
        super().__init__(message, extensions=extensions)


def is_unexpected(error: GraphQLError) -> bool:
    """A failure inside a resolver that is not one we raise on purpose."""
    original = error.original_error
    return (
        error.path is not None and original is not None and not isinstance(original, GraphQLError)
    )
