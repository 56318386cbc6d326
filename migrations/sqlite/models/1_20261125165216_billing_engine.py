from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "billing_run_chunk" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "chunk" INT NOT NULL,
    "done" INT NOT NULL,
    "billing_run_id" BIGINT NOT NULL REFERENCES "billing_run" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_billing_run_billing_f5d674" UNIQUE ("billing_run_id", "chunk")
) /* A unit of work: claimed and finished inside one transaction, so a crash loses none. */;
        CREATE TABLE IF NOT EXISTS "customer" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "account_number" VARCHAR(32) NOT NULL UNIQUE /* Unique; 1 to 32 of A-Z a-z 0-9 and -. Invoice numbers start with it. */,
    "name" VARCHAR(255) NOT NULL,
    "low_value_policy" VARCHAR(8) NOT NULL /* NONE: NONE\nSKIP: SKIP\nPAD: PAD\nFEE: FEE */,
    "minimum_amount" BIGINT NOT NULL /* Money in ten-thousandths (exact integer sums on every database); 2 places. */,
    "low_usage_fee" BIGINT NOT NULL /* Money in ten-thousandths; 2 places. */,
    "invoice_count" INT NOT NULL /* How many invoices this customer has had: the last invoice number used. */,
    "created_date" TIMESTAMP NOT NULL,
    "updated_date" TIMESTAMP NOT NULL,
    "version" INT NOT NULL,
    "invoice_message_id" BIGINT REFERENCES "preset" ("id") ON DELETE RESTRICT /* The default invoiceMessage preset (a run's own message overrides it). */,
    "subrun_id" BIGINT REFERENCES "preset" ("id") ON DELETE RESTRICT /* The billingSubrun preset whose runs bill this customer; null for runs without one. */
) /* A billed account. */;
CREATE INDEX IF NOT EXISTS "idx_customer_subrun__156d86" ON "customer" ("subrun_id", "id");
CREATE INDEX IF NOT EXISTS "idx_customer_created_f8c01f" ON "customer" ("created_date");
CREATE INDEX IF NOT EXISTS "idx_customer_updated_cf5c76" ON "customer" ("updated_date");
        CREATE TABLE IF NOT EXISTS "billing_run_customer" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "chunk" INT NOT NULL,
    "billing_run_id" BIGINT NOT NULL REFERENCES "billing_run" ("id") ON DELETE CASCADE,
    "customer_id" BIGINT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_billing_run_billing_0e3f05" UNIQUE ("billing_run_id", "customer_id")
) /* The customers a run bills, fixed when it starts, in numbered chunks. */;
CREATE INDEX IF NOT EXISTS "idx_billing_run_billing_bb4f35" ON "billing_run_customer" ("billing_run_id", "chunk");
        CREATE TABLE IF NOT EXISTS "call" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "start_time" TIMESTAMP NOT NULL /* When the call started (UTC). */,
    "duration" INT NOT NULL /* Seconds. */,
    "number_dialled" VARCHAR(32) NOT NULL,
    "charge" BIGINT NOT NULL /* Ten-thousandths; 4 places on the wire. */,
    "invoice_id" BIGINT /* The invoice that billed it; null until billed. No foreign key: it is written on */,
    "created_date" TIMESTAMP NOT NULL,
    "updated_date" TIMESTAMP NOT NULL,
    "customer_id" BIGINT NOT NULL REFERENCES "customer" ("id") ON DELETE RESTRICT
) /* A call charge. */;
CREATE INDEX IF NOT EXISTS "idx_call_custome_4338a5" ON "call" ("customer_id", "invoice_id", "start_time");
CREATE INDEX IF NOT EXISTS "idx_call_invoice_6b73c4" ON "call" ("invoice_id");
CREATE INDEX IF NOT EXISTS "idx_call_created_6dd6e2" ON "call" ("created_date");
CREATE INDEX IF NOT EXISTS "idx_call_updated_b5a4da" ON "call" ("updated_date");
        CREATE TABLE IF NOT EXISTS "charge_transaction" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "transaction_date" DATE NOT NULL,
    "bill_date" DATE /* When set, the date it is billed by (unless the run has a transaction cutoff). */,
    "amount" BIGINT NOT NULL /* Ten-thousandths; negative for a credit. */,
    "description" VARCHAR(255) NOT NULL,
    "invoice_id" BIGINT /* The invoice that billed it; null until billed (no foreign key, as for calls). */,
    "created_date" TIMESTAMP NOT NULL,
    "updated_date" TIMESTAMP NOT NULL,
    "version" INT NOT NULL,
    "customer_id" BIGINT NOT NULL REFERENCES "customer" ("id") ON DELETE RESTRICT,
    "transaction_type_id" BIGINT NOT NULL REFERENCES "preset" ("id") ON DELETE RESTRICT /* A transactionType preset. */
) /* A non-call charge or credit (table `charge_transaction`: TRANSACTION is a keyword). */;
CREATE INDEX IF NOT EXISTS "idx_charge_tran_custome_d5bd43" ON "charge_transaction" ("customer_id", "invoice_id");
CREATE INDEX IF NOT EXISTS "idx_charge_tran_invoice_55f261" ON "charge_transaction" ("invoice_id");
CREATE INDEX IF NOT EXISTS "idx_charge_tran_created_897de2" ON "charge_transaction" ("created_date");
CREATE INDEX IF NOT EXISTS "idx_charge_tran_updated_470ab9" ON "charge_transaction" ("updated_date");
        CREATE TABLE IF NOT EXISTS "invoice" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "number" VARCHAR(48) NOT NULL UNIQUE /* The account number, a slash, then n: the customer's invoices counted from 1. */,
    "invoice_date" DATE NOT NULL,
    "due_date" DATE,
    "period_ended" DATE NOT NULL /* The day before the run's cutoff date. */,
    "message" TEXT /* The text printed on the invoice (the run's message, else the customer's). */,
    "call_total" BIGINT NOT NULL,
    "transaction_total" BIGINT NOT NULL,
    "adjustment" BIGINT NOT NULL /* Padding up to the minimum, or the low-usage fee. */,
    "total" BIGINT NOT NULL /* Rounded half-up to 2 places, once, here. */,
    "call_count" INT NOT NULL,
    "transaction_count" INT NOT NULL,
    "created_date" TIMESTAMP NOT NULL,
    "billing_run_id" BIGINT NOT NULL REFERENCES "billing_run" ("id") ON DELETE CASCADE,
    "customer_id" BIGINT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_invoice_billing_bfc5a2" UNIQUE ("billing_run_id", "customer_id")
) /* One customer's invoice from one billing run. Money in ten-thousandths. */;
CREATE INDEX IF NOT EXISTS "idx_invoice_custome_3bf571" ON "invoice" ("customer_id", "id");
CREATE INDEX IF NOT EXISTS "idx_invoice_created_4f47ae" ON "invoice" ("created_date");
        CREATE TABLE IF NOT EXISTS "invoice_not_produced" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "reason" VARCHAR(8) NOT NULL /* EMPTY: EMPTY\nTOO_LOW: TOO_LOW */,
    "amount" BIGINT NOT NULL /* 0 when EMPTY; the rounded subtotal when TOO_LOW (ten-thousandths). */,
    "created_date" TIMESTAMP NOT NULL,
    "billing_run_id" BIGINT NOT NULL REFERENCES "billing_run" ("id") ON DELETE CASCADE,
    "customer_id" BIGINT NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE,
    CONSTRAINT "uid_invoice_not_billing_936fc6" UNIQUE ("billing_run_id", "customer_id")
) /* A customer in a run's scope who got no invoice, and why. */;
        ALTER TABLE "billing_run" ADD "customers_done" INT NOT NULL DEFAULT 0 /* In-scope customers handled so far, invoiced or not. */;
        ALTER TABLE "billing_run" ADD "customers_in_scope" INT /* How many customers the run bills; null until it is Running (fixed when it starts). */;
        ALTER TABLE "billing_run" ADD "invoices_not_produced" INT NOT NULL DEFAULT 0;
        ALTER TABLE "billing_run" ADD "invoices_produced" INT NOT NULL DEFAULT 0;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "billing_run" DROP COLUMN "customers_done";
        ALTER TABLE "billing_run" DROP COLUMN "customers_in_scope";
        ALTER TABLE "billing_run" DROP COLUMN "invoices_not_produced";
        ALTER TABLE "billing_run" DROP COLUMN "invoices_produced";
        DROP TABLE IF EXISTS "billing_run_chunk";
        DROP TABLE IF EXISTS "charge_transaction";
        DROP TABLE IF EXISTS "customer";
        DROP TABLE IF EXISTS "billing_run_customer";
        DROP TABLE IF EXISTS "invoice";
        DROP TABLE IF EXISTS "invoice_not_produced";
        DROP TABLE IF EXISTS "call";"""


MODELS_STATE = (
    "eJztXetX2zgW/1d08mXpOaEHKKUMfAo0M80WEhbS7ey0e1zFVhIvjpTxo2l2tv/73ivb8d"
    "uxgwMO+AttLF1Zvj897ktXf7VmQmOG9boz1z+yZeuM/NXidMbgP7GSNmnR+Tx4jg9sOjJk"
    "VTrXlXuv0siyTara8HhMDYvBI41ZqqnPbV1wrNwhqqEzbv/NIp2bHgG6cyK4sSS6bZG7D5"
    "39o7cnZEqtKdEtYtnCZNprbFkTKjSt88lDGnG4/qfDFFtMmD1lJjT15d/wWOca+8Es/+f8"
    "XhnrzNAi/NA1bEA+V+zlXD670Cc9bv8q62IXR4oqDGfGg/rzpT0VfEWgcxufThhnJrUZvs"
    "E2HeQSdwzD46fPOLezQRW3lyEajY2pYyCvkdrtQPCspSj9wVC56w4VpZXAwacIcdV7pAqO"
    "GEJXLcmACXZh/5ejozdv3h0dvDk5fXv87t3b04NTqCv7myx699PtTMAttynJs95vvf4QOy"
    "RgoLgDCB/8lDTUpi6VBCPgvvw3wf/LKTXTue/Xj/EfPizOf5/beQD4DwIEgsG9OQStz1NB"
    "hEkWU2oTGI44jHG8joWZHPFr6sZBm9EfisH4xJ7Cz6O3b3MA+Wfn9vJD53YPar2KwtL3io"
    "7cMkQoQAQ6oOAMK4NKmKYaZLYxNVof2I/VIiLGPrvPA77bFjPGcmmZigWHlUdlhHKNcPad"
    "mZmLVnXN5qJ9clwA7JPjTKyxKAq1ajKERIHZmTIJ38NTW5+xdMjjtDHYNY/4tf+f+kzP4i"
    "skfKI2gN3HG3457B/2rrt3w871Db5uZll/GpKDnWEXS47k02Xs6d5JDKpVI+Rzb/iB4E/y"
    "x6DflewVlj0x5RuDesM/Wtgn6thC4WKhUC00U/ynPtd+4g44vg+twvhgRNX7BTU1JVEijk"
    "RW3WTR7GgWf0I5nUjMkLnYTU/wuNANA7h+6/A0sSRUmiuajNx6iulVLCCeeCQESM5gvdXV"
    "KVFhRZswi9iC6Py70FUgxIkpuFcBR6+VJqY8rLH14sqX6ASD0i8tZ66FnjQCTSPQ1G7F3L"
    "54YtnUdqx0Dne5M5Nc7kGvKOyyCW4H1I/H79YN4xpyraS0ctPtv+/1fzsjHv1Xftv9xydY"
    "+bvvz8gtgw5Y0FF4+qnfl/Vg0eSy3uXg+uaqO+yekUsxmxvM3aHLwnd4UgC9w/gmFoCHRV"
    "HsvGVRoTPhuOtLTOJgqj6jRsYylSCOixwu9WuvlW3BeVASxqGwqeHLhbBdgGrrfYp1Tixm"
    "k9FSFvk7CrBf5yy55zygnRjMObC+7172rjtXgF37SAILMotuszDixwdZsGaLkfmIFhEhC6"
    "Dp7TV1WQvzuAwSYFwUB2ltPC7NwhjZTnCwdUkNA6031LRxoI4YKLsMxi4oSNhRQk13FKfp"
    "WiVpH4QJEHILhErotrIhPjlN7AZWn6eM4+rSJgIl1ZWQKyVRFG2F6YOg27nIPailB+GoOe"
    "XXpjDNTiC1rXVJzGYMJKkNjQQJ6grMBLvDzzpZBXyeJMwCMbSluLgx2jHqBu1ao/0izX+t"
    "u0BWtpiJFtgFbk2eWI1mWu/jkntYOdJnPHQipqiSQydOu9NDB+QWNOIvycIEPQlKqI2SDU"
    "fJxhIzBpIpnxQZSMUbesbDSnUsG77VtBSdK5Yq5imDK9OOmU683q75dML1B7EgM8qXZNX1"
    "1VKCsi/o9dgocbitGygUw/ri2XjI3liHjrjLD5RIhch6leKb2sor0i2vR4fH745P35wcrw"
    "yuqyd5dlbfppo2DDTBNxsCPuFG8FdjFzpIAt7j+3JghtCAKa6BlgNzHNo0275NR0N1iAs7"
    "ieiGbWwZMt8UpcxNoTnw7hKopdLWCriyPojq2QowPoi1cfqGvfgENlwLu1CcoSGKJ2Thmn"
    "3lwpnNXZtKSKQ4J67gZUnbCjBW07E+2pTl+r4ngH6mW7auYqnqmCao7suUPaX65rcMMxrg"
    "vjNlYgpnXsY3F6fbyGcUlyW2EtkyREHSGeG2LnuLHmeDBV4i3Am8fb1NGPRRvuQ1+SR71c"
    "adA+TNGYhzxNs4o76HSpv/yrGhOYa+uG3q6MogsDyhLGlBC3wsTNy/PBEZna0jCq3CUBoJ"
    "e0o0nRpMta31QTOnBwWcWKcHmU6s00xvxwy6SidMKe1uT6WvsZhaSwd8yCEsx1BpGCJkDf"
    "fLcD8RSBQHI4nEr8Jk+oR/ZMuEfz7Gey8O6AZWAraDKPz0x5n/NOiiSReraJ3o8IPPh49m"
    "rp/1FrTo297lsJW36jQcXsvh9HU2g9VPHQp3OXX4fSs3Hs6t0i4YFKeoq+oFQuMAWxtDCx"
    "bCvD8jqkH1Gey+GLw21rluTeGHzi1dwx2YkZBT093aiWpiSL4hLBD/uEiLXtjSO1IC6b5E"
    "2OCi7jLj382RgLpsIW2SHUG3GrlFjT5+/cdTyLaPQWW6T7oF7UIIg1Ge4ftOt52NgGZbDF"
    "09eVyX3cVgcBWxjV/0YsO1/+n6onu7dxgLhkryObnoFF8/krTPaSg/rUQaCxR/oNAUDU/f"
    "MTyKSk7J4RiRmi47d5ed990aCE2eAXyN3OTXKi46hSnWSk9oGwlM8TRwrbRJmgMFrfPwSb"
    "MRM6FM7l0pBwyqarSofOS9Cn/GpaQ18lQjQDUCVK1WuaoFqGZjr4mhL7xIlUIhRthA0MhW"
    "tZet0gZ+BTwOC0PPlMOx2V4n0RUPL6QJq/J5rniq+jWKpOGAul50fWqCjVhxobOoUZ76pl"
    "X3lxRBFRmpJ4+phkrl7+Yga23X9jwpMgRrAoX8AM8o5Q6Fd372g3nlHJGfAerU3qfhZUoU"
    "xLrKzzhMU3MArHJxM2GSOgtgrTuGsSspKnm4YMsqh6vJKxjlYKSFe+WcJk9QPsNz5W+OCs"
    "R0vDnKjOnAophqIbfDklrFiqbW43nI+D50z7Eo1+ypdU6OydygKrMwmAaXr4Vupp02LkxW"
    "C90wKpGUD8apfRiItAh6vXUPB7inI4luR0K4vTOTpC8whRQqB5iC6MwL7cZIPZthBqJUi2"
    "OF7X/l4bPoU2GTObWnbbRbmoxQjP7aN8VC5kdSp0y9JypsUhaZucd5qTRuThwQufNW3Me2"
    "QLzIA1Mv8mzcyzzg9CKhbuyKdbMrNgavVkUGr6eOcLuUQvIwCOZqpZm/EpXaubYwWV2xY/"
    "ULWMa44Psh8xdGrcO2rOHpBNk6+ZZs+9sZGd52+nedy2Fv0Echh6LQshCmlmIU2NI7Hmaj"
    "a6xyu7UytnOscuGEMg9JRlNRbpOarplp/E5JboLqSWkuRoh2IjVMKPWOd5qGefqap+ONlm"
    "TP4QazgsPBU4qLUGjEEDd9UZYhtMrWH4RpVm65vCUqM6VcrWS4pE2GswnFE2qoissIadxn"
    "CthysulqoWaHPzuBY7btM0b2iAkeW9vacrafTrMxnEUMW2SPRwxbbUJlLnbp5EnLr1B567"
    "WYgY2h68VYPxpD14uB+nlmO3iywNDGbvjk+1RYo0X60lBkNFBnSFqdsOI0hC6SuTzKmxBO"
    "nhqpxsL7qBbevIlRAZ8Lnxev3TzIr7khJhkrR72s7zkHpIodiyp3FKrj6zlUVdGiknVxSq"
    "xGEet2JF9CY8PegV0624btYa+4wWplTDxJyhrfNuYmPzonh3gj0JsjzH3Q2f+D0P3/koP9"
    "X2Tmg/3XpOcZD9xP8lLbk4VuT0maLa+qRh85wK65FWe7ZjwDNMHv1IBVdC4MXV2m83r9/T"
    "hp7TyiIbXvab5lphnSnBH8+5XffezdnBH8+5XfdN6fEfjzlf/ahQrwp6B8HM0fVgCr0+zs"
    "YXGcZjrXZ84s8wacvE0oSVtbnbx1LThefMiJHfU9kD32A0QIKLHZRCaAm1lBIkE/z9urc3"
    "LkhZsmV8Bqm66FGouzzpFJisasZBRygnT3xsQmYNcRRd8loqZP7bWuFLX+03qVTdrPK+ve"
    "vONrCdKvO6XamXT0GtSyV74RVxIhjpV6gWplzW7b5Nf4RV6Ksbzxi7wYqBu/SKWL5ItLkC"
    "uDALzK/s507XbeMzSSPepd2Yj3f3sfRgQMI1OHtkApT4YWPL0F58Xk2JUAemeV7tyU1B5u"
    "i6mwZMiaG80WlUu8CA8M4JA10L4iHJniunZo5vhinmvO3kdAdUuvaHIK13lhrq7V55vZ2D"
    "NAt1IcT35RO8/vpIcqrXU7DXiQLC+4FZmMTTGTuYT9U6gAyWuSZVFIwlxds5Vk4Yuf70j1"
    "gTUer1p6vMp7unbCw4ULoeeS8ywxbUKJZVBrKg8DcMJdm01yGsFmiGRMc+fTYfoqW2XjuW"
    "b+4yJ2/uNsQ/9xwtJfk0vRd8hu0NzcXCnv5szUhaYw6GvK2p/NvzjdbgxAVyijy+BGeOaJ"
    "YO7JInkuKUOUK0L1ICgyBewh+5Hl7AtIKrl1aotct+EjQPDVuXePux06ErEXcNT7Iu9+qO"
    "jCnSFkV9ZyCeNl9/dhxG7pr/F7153fX0Vsl1eD/m9+9dCecHk1uIi7DahhgPRnU6OcEBal"
    "q3NQai3lsYxwyPI4pJI3cGwMB9X+AxN0xkqf04zQ1RmA1g3VNFQOnTkGauGa5IVvtDEjgP"
    "RjisW+9NyTMUvZmTZpoBbgbjK/dmFOtW5BpwCZiEypMd53YfGDEAATrsILMLlVEsoyhLWA"
    "UO47ZcMYokR1RvLJPGPhfaQse1NpGy43QRov2XPf3M1Qlx2jOQtZM69uc8IutNhVc2lAxs"
    "pTAYebqy+e/G4Gzy3ZF/aNKTRHZVH/WXatdgE/JmxgtjIPUxS5x8EPf9U58f3JlirmDIML"
    "yETYhAvfHNaWJ38W02XqjQ8bN1SB47LxSNbSIwlyrpWVXmn9MaGAus4HtFpdEC7/dUbkP1"
    "/5cDBQrgafz4j3n/hMeYLjQM84WdmBe0Wh5P2561jxzCCWM5IGH7eCBwbZiwVOpLgEqmmy"
    "HvJyo6M2OmqjozY66vOHIEdHbZSo5v7A2nG4xvcHeuHVKXppEHidrYvOgzpFcqXDCzQicw"
    "FgkgkMeL0H5NpExch2jll9sUr+LUKbN5OqeSIlFsqPbxTN2izx7RxF08esaOCrX7/WiiWG"
    "hsNo/uZOu4/Q+rf0+PG0Sk3qlYcD8BlT7aqGzoCJ8tYpJu1WoBlp58R9uTxVo+M9UpZcct"
    "ISl2/WSC6AJ8cFADw5zgQQi2JeY/YjxUSQHTro169z3CAIHqtIPi98z3Lzx8dj/vyQ7iR8"
    "G7bxxLGAJujkZlpE7oUQBqM8HdMQVQzWEZBta2KunpTKyuf11T8LBSLl0pKTSl5/AnAIAy"
    "aZWFhk5Mh7Akw2xgQOWMTZwp2JKXhX2nLxUXAxGFxFRsFFLw7zp+uL7u3eoRwSUEm3G6vP"
    "RgILQjngxtJbh3bECuQtmU02iReHfIr9T/Y+YfJ4GnWxw0xdnbZS1EWvpJ2nLtKgzjp1MR"
    "vn9ak9S6ltL0Vne2AsXLY2lpnqJFsfyM51UiuVoDiLt5+NESdVCQ571Z8hdw8PDgpwF2pl"
    "cleWxaQoAXJ9mtf073eDfobwFJDEd09dtcn/iKFbu2jFz2EuMiNfeYnrKbG9Dxu4SLPfP+"
    "Zm9vP/bh59bQ=="
)
