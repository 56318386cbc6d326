"""Running schemathesis's engine in-process (every phase and check the command line
runs) and turning its events into a count of requests and a readable failure report."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import schemathesis.engine
from schemathesis.engine import Status, events
from schemathesis.schemas import BaseSchema


@dataclass
class FuzzReport:
    requests: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    phases: dict[str, int] = field(default_factory=dict)
    operations: dict[str, int] = field(default_factory=dict)

    def problems(self) -> str:
        return "\n\n".join([*self.errors, *self.failures])


def _failures(event: events.ScenarioFinished, seen: set[str]) -> list[str]:
    found = []
    for case_id, checks in event.recorder.checks.items():
        for check in checks:
            if check.status != Status.FAILURE or check.failure_info is None:
                continue
            failure = check.failure_info.failure
            key = f"{event.recorder.label}|{check.name}|{failure.title}|{failure.message}"
            if key in seen:
                continue
            seen.add(key)
            response = event.recorder.find_response(case_id=case_id)
            body = "" if response is None else response.content[:600].decode("utf-8", "replace")
            found.append(
                f"[{event.recorder.label}] {check.name}: {failure.title}\n{failure.message}\n"
                f"{check.failure_info.code_sample}\n-> {body}"
            )
    return found


def run(schema: BaseSchema) -> FuzzReport:
    """Run every phase against the schema's base URL; never raises for a finding."""
    report = FuzzReport()
    seen: set[str] = set()
    started = time.perf_counter()
    for event in schemathesis.engine.from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            sent = len(event.recorder.interactions)
            report.requests += sent
            report.phases[event.phase.value] = report.phases.get(event.phase.value, 0) + sent
            label = event.recorder.label
            report.operations[label] = report.operations.get(label, 0) + sent
            report.failures.extend(_failures(event, seen))
        elif isinstance(event, events.NonFatalError):
            report.errors.append(f"[{event.label}] error: {event.info.format()}")
        elif isinstance(event, events.FatalError):
            report.errors.append(f"fatal: {event.exception!r}")
    report.seconds = time.perf_counter() - started
    return report
