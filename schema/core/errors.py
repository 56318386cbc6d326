"""Errors that GraphQL reports at the top level (not as userErrors)."""

from graphql import GraphQLError


class BadUserInput(GraphQLError):
    """An argument the schema accepts by type but not by value (e.g. `first` over 1000)."""

    def __init__(self, message: str, argument: str | None = None) -> None:
        extensions = {"code": "BAD_USER_INPUT"}
        if argument:
            extensions["argument"] = argument
        super().__init__(message, extensions=extensions)


def is_unexpected(error: GraphQLError) -> bool:
    """A failure inside a resolver that is not one we raise on purpose."""
    original = error.original_error
    return (
        error.path is not None and original is not None and not isinstance(original, GraphQLError)
    )
