"""GraphQL for charges (calls and transactions): types, inputs, queries and mutations."""
