"""Queries: one run, the filtered and paged list of runs, and presets."""

from __future__ import annotations

import base64
from datetime import UTC, datetime

import pytest

from tests.schema.helpers import (
    GET_RUN,
    create_run,
    errors_of,
    list_presets,
    list_runs,
    read_run,
    set_run_columns,
    update_run,
)

RUN_IDS_AFTER = """
query RunIdsAfter($idAfter: ID) {
  billingRuns(idAfter: $idAfter) { totalCount nodes { id } }
}
"""

RUN_IDS_AFTER_LITERAL = """
query { billingRuns(idAfter: %s) { nodes { id } } }
"""

RUN_IDS_CREATED_SINCE = """
query RunIdsCreatedSince($since: DateTime) {
  billingRuns(createdSince: $since) { totalCount nodes { id } }
}
"""

RUN_IDS_UPDATED_SINCE = """
query RunIdsUpdatedSince($since: DateTime) {
  billingRuns(updatedSince: $since) { totalCount nodes { id } }
}
"""

PAGE = """
query Page($first: Int, $after: String, $idAfter: ID) {
  billingRuns(first: $first, after: $after, idAfter: $idAfter) {
    totalCount
    edges { cursor node { id } }
    nodes { id }
    pageInfo { hasNextPage endCursor }
  }
}
"""

PRESETS_OF_KIND = """
query PresetsOfKind($kind: String) {
  presets(kind: $kind) { kind name text retired }
}
"""

STATUSES = ["Pending", "Requested", "Running", "Complete"]


def _at(hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 1, 1, hour, minute, tzinfo=UTC)


async def _runs(api, count: int) -> list[str]:
    return [(await create_run(api, name=f"Run {n}"))["id"] for n in range(count)]


async def _ids(api, query: str, variables: dict) -> list[str]:
    return [node["id"] for node in (await api.gql(query, variables))["billingRuns"]["nodes"]]


async def test_a_run_is_found_by_its_id_with_every_field(api):
    created = await create_run(
        api, name="November 2026", invoiceDate="2026-12-01", dueDate="2026-12-15"
    )

    found = await read_run(api, created["id"])

    assert found == created
    assert found["name"] == "November 2026"
    assert found["invoiceDate"] == "2026-12-01"
    assert found["dueDate"] == "2026-12-15"


@pytest.mark.parametrize("run_id", ["999999", "99999999999", "abc", "-1", "1.5", "", "1e3"])
async def test_an_unknown_or_malformed_id_finds_no_run_and_no_error(api, run_id):
    await create_run(api)

    response = await api.graphql(GET_RUN, {"id": run_id})
    body = await response.json()

    assert response.status == 200
    assert body == {"data": {"billingRun": None}, "extensions": {"cost": 1}}


async def test_an_id_given_as_a_number_finds_the_run(api):
    created = await create_run(api)

    assert (await read_run(api, int(created["id"])))["id"] == created["id"]


async def test_runs_are_listed_in_id_order(api):
    ids = await _runs(api, 4)

    page = await list_runs(api)

    assert [node["id"] for node in page["nodes"]] == ids
    assert page["totalCount"] == 4


async def test_an_empty_database_lists_no_runs(api):
    page = await list_runs(api)

    assert page == {
        "totalCount": 0,
        "nodes": [],
        "edges": [],
        "pageInfo": {"hasNextPage": False, "endCursor": None},
    }


async def test_id_after_accepts_a_number_or_a_numeric_string(api):
    ids = await _runs(api, 4)

    as_string = await _ids(api, RUN_IDS_AFTER, {"idAfter": ids[1]})
    as_number = await _ids(api, RUN_IDS_AFTER, {"idAfter": int(ids[1])})
    as_literal = await _ids(api, RUN_IDS_AFTER_LITERAL % ids[1], {})
    as_string_literal = await _ids(api, RUN_IDS_AFTER_LITERAL % f'"{ids[1]}"', {})

    assert as_string == as_number == as_literal == as_string_literal == ids[2:]


@pytest.mark.parametrize("id_after", ["99999999999", 99999999999, "9223372036854775807", "0"])
async def test_id_after_takes_64_bit_ids(api, id_after):
    ids = await _runs(api, 2)

    found = await _ids(api, RUN_IDS_AFTER, {"idAfter": id_after})

    assert found == ([] if id_after != "0" else ids)


