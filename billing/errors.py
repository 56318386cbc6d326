"""Error codes, defined once and used by both the REST shim and GraphQL."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from enum import StrEnum


class ErrorCode(StrEnum):
    BAD_REQUEST = "BAD_REQUEST"
    UNAUTHORIZED = "UNAUTHORIZED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    FIELD_LOCKED = "FIELD_LOCKED"
    INVALID_TRANSITION = "INVALID_TRANSITION"
    RUN_IN_PROGRESS = "RUN_IN_PROGRESS"
    ALREADY_BILLED = "ALREADY_BILLED"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"
    VALIDATION_FAILED = "VALIDATION_FAILED"
    RATE_LIMITED = "RATE_LIMITED"
    INTERNAL = "INTERNAL"
    IDEMPOTENCY_KEY_REUSED = "IDEMPOTENCY_KEY_REUSED"
    IDEMPOTENCY_KEY_IN_USE = "IDEMPOTENCY_KEY_IN_USE"
    TIMEOUT = "TIMEOUT"
    #: The database cannot be reached now; retry after the Retry-After header's seconds.
    UNAVAILABLE = "UNAVAILABLE"


HTTP_STATUS: dict[ErrorCode, int] = {
    ErrorCode.BAD_REQUEST: 400,
    ErrorCode.UNAUTHORIZED: 401,
    ErrorCode.FORBIDDEN: 403,
    ErrorCode.NOT_FOUND: 404,
    ErrorCode.METHOD_NOT_ALLOWED: 405,
    ErrorCode.FIELD_LOCKED: 409,
    ErrorCode.INVALID_TRANSITION: 409,
    ErrorCode.RUN_IN_PROGRESS: 409,
    ErrorCode.ALREADY_BILLED: 409,
    ErrorCode.PAYLOAD_TOO_LARGE: 413,
    ErrorCode.UNSUPPORTED_MEDIA_TYPE: 415,
    ErrorCode.VALIDATION_FAILED: 422,
    ErrorCode.RATE_LIMITED: 429,
    ErrorCode.INTERNAL: 500,
    ErrorCode.IDEMPOTENCY_KEY_REUSED: 422,
    ErrorCode.IDEMPOTENCY_KEY_IN_USE: 409,
    ErrorCode.TIMEOUT: 503,
    ErrorCode.UNAVAILABLE: 503,
}


@dataclass(frozen=True)
class FieldError:
    """One thing wrong with a request, naming the field where there is one."""

    code: ErrorCode
    message: str
    field: str | None = None

    def as_dict(self) -> dict[str, str]:
        body = {"code": str(self.code), "message": self.message}
        if self.field is not None:
            body["field"] = self.field
        return body


@dataclass
class BillingError(Exception):
    """An expected failure: becomes a REST error body or GraphQL `userErrors`."""

    code: ErrorCode
    message: str
    field: str | None = None
    details: list[FieldError] = dataclasses.field(default_factory=list)
    #: Whole seconds after which a retry may succeed (sent as `Retry-After`).
    retry_after: int | None = None

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @classmethod
    def from_errors(cls, errors: list[FieldError]) -> BillingError:
        first = errors[0]
        return cls(first.code, first.message, first.field, errors if len(errors) > 1 else [])

    @property
    def errors(self) -> list[FieldError]:
        """Every error this one stands for (itself when it is alone)."""
        return self.details or [FieldError(self.code, self.message, self.field)]

    @property
    def http_status(self) -> int:
        return HTTP_STATUS[self.code]

    def as_body(self) -> dict[str, object]:
        body: dict[str, object] = dict(FieldError(self.code, self.message, self.field).as_dict())
        if self.details:
            body["details"] = [d.as_dict() for d in self.details]
        return {"error": body}


def not_found(what: str, ident: object) -> BillingError:
    return BillingError(ErrorCode.NOT_FOUND, f"no {what} with id {ident}")


def invalid(field_name: str | None, message: str) -> FieldError:
    return FieldError(ErrorCode.VALIDATION_FAILED, message, field_name)
