"""What every domain's GraphQL shares: the context, scalars, errors, pagination,
payloads, DataLoader kinds, the HTTP view and GraphiQL."""
