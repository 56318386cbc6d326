from tortoise import fields
from tortoise.models import Model


class ApiKey(Model):
    """A client's API key; only its SHA-256 hash is stored."""

    id = fields.BigIntField(primary_key=True)
    #: Who or what the key is for.
    name = fields.CharField(max_length=255)
    #: Hex SHA-256 of the key; the key itself is shown once and never stored.
    key_hash = fields.CharField(max_length=64, unique=True)
    created_date = fields.DatetimeField(auto_now_add=True)

    class Meta:
        table = "api_key"
