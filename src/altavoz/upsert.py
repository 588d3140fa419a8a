"""One row inserted or updated by one hand-written ``INSERT ... ON CONFLICT`` statement.

A signature is the spike's hot path. Through the ORM (``bulk_create(update_conflicts=True)``
then ``get()`` to learn the row) each of its writes costs a query compilation per request,
which measured as most of a signature's CPU time (bench/RESULTS.md). An ``Upsert`` builds its
SQL once per process; the database tells in the same statement which row it kept.
PostgreSQL and SQLite (3.35 and later) both have ``ON CONFLICT`` and ``RETURNING``.

Whether the row is new: the caller generates the primary key, so the row is new exactly
when the key that comes back is the key that was sent (``Upsert.run`` reports it).
"""

from dataclasses import dataclass
from functools import cached_property

from django.db import connections, router


@dataclass(frozen=True)
class Upsert:
    model: type
    columns: tuple[str, ...]  # attnames, e.g. "organisation_id"
    conflict: tuple[str, ...]  # the columns of a unique constraint
    # On conflict: these columns take the values sent...
    update: tuple[str, ...] = ()
    # ...and these get an SQL expression, in which EXCLUDED.<column> is the value sent and
    # {table}.<column> the stored one. Neither: DO NOTHING (and no row comes back).
    update_sql: tuple[tuple[str, str], ...] = ()
    returning: tuple[str, ...] = ("id",)

    @cached_property
    def _fields(self) -> list:
        by_attname = {f.attname: f for f in self.model._meta.concrete_fields}
        return [by_attname[column] for column in self.columns]

    def _sql(self, connection) -> str:
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        changes = [f"{quote(c)} = EXCLUDED.{quote(c)}" for c in self.update]
        changes += [f"{quote(c)} = {sql.format(table=table)}" for c, sql in self.update_sql]
        action = f"DO UPDATE SET {', '.join(changes)}" if changes else "DO NOTHING"
        # Names come from the model and are quoted; every value is a parameter.
        return (
            f"INSERT INTO {table} ({', '.join(quote(c) for c in self.columns)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(self.columns))}) "
            f"ON CONFLICT ({', '.join(quote(c) for c in self.conflict)}) {action} "
            f"RETURNING {', '.join(quote(c) for c in self.returning)}"
        )

    @cached_property
    def _sql_by_vendor(self) -> dict:
        return {}

    def run(self, values: dict) -> tuple[dict | None, bool]:
        """Insert ``values`` (one per column) or apply the update; return the ``returning``
        columns as the database gives them (None when nothing came back) and whether the
        row is new (its primary key is the one sent)."""
        connection = connections[router.db_for_write(self.model)]
        sql = self._sql_by_vendor.get(connection.vendor)
        if sql is None:
            sql = self._sql_by_vendor[connection.vendor] = self._sql(connection)
        params = [f.get_db_prep_save(values[f.attname], connection) for f in self._fields]
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            row = cursor.fetchone()
        if row is None:
            return None, False
        returned = dict(zip(self.returning, row, strict=True))
        pk = self.model._meta.pk
        sent = params[self.columns.index(pk.attname)] if pk.attname in self.columns else None
        return returned, sent is not None and returned.get(pk.attname) == sent