@pytest.mark.parametrize(
    "id_after", ["abc", "-1", "1.5", "", "9223372036854775808", "99999999999999999999"]
)
async def test_an_id_after_that_is_not_an_id_is_bad_user_input(api, id_after):
    await _runs(api, 1)

    errors = await errors_of(api, RUN_IDS_AFTER, {"idAfter": id_after})

    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert "idAfter" in errors[0]["message"]


async def _three_runs_at_ten_eleven_and_noon(api) -> list[str]:
    ids = await _runs(api, 3)
    for run_id, hour in zip(ids, (10, 11, 12), strict=True):
        await set_run_columns(api, run_id, created=_at(hour), updated=_at(hour))
    return ids


@pytest.mark.parametrize(
    "since",
    [
        "2026-01-01T11:00:00Z",
        "2026-01-01T11:00:00z",
        "2026-01-01T11:00:00+00:00",
        "2026-01-01T11:00:00.000000+00:00",
        "2026-01-01T13:00:00+02:00",
        "2026-01-01T06:30:00-04:30",
        "2026-01-01T11:00:00",
        "2026-01-01 11:00:00Z",
        "2026-01-01T10:59:59.999999Z",
    ],
)
async def test_created_since_compares_the_instant_whatever_the_offset(api, since):
    ids = await _three_runs_at_ten_eleven_and_noon(api)

    found = (await api.gql(RUN_IDS_CREATED_SINCE, {"since": since}))["billingRuns"]

    assert [node["id"] for node in found["nodes"]] == ids[1:]
    assert found["totalCount"] == 2


async def test_created_since_a_bare_date_means_its_midnight_in_utc(api):
    ids = await _three_runs_at_ten_eleven_and_noon(api)
    await set_run_columns(api, ids[0], created=datetime(2025, 12, 31, 23, 59, 59, tzinfo=UTC))

    found = await _ids(api, RUN_IDS_CREATED_SINCE, {"since": "2026-01-01"})

    assert found == ids[1:]


async def test_created_since_a_later_instant_finds_nothing(api):
    await _three_runs_at_ten_eleven_and_noon(api)

    found = await _ids(api, RUN_IDS_CREATED_SINCE, {"since": "2026-01-01T12:00:00.000001Z"})

    assert found == []


@pytest.mark.parametrize(
    "since", ["2026-01-01T12:00:00Z", "2026-01-01T07:00:00-05:00", "2026-01-01T21:00:00+09:00"]
)
async def test_updated_since_compares_the_instant_whatever_the_offset(api, since):
    ids = await _three_runs_at_ten_eleven_and_noon(api)

    found = await _ids(api, RUN_IDS_UPDATED_SINCE, {"since": since})

    assert found == ids[2:]


async def test_updated_since_finds_a_run_changed_after_that_instant(api):
    ids = await _three_runs_at_ten_eleven_and_noon(api)
    payload = await update_run(api, ids[0], name="Renamed")
    assert payload["userErrors"] == []

    found = await _ids(api, RUN_IDS_UPDATED_SINCE, {"since": "2026-01-02T00:00:00Z"})

    assert found == [ids[0]]
    changed = datetime.fromisoformat(payload["billingRun"]["updatedDate"])
    assert changed > _at(12)
    assert await _ids(api, RUN_IDS_UPDATED_SINCE, {"since": changed.isoformat()}) == [ids[0]]


async def test_filters_combine_with_and(api):
    ids = await _three_runs_at_ten_eleven_and_noon(api)
    more = await _runs(api, 2)
    await set_run_columns(api, more[0], created=_at(9), updated=_at(13))
    await set_run_columns(api, more[1], created=_at(14), updated=_at(9))

    page = await list_runs(
        api,
        idAfter=ids[0],
        createdSince="2026-01-01T11:00:00+00:00",
        updatedSince="2026-01-01T12:00:00Z",
    )

    assert [node["id"] for node in page["nodes"]] == [ids[2]]
    assert page["totalCount"] == 1


