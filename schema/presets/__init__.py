"""GraphQL for presets: the type, its inputs, query and mutations."""
