"""GraphQL for billing runs: the type, its inputs, queries, mutations and the progress
subscription."""
