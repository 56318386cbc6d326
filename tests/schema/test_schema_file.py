"""The committed schema.graphql matches the code, and the schema documents itself."""

from __future__ import annotations

from pathlib import Path

from graphql import (
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    is_specified_scalar_type,
)

from schema.schema import schema

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"

INTROSPECT_DESCRIPTIONS = """
query { __schema { queryType { name description } mutationType { name description } } }
"""


def _own_types() -> list[GraphQLNamedType]:
    return [
        named
        for name, named in schema._schema.type_map.items()
        if not name.startswith("__") and not is_specified_scalar_type(named)
    ]


def test_schema_graphql_matches_the_code():
    assert SCHEMA_FILE.read_text() == schema.as_str() + "\n", (
        "schema.graphql is out of date: run `python server.py export-schema` and commit it"
    )


def test_every_type_has_a_description():
    undocumented = [named.name for named in _own_types() if not (named.description or "").strip()]

    assert undocumented == []


def test_every_field_and_input_field_has_a_description():
    undocumented = [
        f"{named.name}.{field_name}"
        for named in _own_types()
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType)
        for field_name, field in named.fields.items()
        if not (field.description or "").strip()
    ]

    assert undocumented == []


def test_every_argument_has_a_description():
    undocumented = [
        f"{named.name}.{field_name}({argument_name})"
        for named in _own_types()
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType)
        for field_name, field in named.fields.items()
        for argument_name, argument in field.args.items()
        if not (argument.description or "").strip()
    ]

    assert undocumented == []


def test_the_schema_has_the_contract_s_root_types_and_scalars():
    names = {named.name for named in _own_types()}

    assert {
        "Query",
        "Mutation",
        "BillingRun",
        "BillingRunConnection",
        "BillingRunEdge",
        "PageInfo",
        "UserError",
        "BillingRunPayload",
        "Preset",
        "PresetPayload",
        "Date",
        "DateTime",
        "Decimal",
    } <= names


def test_the_schema_has_the_part_2_queries_mutations_and_types():
    root = schema._schema
    names = {named.name for named in _own_types()}

    assert {
        "customer",
        "customers",
        "calls",
        "transactions",
        "invoice",
        "invoices",
        "preBillingReport",
    } <= set(root.query_type.fields)
    assert {
        "createCustomer",
        "updateCustomer",
        "addCalls",
        "addTransactions",
        "updateTransaction",
        "deleteTransaction",
    } <= set(root.mutation_type.fields)
    assert {
        "Customer",
        "CustomerConnection",
        "CustomerPayload",
        "Call",
        "CallConnection",
        "AddCallsPayload",
        "Transaction",
        "TransactionConnection",
        "AddTransactionsPayload",
        "TransactionPayload",
        "Invoice",
        "InvoiceConnection",
        "NotProducedInvoice",
        "PreBillingLine",
    } <= names
    assert {"invoices", "notProduced"} <= set(root.type_map["BillingRun"].fields)
    assert {"customer", "calls", "transactions", "billingRun"} <= set(
        root.type_map["Invoice"].fields
    )


async def test_graphiql_sees_the_descriptions_through_introspection(api):
    data = await api.gql(INTROSPECT_DESCRIPTIONS)

    assert data["__schema"]["queryType"]["description"]
    assert data["__schema"]["mutationType"]["description"]
