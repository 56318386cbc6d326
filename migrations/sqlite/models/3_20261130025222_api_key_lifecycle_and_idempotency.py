from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "idempotency_record" (
    "id" INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    "key" VARCHAR(255) NOT NULL /* The client's Idempotency-Key header (1 to 255 printable characters). */,
    "request_hash" VARCHAR(64) NOT NULL /* Hex SHA-256 of the method, path and body: a retry must send the same request. */,
    "status" INT /* The first response's status; null while the first request is still running. */,
    "content_type" VARCHAR(100),
    "body" BLOB,
    "created_date" TIMESTAMP NOT NULL,
    "expires_date" TIMESTAMP NOT NULL /* 24 hours after creation; an expired record is deleted and the key may be reused. */,
    "api_key_id" BIGINT NOT NULL REFERENCES "api_key" ("id") ON DELETE CASCADE /* Keys are scoped per API key: two clients may use the same Idempotency-Key. */,
    CONSTRAINT "uid_idempotency_api_key_12b8b5" UNIQUE ("api_key_id", "key")
) /* The first response to a write sent with an `Idempotency-Key`, replayed to retries. */;
CREATE INDEX IF NOT EXISTS "idx_idempotency_expires_720c9a" ON "idempotency_record" ("expires_date");
        ALTER TABLE "api_key" ADD "last_used_date" TIMESTAMP /* When the key was last accepted, to the minute (written in batches, not per request). */;
        ALTER TABLE "api_key" ADD "prefix" VARCHAR(8) /* The 8 characters after `br_`, naming the key in listings (null for older keys). */;
        ALTER TABLE "api_key" ADD "read_only" INT NOT NULL DEFAULT 0 /* A read-only key may run queries and REST GETs, nothing that writes. */;
        ALTER TABLE "api_key" ADD "revoked_date" TIMESTAMP /* Set by revoke-api-key; a revoked key is refused from then on. */;
        ALTER TABLE "api_key" ADD "expires_date" TIMESTAMP /* After this instant the key is refused; null: it does not expire. */;
        CREATE INDEX "idx_api_key_prefix_d038d0" ON "api_key" ("prefix");"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_api_key_prefix_d038d0";
        ALTER TABLE "api_key" DROP COLUMN "last_used_date";
        ALTER TABLE "api_key" DROP COLUMN "prefix";
        ALTER TABLE "api_key" DROP COLUMN "read_only";
        ALTER TABLE "api_key" DROP COLUMN "revoked_date";
        ALTER TABLE "api_key" DROP COLUMN "expires_date";
        DROP TABLE IF EXISTS "idempotency_record";"""


MODELS_STATE = (
    "eJztXVl327gV/is4ehnPOXKOozhOaj/JjmaiJl5qK01nJj0MREIWawpQuURW2/nvvRcgxZ"
    "0mJcqmbL54IXBB8H5Y7oaL/3ZmwmCW86o/Nz+xZeeY/LfD6YzBH4mSLunQ+Tx8jg9cOrZk"
    "VTo3tTu/0thxbaq78HhCLYfBI4M5um3OXVNwrNwnumUy7v7kkP7VkADdCRHcWhLTdcjNx/"
    "5+7+0RmVJnSkyHOK6wmfEKWzaEDk2b/HaTRjxu/ttjmitumTtlNjT1xz/hsckNds+c4N/5"
    "nTYxmWXE+GEa2IB8rrnLuXx2at4OufuLrItdHGu6sLwZD+vPl+5U8BWByV18ess4s6nL8A"
    "2u7SGXuGdZPj8DxqnOhlVULyM0BptQz0JeI7XqQPiso2kXlyPtZjDStE4Kh4AiwlX/kS44"
    "YghddSQDbrEL+3/p9d68edc7eHP0/u3hu3dv3x+8h7qyv+mid3+qzoTcUk1Jng1/HV6MsE"
    "MCBooaQPjgT0lDXaqoJBgh9+XvFP/PptTO5n5QP8F/+LAk/wNuFwEQPAgRCAf3+hB0vk4F"
    "ETZZTKlLYDjiMMbxOhF2esQ/UDcJ2ozeaxbjt+4U/u29fVsAyN/712cf+9d7UOvnOCwXfl"
    "FPlSFCISLQAQ1nWBVUojT1ILONqdH5yO5Xi4iYBOw+CfnuOsyayKVlKhYcVh6dEcoNwtkP"
    "ZucuWvU1W4j20WEJsI8Oc7HGojjUc5tNzPsqQIcUa8Hsg1gw/+qAeQR8f090+AjYsJjtED"
    "qBX+T72Na+dwl8POAWgsOJZTouPHLIHr4Mpx4RlgEUUO78nMZ7C+0XAv++BO7vc2F/n0Td"
    "ZtTQcFPN2PeEsBjl2djH6BLwj4FwWwvw6kl0COQKIdjLfSkyIPdndElsjxN4m20yR86668"
    "HNiPw6GDmAlXCnCixYfRe26TInSyappc0ExEU76eXlZ6SYOc6/LbW1JvbViy/np4PrvdcS"
    "dKgEL4lutyHWOnQd0NBg/83YZj/AU9ecsWy8k7QJyA2f+FXwR3M24PIyECJ7iUNarTwFoI"
    "yG54Bx//wqhsyH/miAJT35dJl4uneUmJWrRsjX4egjwX/J75cXA8le4bi3tnxjWG/0ewf7"
    "RD1XaFwsNGpEFsngacC1GPLsfm5Ca2shn6StAfmHV/5aJK++XIlhAjqw8Dou5TGhCjYvz2"
    "HGiWz5GPZlYgiYwDBjifrkjMlfQ4PlZ36TBlmAR+Eos9kPcbfm+pKk3Z1RdsNcMoZNQH7A"
    "PmjJ+1Leo/4TIzE8yMQWMxw2KPqlh9jGrT3j8WVRx9Xwq9caYWnq3RljXxHgYKlZUIfgxx"
    "Cq62wOXesSV8hSkDU9l5E9FDRcoABxc0xdfcqUJELmsHrZDHrquBmS7LZe8sxGJNqOJncR"
    "+wU+GFP9bkFtQ0uViJ7Iq5sumvVmySeU01s5kHDYYD99k92paVkA3LXHOxkGvUhpt8ioN1"
    "b1NNuvWMKw55Og1HtMFlNTn0rt5xa2OhghJv8hTB0IURAW3K+AMypTmN6ssYcNfX/EBVco"
    "/aPjzY3Ik9YU2JoCG6eJbN+wB9Kr6znZHB5wbya5PJRCrs5S3A6pH4/fnSvGDeRaxb3zan"
    "DxYXjx6zHx6b/x68HfvsDSP/hwTK7VRsUMePrl4kLWg0WTy3pnl+dXnwejwTE5E7O5xZTU"
    "UBW+10cl0Hud3MVC8LAojp2/LGp0Jjy1viTkIKabM2rlLFMp4qQYpKhf+a1sC86DijCOhE"
    "utwKIK28VPTrA9OCfEUVIzFgU7CrDf5Bk63AbtlBdkPgzOhuf9z4Bdt5cwywSIHx7kwZov"
    "3BYjWkasbYxIW3otLOIyiIBJExdIa5NJZRYmyHaCg50zalno96Q2GpTJmE2EzZR1AjtKqK"
    "1GcZaXoiLtRpgAIXdAqIRua2viU9DEbmAldStYXbpEoKS6EnKlJIqirbADEEy3ELmNWtoI"
    "R8OrvjZFaXYCqW2tS2I2YyBJrWl8T1HvjOmiDn7uhFkggbYUF9dGO0Hdot1otF+kWy2wVK"
    "Os7DAbYxcWgQERHaIgSfgfl2vkLkn6jIdOzBRVcegkaXd66IDcguEvS+UjV+5ykGw4SjaO"
    "mDHpRS8zkMo39IyHle45Lnyr7Wgm1xxdzDMGV64dM5v4Ybvm0wnXH8WCzChfklXXV0sJyr"
    "6O8sgSj7umhUIxrC++jYfsTUzoiFp+oEQqRFlRPtt5Rbbltff68N3h+zdHhyuD6+pJkZ01"
    "I95jhaQh+HpDICBcC/567EIHacCHfF8OzAgaMMUN0HJgjkObdjew6RioDnHhphFds40tQx"
    "aYorS5LQwP3l0BtUzaRgFX1QdRP1sBxo1Ym6Rv2YtPYMN1sAvlGRqheEIWPrCvnHqzubKp"
    "RESKE6IEL0faVoCxhon10aYs1/c9AfQzDPLUsVT3bBtU92XGnlJ/81uGGQ1wP5h2awtvXs"
    "U3l6SrJVp4KzHhGMzreGPc1mVv0eNssdBLhDuBv693CYM+ype8Il9kr7q4c4C8OQNxjvgb"
    "ZypWuL7mv3FsCMMt/DZlWBqB5QllSQda4BNh4/7li8jobB1TaBWG0li4U2KY1GK6mxmSmo"
    "g6PigTdnyQH3ec6+2YQVfpLdMqu9sz6RsspjbSAR9xCMsxVBmGGFnL/SrcTwUSJcFII/GL"
    "sJl5yz+xZco/n+C9Hwd0BSsB20EU/gzGWfA07KJNF6tonfjwg8+Hj2bKz4pB+NfDs1GnaN"
    "VpOfwgh7PX2RxWP3Uo3NnU43edwng4VaVbMihO01fVS4TGAbYuhhYshH13THSLmjPYfTF4"
    "bWJy05nCPyZ3TAN3YEYiTk21tRPdxsOslnBk2HhW9MKW3pERSPdHjA0KdcWMf7aHaZuyhX"
    "RJfgTdauSWNfoE9R9PIds+BrXpPtkWtMIjcjm2s0c/Hbd9l12NZ9TSi0759SNN+5yG8tNK"
    "pIlA8Q2Fpnh4+o7hUVZySg/HmNR01r85638YNEBo8g3gD8hNQa3yolOU4kHpCW0joSmehq"
    "6VLslyoKB1Hj5pNmY2lMm9K+OAQV2NlpWP/Ffhv0kp6QF5qhWgWgGqUatc3QJUu7E3xNAX"
    "XaQqoZAgbCFoZavGy1ZZA78GHkeFoWfK4cRsb5LoiocXsoRV+bxQPNWDGmUS2EFdP7o+Mz"
    "VdorjUWdQ4TwPTqvpPiqCajNSTx1Qjpa2E2EwJMQJZCoXi4M045Q6Fbq6SBMjxLz8DVKW9"
    "L6OzoowCOZWfcQim4QFY1WJioiRNFq46NwzjUjLU7WjBltUJpaVrGMFgZYVyFZwUT1E+wz"
    "Pjb3ol4jXe9HLjNbAooTbIra6ixrCiafR4HjG+D93zHMoNd+qckEMyt6jOHAyUweVrkZkN"
    "qjxZI/S+uLRRPdCm8SEe0trn91YF/quTj8R0Y+HZ/nlIciEw+yIK/pjx5tgP2w7S2qh1OG"
    "VNrLH9bzx6znyKqXOoO+2iTdJmhGJk174tFjIdjz5l+h3RYZNyyEwd1aXScHnrgThdtOI+"
    "tnXhRR6GepHn3l7m4aUXCXVrM2yazbA1ZnVqMmY9dfTamRSSR2GgVifLtJWq1C20c8nqmp"
    "uoX8LqxQXfj5i2MCIdtmUDTx7I1sn3dNvfj8noun9x0z8bDS8vUMihKLQshG1kGAW29I7N"
    "7G8pixv+36aOa+zK2C2wykWTxWySaKamvCUNXTOz+J2RuATVk8pcjBHtRNqXSFod/6QM8/"
    "U1X8cbL8mexy3mhAd/pxQXociIISo1UZ4htM7WN8I0L29c0RKVmy6uUTJc2ibD2S3F02fy"
    "ogXq7zMlbDn5dI1Qs6OfncIx3/aZIHvE5I2dbW0520+V2RrOYoYtssdjhq0uofKGIunkyb"
    "shpdbWGzEDW0PXi7F+tIauFwP188xk8GRBn63d8Mn3qahGi/SVochpoMmQdPpRxWkEXSRz"
    "eUw3JZw8NVKthfdRLbxFE6MGPpc+C964eVBcc01MclaOZlnfCw4/lTvyVO2YUz/Qc6iuo0"
    "Ul71KURI0y1u1YLoTWhr0Du3S+DdvHXlPBalVMPGnKBt/BqxIbnZDXeNvPmx7mNejv/07o"
    "/n/Iwf5fZFaD/Vdk6BsP1Cf5aevJwnSnJMuWV1ejjxxg1954s10zngWa4A9qwSo6F5apZ1"
    "x4W+7um6x2HtGQeuFrvlWmGdIcE/z5jd98Gl4dE/z5jV/1PxwT+PGN/zKACvCjpHy8zRuJ"
    "ZyY3Z94s93abok0oTdtYnbxzLri6EdqN+x7IHrsHEQJKXHYrk7vNnDBJYJDD7ecT0vPDTd"
    "MrYL1NN0KNxVnnyQREE1YxCjlFuntjYh2wm4hi4BLRs6f2g64UvfnTepUpOsgZq27VCbQE"
    "6dedUuNYOnrlDZtmTBIheEVpQQLqjZvdtsmv9Yu8FGN56xd5MVC3fpFaF8kXl/xWBgH4lY"
    "Od6Vx13jc0kj3qX8coFpz4H0YEDCPbhLZAKU+HFjy9BefF5M+VAPpnlW5Uumkft8VUODJk"
    "TUWzxeUSP8IDAzhkDbSvCE+mr24cmgW+mOeaj/cRUN3SK9p8wU1emOtr9flmLR4abDYXLt"
    "7ecM10YcfdL7mVukW+KDOsrtlh/VLJ9yamDVojgDMH5jK0nVP/Ei2Hcd8yTjn5HunSPgz7"
    "712gmVt0yQyksRmMgSwzxXZekZmYj85N7Y5Jwyz+avMVN2aL7Ra4vHzEyro//OpN9n6o9J"
    "OWCWMb1rnEoCZTRg1mkz3ppuq9fQsLIwAizz/h8SeYr6BB5SytdTT6+B4YW91zok2pM60C"
    "dZKu0Zh/ZPfk5mN/v/f2KLhlHm8dFEZXHu+X7sexMJbHmI4UVrIlmYHIgwugoe4xBGYR/4"
    "szzIB1t144Co4OSwyCo8PcMYBFCS3Jpa7nVDAjhARNV47im9tP0qMMXfcFWXXTjxupJzHA"
    "M0COi9Kvre79KbNxbtT2ts2/gsNq5OZEVOXP8SRdLXdENcqp/fqgzB1KUCt3OsmyxPE8mO"
    "tZQgun9jLnbJ5PkcxKv3SZs3ssLpJCPl+exsyrwMfT4UX/+re98/4/fo7ZWD9fXvwa1I+a"
    "Tk9/Gw36rYOjJkR2zurN7ucmNLcW1Enax4G6jqCs3iGZCg/zpU9AWlRXcUPRCapm6qsMop"
    "RL3GGUQq1uoMEtCLMVzeiSjFHOyPZlbuMFz3gU+upsZdNynK7R8fqguqgLL+WVvIa81LB/"
    "NVR5s9yF8BUeRwLvOSyUZRMK0C4ZlSNmig1tiv25+Uk19OzxrLnpNc2L8anVpNzIflhrJ8"
    "uW6Bd1Cy2IkUoPmg0veXi9xk/OKuJkYouZvH0syG0H+scrkhenlIa4vmZrubcjmTUmM7K+"
    "NSo20qhYPX5+J+Lm0SbgB/r78V1dQoljUWcqU4xwwlUkWHoaOUSSwcop59PrbINDnY0Xas"
    "WHZaKHD/PDhw9T8cOB66dq0pok3YtO+2N41RkYpdmJpD9b4h1IJKYwNAZ9zVj78/mXpNuN"
    "AahcvVIfm6jEtMx37Kp8RTLbUY6DuAzVRlDkuu1H7D7vCEFI0mAbpOSfCx+hHDx4dbzKOR"
    "0IS3shR/0v8m+Ujy/cOf6l2lquoJYP/jGKaeTBGp9trQuqR/aEMzTgJWx11LJA+nOpVU0I"
    "i9M1WXVupDyWc8i6Og6Z5C0ca8NBjX/BBJ2xytnfYnRNBqBzRQ0DlUNvji5w6SBVh8K6mG"
    "dUno4Qi315HohMWMbOtE4DjQB3nfm1C3Oqcw06BchEZEqtyb6CJTjaBJhwHV6AKfPTUFYh"
    "bASEct+pejgqTtRkJJ8s3j66j1RlbyZty+X26NdL9oy2t7k2ZcdoM6w1zK3X5u2KLHb1XD"
    "Oas/LUwOH2stymeCwvhHtlC8PTWfZBiHStbgk/JmxgrjaPUpS5+TU4VG9yEpxSkd5mPLJE"
    "boVLuAjMYV0Zl7KYZniqN2moBsdl65FspEcS5FwnL2n7w8mHQupGB8EPQLj87ZjIX9/46P"
    "JS+3z59Zj4fyRnyhMkGXrGVyAc4AWCXPH+RDlWfDOI442lwUdV8MEge4nAiQyXQD1NNkNe"
    "bnXUVkdtddRWR33+EBToqK0StTUlKmvgt6aA2kwBT6Oj+kkbMvTSMJ1Dvi46D+uUuYERXm"
    "AQmWEUj3hiwOsdINclOubL4HhXGFYpvpt8/WYyNU+kxEL58a2i2ZglvlugaAaYlT5Q79dv"
    "tGKJoeEwmr+rafcJWv+eHT+eValN6Lw5AF/xAq/giIXK3YF2K9CMjBOiXi7zeJh4O70jl5"
    "ys6xDXa+SRD6tjFFwawPzQwaB+k+MGQfBYRfL54XuOupUyGfMXhHSn4VuzjSeOBbRBJ7ez"
    "InJPhbAY5dmYRqiSJ6aBbFsTc/Wk0l0ffl+DDEsgUi4dOalk/g+AQ1gwycTCIWNPZgew2Q"
    "QPUGIRZws1EzPwrrXlCge4Ly8/x0bB6TAJ85fz08H13ms5JKCS6bZWn7UEFoTykltLfx3a"
    "ESuQv2S2OWpfHPIZ9j/Z+5TJ42nUxT6zTX3ayVAX/ZJukbpIwzoPqYv5OD98YVAlte2l6G"
    "wbxsLla2O5CZTz9YH8DMqNUgnKs3j7GcZwUlXgsF/9GXJ3K8mG/BxNaQ7/9ebyIkd4CkmS"
    "u6epu+R/xDKdXbTiFzAXmVGsvCT1lMTehw2cZtnvH3Mz+/P/CG+s+A=="
)
