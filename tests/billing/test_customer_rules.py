"""The rules of a customer, as the actions enforce them: the account number (and its
lock once invoiced), the low-value policy and its amounts, and preset fields."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from billing import customers, presets
from billing.errors import BillingError, ErrorCode
from models import LowValuePolicy
from tests.billing import builders


async def _refused(action, code: ErrorCode = ErrorCode.VALIDATION_FAILED) -> BillingError:
    with pytest.raises(BillingError) as refusal:
        await action
    assert refusal.value.code == code, refusal.value
    return refusal.value


async def _customer(**fields) -> customers.CustomerRecord:
    return await customers.create_customer({"accountNumber": "ACC-1", "name": "C", **fields})


@pytest.mark.parametrize("policy", list(LowValuePolicy))
async def test_every_low_value_policy_is_a_choice(database, policy):
    with database:
        customer = await _customer(lowValuePolicy=policy.value)
    assert customer.low_value_policy == policy


@pytest.mark.parametrize("policy", ["none", "MINIMUM", "", 1, None])
async def test_a_policy_is_one_of_the_four(database, policy):
    with database:
        error = await _refused(_customer(lowValuePolicy=policy))
    assert error.field == "lowValuePolicy"
    if policy is None:
        assert error.message == "lowValuePolicy may not be null"
    else:
        assert error.message == "lowValuePolicy must be one of NONE, SKIP, PAD, FEE"


async def test_the_minimum_and_the_fee_are_whole_cents_kept_with_two_places(database):
    with database:
        customer = await _customer(lowValuePolicy="PAD", minimumAmount="2.5", lowUsageFee=3)
    assert (customer.minimum_amount, customer.low_usage_fee) == (Decimal("2.50"), Decimal("3.00"))
    assert str(customer.minimum_amount) == "2.50"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("2.505", "minimumAmount may have at most 2 decimal places"),
        ("-1", "minimumAmount may not be negative"),
        (
            "1e3",
            "minimumAmount must be an exact number such as 12.50 (a JSON number or numeric text)",
        ),
        (
            0.5,
            "minimumAmount must be an exact number such as 12.50 (a JSON number or numeric text)",
        ),
        ("100000000000000", "minimumAmount must be less than 100,000,000,000,000 in size"),
    ],
)
async def test_a_policy_amount_is_money_of_at_most_two_places_not_negative(
    database, value, message
):
    with database:
        error = await _refused(_customer(minimumAmount=value))
    assert (error.field, error.message) == ("minimumAmount", message)


@pytest.mark.parametrize("number", ["", "A B", "x" * 33, "Ünï", 7])
async def test_an_account_number_is_1_to_32_of_letters_digits_and_dashes(database, number):
    with database:
        error = await _refused(_customer(accountNumber=number))
    assert error.message == "accountNumber must be 1 to 32 of A-Z, a-z, 0-9 and -"


async def test_an_account_number_is_unique(database):
    with database:
        await _customer()
        error = await _refused(_customer())
    assert (error.field, error.message) == (
        "accountNumber",
        "accountNumber ACC-1 is already in use",
    )


async def test_an_account_number_locks_once_the_customer_has_an_invoice(database):
    with database:
        invoiced = await builders.customer()
        await builders.call(invoiced, datetime(2026, 11, 20, tzinfo=UTC), "1.00")
        await builders.billed_run()
        renamed = await customers.update_customer(invoiced.id, {"name": "Still fine"})
        error = await _refused(
            customers.update_customer(invoiced.id, {"accountNumber": "NEW-1"}),
            ErrorCode.FIELD_LOCKED,
        )
        same = await customers.update_customer(
            invoiced.id, {"accountNumber": invoiced.account_number}
        )
    assert renamed.name == "Still fine" and renamed.invoice_count == 1
    assert error.message == "accountNumber cannot change once the customer has an invoice"
    assert same == renamed


async def test_repeating_the_current_values_changes_nothing(database):
    with database:
        await presets.create_preset("billingSubrun", "East")
        customer = await _customer(subrun="East", minimumAmount="2.50", lowValuePolicy="PAD")
        again = await customers.update_customer(
            customer.id,
            {"subrun": "East", "minimumAmount": "2.5", "lowValuePolicy": "PAD", "name": "C"},
        )
    assert again == customer


async def test_a_customers_presets_clear_with_null_but_its_name_cannot(database):
    with database:
        await presets.create_preset("invoiceMessage", "Seasonal")
        customer = await _customer(invoiceMessage="Seasonal")
        cleared = await customers.update_customer(customer.id, {"invoiceMessage": None})
        error = await _refused(customers.update_customer(customer.id, {"name": None}))
    assert cleared.invoice_message is None
    assert (error.field, error.message) == ("name", "name may not be null")
