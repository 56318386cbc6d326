"""GraphQL for customers: the type, its inputs, queries and mutations."""
