from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "api_key" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(255) NOT NULL /* Who or what the key is for. */,
    "key_hash" VARCHAR(64) NOT NULL UNIQUE /* Hex SHA-256 of the key; the key itself is shown once and never stored. */,
    "created_date" TIMESTAMP NOT NULL
) /* A client's API key; only its SHA-256 hash is stored. */;
CREATE TABLE IF NOT EXISTS "preset" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "kind" VARCHAR(32) NOT NULL /* One of `PresetKind`. */,
    "name" VARCHAR(64) NOT NULL /* What clients write and read; unique within its kind. */,
    "text" TEXT /* For invoice messages, the text printed on invoices. */,
    "retired" INT NOT NULL /* A retired preset stays readable on old rows but is refused on new writes. */,
    "created_date" TIMESTAMP NOT NULL,
    "updated_date" TIMESTAMP NOT NULL,
    CONSTRAINT "uid_preset_kind_1ce0d5" UNIQUE ("kind", "name")
) /* A named value of one kind, chosen by name on the wire. */;
CREATE TABLE IF NOT EXISTS "billing_run" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "name" VARCHAR(255) NOT NULL,
    "status" VARCHAR(16) NOT NULL /* PENDING: Pending\nREQUESTED: Requested\nRUNNING: Running\nCOMPLETE: Complete */,
    "invoice_amount" VARCHAR(40) NOT NULL /* Total of the run's invoices; set by the billing engine. */,
    "invoice_date" DATE,
    "cutoff_date" DATE /* Calls starting before this date are billed. */,
    "transaction_cutoff_date" DATE /* When set, other charges dated on or before it are billed. */,
    "due_date" DATE,
    "commenced_date" TIMESTAMP,
    "completed_date" TIMESTAMP,
    "created_date" TIMESTAMP NOT NULL /* Set by the server when the run is created. */,
    "updated_date" TIMESTAMP NOT NULL /* Set by the server on every write that changes something. */,
    "version" INT NOT NULL /* Bumped on every write; updates are conditional on it (optimistic concurrency). */,
    "active_group" VARCHAR(80) UNIQUE /* The subrun group while Requested or Running, else null. Unique, so at most one */,
    "invoice_message_id" BIGINT REFERENCES "preset" ("id") ON DELETE RESTRICT,
    "subrun_id" BIGINT REFERENCES "preset" ("id") ON DELETE RESTRICT
) /* A billing run: which charges to invoice, and on which dates. */;
CREATE INDEX IF NOT EXISTS "idx_billing_run_created_e1889e" ON "billing_run" ("created_date");
CREATE INDEX IF NOT EXISTS "idx_billing_run_updated_e5e112" ON "billing_run" ("updated_date");
CREATE TABLE IF NOT EXISTS "aerich" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "version" VARCHAR(255) NOT NULL,
    "app" VARCHAR(100) NOT NULL,
    "content" JSON NOT NULL
);
-- The four billing-run statuses are fixed presets.
INSERT INTO "preset" ("kind", "name", "retired", "created_date", "updated_date") VALUES ('billingRunStatus', 'Pending', 0, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00');
INSERT INTO "preset" ("kind", "name", "retired", "created_date", "updated_date") VALUES ('billingRunStatus', 'Requested', 0, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00');
INSERT INTO "preset" ("kind", "name", "retired", "created_date", "updated_date") VALUES ('billingRunStatus', 'Running', 0, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00');
INSERT INTO "preset" ("kind", "name", "retired", "created_date", "updated_date") VALUES ('billingRunStatus', 'Complete', 0, '2026-01-01 00:00:00+00:00', '2026-01-01 00:00:00+00:00');"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        """


MODELS_STATE = (
    "eJztW21T2zgQ/isafzk6wzEQXg8+BUjbXCHhIByd0o6r2EqiwZZSS26a6fHfb1e248QvIQ"
    "kvDZRPgLS72eyzWq12l5+WL13mqbVqn39gQ2uf/LQE9Rn8ktlZJRbt99N1XNC07RlS2uf2"
    "TUzUVjqgjoblDvUUgyWXKSfgfc2lQOIqcTzOhP5DkepZnQDfAZHCGxKuFbl4X/2zsr1Del"
    "T1CFdEaRkwdw0lu9IB0Vx07yMkFPxbyGwtu0z3WACirr/AMhcu+8FU8mf/xu5w5rkT9uAu"
    "CjDrth72zdoh79aFfmtoUcW27Ugv9EVK3x/qnhQjBi40rnaZYAHVDD9BByFaSYSeF9szMV"
    "ykbEoSaTnG47IODT20NXJHCqRrlm03mi37otaybSuHQ8IxZtV4yZECMQRVlTFAF1X4869K"
    "ZXNzt7K+ubO3vbW7u723vge0Rt/81u5tpExqrUiUsVn9Xb3RQoUkOErkQLhwa3iophGXAS"
    "O1vvmZs/9RjwbF1k/oM/aHL5a1f2LtaQAkCykCqXMvDoF11ZNEBmTQo5qAO6Ibo792ZJD3"
    "+Dtos6D59IftMdHVPfizsr09BZB/q+dH76vnK0D1ZhKWRrxVifYQoRQRUMDGEzYPKuM8D4"
    "PMYxwN6z37MQoispOY+yC1u1bM65jQ0pMDAZHHYYQKlwj2nQWlQevhxE5Fe2drBrB3tkqx"
    "xq1JqJ2AISQ2nM6CQ3gMq5r7rBjyLG8GdjdmXkt+WZ7jOXuEhK/oNuH2id1vivlb9dPaRa"
    "t6eoYf5yv1zTMWrLZquFMxq8PM6spOBqqREHJVb70n+Cf51GzUjHml0t3AfGJK1/pkoU40"
    "1NIWcmBTd+ykJKuJ1W7xBuzcjEVhXGhT52ZAA9fO7ciKLKPNb/kVP7tCBe0azNC4qGaceB"
    "xyzwOrn4eiKC0Z252amrQjOjuICWdIT2IWAiz7EG+50yMORLQuU0RLwsV3yR1gxIMpRUyA"
    "3quK0pT7Cbs7XbmePGCwe22FfXds5TWheU1oli5iPn56ojTVoSq2cE2EvrFyHbSicMvmrJ"
    "1yP529rTMmXLTanNnKWa1xXG+82ycx/2dxXvvnEiJ/7XifnDNQQIGisHrZaBg6CJrC0B01"
    "T89Oaq3aPjmSft9j0Q09L3wbOzOgt5G9xFLwcGsSuzgs2tSXYRRfMhkHc7hPvZIwlWPOph"
    "wR91os5bHgXJ8TxpbU1EvyQrgu4GkbfxV1QBTTpD00W8mNAubnguXvnHvIycA8Bdbj2lH9"
    "tHoC2K1WDLCQs3DNxhHfWi+DtTyNnI7oLCnkDGjGd82yxMJpVoYMMJuKQ7bW6cxtwgzbs7"
    "CgdUQ9D6s3NNDoqG0Gj10GvgsPJFSU0CDy4qK31py898IEGIWCpBLUthfEZ4qI54HVVY8J"
    "jC6rRGKmOkpyTSaKqa0MEhC4norcvSTdC0c3nD82jfM8C6QeKy5J32eQSS1YJMhxP0CZ4P"
    "nYc5mqAolNcmWBDNomXVwY7Qz3K9pLjfZvWf6zLtJcWbEAK7ADvJritBrLtPGXy99h87G+"
    "YNeZKEXN6TpZ3mftOpC3YBF/SAYBvJNgh2rMbARmNkr6DDJT0Z3FkWYX9ILdCgyg0NQ5jy"
    "otXo5x3F3B/FUlgMPQ70c57hjEByQ6CMrkugCqy5Ee3/gCM+AVCfw+V5o7uOuEQQCp1PBN"
    "3pkeXnxxZbWysbW7tbe5szUqqI5WptVRk5ppCjM+iL4zuxvIsD9PrTTLt1ANL5tQPEqnsY"
    "UHO2zjpWC0xQ6Ax9KqHT524nLdKmGgo/mQNXJptFqFE0/g/PtwvACuXPXugcV/Fiioj63I"
    "SCbH0hLpBxLPtgIJAp5lkMUnIQuL320KUsGV2vCaIy6nHnO0uruJubc+Q1Fxb720qLhXWn"
    "3yQVXaZfbc7Y9C/oWCyZLlqk/ZEBkr0BsfmhuGCbZX689j/VxjNwtGHom3MmC8Kz6wYa5f"
    "krF93Jc9g0jAniEKt4mfJaupigEdjLqnk+4HXx++NIvq3ueQ1ZzXj1rWtKjzauE7LVwcZ0"
    "tM/WtGE2IICsYSUnDKRxL6Kc0M0wj4AS75Tr2QYVMHrmFyAwiuQtIvFbwp4apFErxi8cod"
    "8KCgJ7S4mIIJhGsLOXHTfPkvrwOUyxLgV6fMGySYzTyqF9Mv87yB1RTGm79Gx+4DSP+ad/"
    "4yoqn552Zlhvxzs1Kaf+LWZL7zEgc+rCtTfjCj2CquSOAoEw7EwcPSfDjEEqxJmMlsdKqi"
    "js9iQp54ClKzHwWzCC1YLenpxfQP8vp8JPwg+0imA0h84cI7Dm8A1B6edmDcqGSQzBDk4V"
    "tQxhzlqdrH1kRlKkFp5bT68c1Edeqk2XiXkI+henTSPMygGTANd1zRlSSlx6goxnSMKwNr"
    "G9ge62COVuZAtkpiXUmUb2AvfKjMoUJVTCPVg0MmB4q0Q41v+YB1QhUhJdggOomFQ40PKH"
    "l2LzhsNk8mvOCwnoX58vSwdr6ykRlIyT89f8+Gxu86z/zaj3jpyBf0DIz2SzLJXmUBd3pW"
    "0T/XRTurU/+5LqW567lYjvMD/9/b7/Jmu2cno/w1VtrAKn8PlHewlupJsEwz4Hio5rBwTP"
    "4CrbuxPks7BajKh7TXcw0V+ETNisaz/75oNsomf0Ys2duTO5r8RzyuHq0b+2umfdAY0x8v"
    "2XdK5u5DAYdF1funvMxu/wcG1wRU"
)