async def test_pages_follow_each_other_through_cursors(api):
    ids = await _runs(api, 7)
    seen: list[str] = []
    after = None
    pages = []
    while True:
        page = (await api.gql(PAGE, {"first": 3, "after": after}))["billingRuns"]
        pages.append(page)
        assert page["totalCount"] == 7
        assert [edge["node"]["id"] for edge in page["edges"]] == [n["id"] for n in page["nodes"]]
        assert page["pageInfo"]["endCursor"] == page["edges"][-1]["cursor"]
        seen += [node["id"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]

    assert seen == ids
    assert [len(page["nodes"]) for page in pages] == [3, 3, 1]
    assert [page["pageInfo"]["hasNextPage"] for page in pages] == [True, True, False]


async def test_a_page_that_ends_exactly_at_the_last_run_has_no_next_page(api):
    ids = await _runs(api, 4)

    first = (await api.gql(PAGE, {"first": 2}))["billingRuns"]
    second = (await api.gql(PAGE, {"first": 2, "after": first["pageInfo"]["endCursor"]}))[
        "billingRuns"
    ]
    after_last = (await api.gql(PAGE, {"first": 2, "after": second["pageInfo"]["endCursor"]}))[
        "billingRuns"
    ]

    assert [n["id"] for n in second["nodes"]] == ids[2:]
    assert second["pageInfo"]["hasNextPage"] is False
    assert after_last["nodes"] == []
    assert after_last["pageInfo"] == {"hasNextPage": False, "endCursor": None}
    assert after_last["totalCount"] == 4


async def test_total_count_counts_every_match_whatever_first_and_after(api):
    ids = await _runs(api, 6)
    first = (await api.gql(PAGE, {"first": 1, "idAfter": ids[0]}))["billingRuns"]

    later = (
        await api.gql(PAGE, {"first": 2, "idAfter": ids[0], "after": first["edges"][0]["cursor"]})
    )["billingRuns"]

    assert first["totalCount"] == later["totalCount"] == 5
    assert [n["id"] for n in first["nodes"]] == [ids[1]]
    assert [n["id"] for n in later["nodes"]] == ids[2:4]


async def test_a_cursor_before_id_after_does_not_widen_the_filter(api):
    ids = await _runs(api, 5)
    first = (await api.gql(PAGE, {"first": 1}))["billingRuns"]

    page = (await api.gql(PAGE, {"idAfter": ids[2], "after": first["pageInfo"]["endCursor"]}))[
        "billingRuns"
    ]

    assert [n["id"] for n in page["nodes"]] == ids[3:]


async def test_first_zero_gives_an_empty_page_that_says_whether_runs_follow(api):
    await _runs(api, 2)

    page = (await api.gql(PAGE, {"first": 0}))["billingRuns"]

    assert page["nodes"] == [] and page["edges"] == []
    assert page["pageInfo"] == {"hasNextPage": True, "endCursor": None}
    assert page["totalCount"] == 2


async def test_first_of_1000_is_allowed(api):
    ids = await _runs(api, 2)

    page = (await api.gql(PAGE, {"first": 1000}))["billingRuns"]

    assert [n["id"] for n in page["nodes"]] == ids


@pytest.mark.parametrize("first", [1001, 100000, -1])
async def test_first_over_1000_or_negative_is_bad_user_input(api, first):
    await _runs(api, 1)

    errors = await errors_of(api, PAGE, {"first": first})

    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert "first" in errors[0]["message"]


def _b64(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "abc",
        "",
        "!!!",
        _b64("billingRun:x"),
        _b64("billingRun:-1"),
        _b64("customer:1"),
        _b64("billingRun:99999999999999999999"),
        _b64("billingRun:9223372036854775808"),
        _b64("billingRun:\u00b2"),
        _b64("billingRun:\u0661"),
        _b64("billingRun: 1"),
    ],
)
async def test_a_cursor_this_api_did_not_give_out_is_bad_user_input(api, cursor):
    await _runs(api, 1)

    errors = await errors_of(api, PAGE, {"after": cursor})

    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert "after" in errors[0]["message"]


async def test_a_fresh_database_holds_exactly_the_four_statuses(api):
    statuses = await list_presets(api, "billingRunStatus")

    assert statuses == [
        {"kind": "billingRunStatus", "name": name, "text": None, "retired": False}
        for name in STATUSES
    ]
    assert await list_presets(api) == statuses
    assert await list_presets(api, "billingSubrun") == []
    assert await list_presets(api, "invoiceMessage") == []


@pytest.mark.parametrize("kind", ["status", "", "BILLINGSUBRUN"])
async def test_presets_of_an_unknown_kind_is_bad_user_input(api, kind):
    errors = await errors_of(api, PRESETS_OF_KIND, {"kind": kind})

    assert [e["extensions"]["code"] for e in errors] == ["BAD_USER_INPUT"]
    assert "billingSubrun" in errors[0]["message"]
