"""GraphQL for invoices (read-only): types, queries and the not-produced lines loader."""
