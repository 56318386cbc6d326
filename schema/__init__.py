"""The GraphQL API: types, inputs, queries, mutations and the HTTP view."""
