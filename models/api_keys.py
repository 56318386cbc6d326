from tortoise import fields
from tortoise.models import Model


class ApiKey(Model):
    """A client's API key; only its SHA-256 hash is stored."""

    id = fields.BigIntField(primary_key=True)
    #: Who or what the key is for.
    name = fields.CharField(max_length=255)
    #: Hex SHA-256 of the key; the key itself is shown once and never stored.
    key_hash = fields.CharField(max_length=64, unique=True)
    #: The 8 characters after `br_`, naming the key in listings (null for older keys).
    prefix = fields.CharField(max_length=8, null=True, db_index=True)
    #: A read-only key may run queries and REST GETs, nothing that writes.
    read_only = fields.BooleanField(default=False, db_default=False)
    created_date = fields.DatetimeField(auto_now_add=True)
    #: After this instant the key is refused; null: it does not expire.
    expires_date = fields.DatetimeField(null=True)
    #: Set by revoke-api-key; a revoked key is refused from then on.
    revoked_date = fields.DatetimeField(null=True)
    #: When the key was last accepted, to the minute (written in batches, not per request).
    last_used_date = fields.DatetimeField(null=True)

    class Meta:
        table = "api_key"


class IdempotencyRecord(Model):
    """The first response to a write sent with an `Idempotency-Key`, replayed to retries."""

    id = fields.BigIntField(primary_key=True)
    #: Keys are scoped per API key: two clients may use the same Idempotency-Key.
    api_key = fields.ForeignKeyField("models.ApiKey", related_name=False, on_delete=fields.CASCADE)
    #: The client's Idempotency-Key header (1 to 255 printable characters).
    key = fields.CharField(max_length=255)
    #: Hex SHA-256 of the method, path and body: a retry must send the same request.
    request_hash = fields.CharField(max_length=64)
    #: The first response's status; null while the first request is still running.
    status = fields.IntField(null=True)
    content_type = fields.CharField(max_length=100, null=True)
    body = fields.BinaryField(null=True)
    created_date = fields.DatetimeField()
    #: 24 hours after creation; an expired record is deleted and the key may be reused.
    expires_date = fields.DatetimeField(db_index=True)

    class Meta:
        table = "idempotency_record"
        unique_together = (("api_key", "key"),)
