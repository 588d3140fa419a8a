"""Hand-written INSERT and UPDATE statements for the hot paths, built once per process.

The ORM compiles its SQL again on every call: on the spike's hot path (a signature's writes)
and the worker's (each letter's outcome) that was most of the CPU per row (bench/RESULTS.md).
These statements are built once per model, database and set of columns, from the models'
own fields: column names, and each value converted by its field as the ORM would. Only
names from the models go into the SQL text; every value is a parameter. PostgreSQL and
SQLite (3.35 and later) both have ``ON CONFLICT`` and ``RETURNING``. On PostgreSQL each
connection prepares them once (server-side binding; through a pooler, use one that keeps
prepared statements per server connection, such as PgBouncer 1.21 or later).
"""

from contextlib import contextmanager
from dataclasses import dataclass
from functools import cached_property, lru_cache

import psycopg
from django.db import connections, router


def _connection(model):
    return connections[router.db_for_write(model)]


@contextmanager
def _executed(connection, sql: str, params: list):
    """The cursor that ran ``sql``. On PostgreSQL it binds the values on the server, on the
    ORM's connection and in its transaction, so each statement here is parsed and planned
    once per connection (prepared) instead of once per row; its errors are Django's, as the
    ORM's are. While queries are being logged (DEBUG, a test capturing them), and on SQLite,
    the ORM's own cursor runs it, and logs it."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            yield cursor
        return
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with connection.wrap_database_errors, psycopg.Cursor(connection.connection) as cursor:
        cursor.execute(sql, params, prepare=True)
        yield cursor


def _prepared(model, connection, values: dict) -> list:
    """Each value as its field converts it for this database."""
    fields = model._meta
    return [fields.get_field(name).get_db_prep_save(v, connection) for name, v in values.items()]


@dataclass(frozen=True)
class Insert:
    """Insert a model instance, every column from its fields (defaults and ``auto_now``
    included, as ``save()`` would). With ``conflict``, a row already holding those columns'
    values gets the ``update`` (or is left alone when there is none)."""

    model: type
    conflict: tuple[str, ...] = ()  # the columns of a unique constraint
    # On conflict: these columns take the values sent...
    update: tuple[str, ...] = ()
    # ...and these get an SQL expression, in which EXCLUDED.<column> is the value sent and
    # {table}.<column> the stored one. Neither: DO NOTHING (and no row comes back).
    update_sql: tuple[tuple[str, str], ...] = ()
    returning: tuple[str, ...] = ()

    @cached_property
    def _fields(self) -> list:
        """Every concrete field but a database-generated key (an AutoField)."""
        return [f for f in self.model._meta.concrete_fields if not f.db_returning]

    def run(self, obj) -> tuple[dict | None, bool]:
        """Write ``obj``; return the ``returning`` columns as the database gives them (None
        when no row came back) and whether the row is new. The key is made here, so the
        row is new exactly when the key that comes back is the key that was sent."""
        connection = _connection(self.model)
        sql = _insert_sql(self, connection.vendor)
        params = [f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in self._fields]
        with _executed(connection, sql, params) as cursor:
            row = cursor.fetchone() if self.returning else ()
        if row is None:
            return None, False
        returned = dict(zip(self.returning, row, strict=True))
        pk = self.model._meta.pk
        sent = pk.get_db_prep_save(obj.pk, connection)
        return returned, pk.attname not in returned or returned[pk.attname] == sent


@lru_cache(maxsize=64)
def _insert_sql(insert: Insert, vendor: str) -> str:
    connection = _connection(insert.model)
    quote = connection.ops.quote_name
    table = quote(insert.model._meta.db_table)
    columns = ", ".join(quote(f.column) for f in insert._fields)
    marks = ", ".join(["%s"] * len(insert._fields))
    sql = f"INSERT INTO {table} ({columns}) VALUES ({marks})"  # noqa: S608
    if insert.conflict:
        changes = [f"{quote(c)} = EXCLUDED.{quote(c)}" for c in insert.update]
        changes += [
            f"{quote(c)} = {expression.format(table=table)}" for c, expression in insert.update_sql
        ]
        action = f"DO UPDATE SET {', '.join(changes)}" if changes else "DO NOTHING"
        sql += f" ON CONFLICT ({', '.join(quote(c) for c in insert.conflict)}) {action}"
    if insert.returning:
        sql += f" RETURNING {', '.join(quote(c) for c in insert.returning)}"
    return sql


@lru_cache(maxsize=64)
def _update_sql(model, vendor: str, names: tuple, where: tuple, add_one: tuple) -> str:
    connection, fields = _connection(model), model._meta
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        return quote(fields.get_field(name).column)

    sets = [f"{column(n)} = {column(n)} + 1" for n in add_one]
    sets += [f"{column(n)} = %s" for n in names]
    conditions = " AND ".join(f"{column(n)} = %s" for n in where)
    return f"UPDATE {quote(fields.db_table)} SET {', '.join(sets)} WHERE {conditions}"  # noqa: S608


def update(model, *, changes: dict, where: dict, add_one: tuple[str, ...] = ()) -> int:
    """``UPDATE`` the rows matching every ``where`` value: ``changes``, and one more in each
    ``add_one`` column. Returns how many rows changed."""
    connection = _connection(model)
    sql = _update_sql(model, connection.vendor, tuple(changes), tuple(where), add_one)
    params = _prepared(model, connection, changes) + _prepared(model, connection, where)
    with _executed(connection, sql, params) as cursor:
        return cursor.rowcount
