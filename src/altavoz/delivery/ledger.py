"""One finished try written with two plain statements: the delivery's UPDATE and its attempt's
INSERT, in one transaction.

The ORM compiled the same two statements again for every letter, most of a millisecond of
the worker's CPU each time. These are built once per database and set of columns, from the
models' own fields (column names and each value's conversion for the database), so they
write what ``QuerySet.update()`` and ``create()`` wrote (tests/test_delivery_outbox.py).
"""

from functools import lru_cache

from django.db import connection, transaction

from altavoz.delivery.models import Delivery, DeliveryAttempt


def _field(model, name: str):
    return model._meta.get_field(name)


def _quoted(model, name: str) -> tuple[str, str]:
    """The model's table and the field's column, quoted for this database."""
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), quote(_field(model, name).column)


@lru_cache(maxsize=64)
def _update_sql(vendor: str, names: tuple[str, ...]) -> str:
    table, tries = _quoted(Delivery, "attempts")
    sets = ", ".join(f"{_quoted(Delivery, n)[1]} = %s" for n in names)
    where = " AND ".join(f"{_quoted(Delivery, n)[1]} = %s" for n in ("id", "claimed_by"))
    # Only the models' own names are put into the text; every value is a parameter.
    return f"UPDATE {table} SET {tries} = {tries} + 1, {sets} WHERE {where}"  # noqa: S608


@lru_cache(maxsize=8)
def _insert_sql(vendor: str, names: tuple[str, ...]) -> str:
    table = _quoted(DeliveryAttempt, names[0])[0]
    columns = ", ".join(_quoted(DeliveryAttempt, n)[1] for n in names)
    marks = ", ".join(["%s"] * len(names))
    return f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608


def _values(model, values: dict) -> list:
    return [_field(model, n).get_db_prep_save(v, connection) for n, v in values.items()]


def record(*, delivery: Delivery, changes: dict, attempt: dict) -> None:
    """``attempts + 1`` and ``changes`` on the delivery while this worker still holds it (the
    same claim token), and the attempt row for it."""
    update = _update_sql(connection.vendor, tuple(changes))
    claim = _values(Delivery, {"id": delivery.pk, "claimed_by": delivery.claimed_by})
    attempt = {"delivery": delivery.pk, **attempt}
    insert = _insert_sql(connection.vendor, tuple(attempt))
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(update, _values(Delivery, changes) + claim)
        cursor.execute(insert, _values(DeliveryAttempt, attempt))
