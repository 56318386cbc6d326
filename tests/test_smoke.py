async def test_a_created_run_reads_back_over_rest(api):
    created = await api.rest_json("POST", "/billingRuns/", 201, json={"name": "November 2026"})
    fetched = await api.rest_json("GET", f"/billingRuns/{created['id']}")
    assert fetched == created
