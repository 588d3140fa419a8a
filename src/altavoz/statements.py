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

from django.db import connections, router


def _connection(model):
    return connections[router.db_for_write(model)]


@contextmanager
def _executed(connection, sql: str, params: list):
    """The cursor that ran ``sql``. On PostgreSQL it binds the values on the server, on the
    ORM's connection and in its transaction, so each statement here is parsed and planned
    once per connection (prepared) instead of once per row; its errors are Django's, as the
    ORM's are. While queries are being logged (DEBUG, a test capturing them), and on SQLite,
    the ORM's own cursor runs it, and logs it. The driver is the connection's own module
    (``connection.Database``, psycopg): not imported here, so a process on SQLite (a worker,
    a test) never loads it (64 ms of start-up and megabytes, bench/RESULTS.md)."""
    if connection.vendor != "postgresql" or connection.queries_logged:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            yield cursor
        return
    connection.ensure_connection()
    connection.validate_no_broken_transaction()
    with (
        connection.wrap_database_errors,
        connection.Database.Cursor(connection.connection) as cursor,
    ):
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
    # A foreign key: the row is written only while the row it names exists (one deleted a
    # moment ago, by another process, is not named: nothing fails at commit on it).
    only_while: str = ""

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
        if self.only_while:
            key = self.model._meta.get_field(self.only_while)
            params.append(key.get_db_prep_save(getattr(obj, key.attname), connection))
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
    marks = ", ".join(["%s"] * len(insert._fields))
    if not insert.only_while:
        return f"{_insert_into(insert)} VALUES ({marks}){_on_conflict(insert)}"
    # INSERT ... SELECT <values> WHERE EXISTS (the row named): in a SELECT, PostgreSQL
    # needs each value cast to its column's type (a VALUES list takes it from the columns).
    connection = _connection(insert.model)
    quote = connection.ops.quote_name
    if vendor == "postgresql":
        marks = _typed_marks(insert._fields, connection)
    named = insert.model._meta.get_field(insert.only_while).related_model._meta
    exists = f"SELECT 1 FROM {quote(named.db_table)} WHERE {quote(named.pk.column)} = %s"  # noqa: S608
    return f"{_insert_into(insert)} SELECT {marks} WHERE EXISTS ({exists}){_on_conflict(insert)}"


def _typed_marks(fields, connection) -> str:
    """A parameter per field, each cast to its column's type, so that PostgreSQL knows every
    parameter's type wherever it stands (a SELECT list, a VALUES list joined to others)."""
    return ", ".join(f"%s::{f.db_type(connection)}" for f in fields)


def _insert_into(insert: Insert) -> str:
    """INSERT INTO table (every column of the insert's fields)."""
    quote = _connection(insert.model).ops.quote_name
    columns = ", ".join(quote(f.column) for f in insert._fields)
    return f"INSERT INTO {quote(insert.model._meta.db_table)} ({columns})"


def _on_conflict(insert: Insert) -> str:
    """What follows the rows: ON CONFLICT ... and RETURNING ..., as the insert asks."""
    quote = _connection(insert.model).ops.quote_name
    table = quote(insert.model._meta.db_table)
    sql = ""
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


@dataclass(frozen=True)
class Chain:
    """Inserts that each take the key of the row the one before wrote (a person, their
    signature, its letters). On PostgreSQL they are one statement (data-modifying common
    table expressions): one round trip, atomic on its own, so a caller with nothing else to
    write needs no transaction around it. Elsewhere they run one after the other (call it
    inside a transaction there). A step whose row was left alone (a conflict with no update)
    gives the steps after it nothing to write."""

    steps: tuple[Insert, ...]
    links: tuple[str, ...]  # per step after the first: its column that takes the key before

    def in_one_statement(self) -> bool:
        """Whether ``run`` is one statement here (atomic without a transaction)."""
        return _connection(self.steps[0].model).vendor == "postgresql"

    def run(self, rows: list[list]) -> list[list[tuple[dict, bool]]]:
        """Write ``rows`` (per step, its model instances: one for every step but the last).
        Returns, per step, what each row written returned (its ``returning`` columns, as
        Python values) and whether it is new, as ``Insert.run`` tells it."""
        if not self.in_one_statement():
            return self._one_by_one(rows)
        connection = _connection(self.steps[0].model)
        counts = tuple(len(step_rows) for step_rows in rows)
        sql = _chain_sql(self, counts)
        params = []
        for n, step_rows in enumerate(rows):
            fields = self._valued(n)
            for obj in step_rows:
                params += [
                    f.get_db_prep_save(f.pre_save(obj, add=True), connection) for f in fields
                ]
        with _executed(connection, sql, params) as cursor:
            written = list(cursor.fetchone())
        written += [None] * (len(self.steps) - len(written))  # the steps with no rows to write
        return [
            [
                self._returned(insert, dict(zip(insert.returning, values, strict=True)), step_rows)
                for values in (rows_back or [])
            ]
            for insert, step_rows, rows_back in zip(self.steps, rows, written, strict=True)
        ]

    def _valued(self, n: int) -> list:
        """Step ``n``'s fields that take a value sent (all but its link to the step before)."""
        link = self.links[n - 1] if n else None
        return [f for f in self.steps[n]._fields if f.attname != link]

    @staticmethod
    def _returned(insert: Insert, returned: dict, sent: list) -> tuple[dict, bool]:
        """A row's returned columns as Python values (whatever form the database gave them
        in), and whether it is one of the rows sent (new)."""
        fields = insert.model._meta
        returned = {name: fields.get_field(name).to_python(v) for name, v in returned.items()}
        pk = fields.pk.attname
        return returned, pk not in returned or any(returned[pk] == obj.pk for obj in sent)

    def _one_by_one(self, rows: list[list]) -> list[list[tuple[dict, bool]]]:
        written: list[list[tuple[dict, bool]]] = []
        key = None
        for n, (insert, step_rows) in enumerate(zip(self.steps, rows, strict=True)):
            if n and key is None:
                written.append([])
                continue
            done = []
            for obj in step_rows:
                if n:
                    setattr(obj, self.links[n - 1], key)
                returned, _ = insert.run(obj)
                if returned is not None:
                    done.append(self._returned(insert, returned, [obj]))
            written.append(done)
            key = next(iter(done[0][0].values())) if len(done) == 1 else None
        return written


@lru_cache(maxsize=64)
def _chain_sql(chain: Chain, counts: tuple[int, ...]) -> str:
    """WITH s0 AS (INSERT ... VALUES ... RETURNING ...), s1 AS (INSERT ... SELECT v.*, s0.key
    FROM s0, (VALUES ...) AS v ... RETURNING ...), ... SELECT each step's rows as JSON.
    Each value is cast to its column's type, so the server knows every parameter's type."""
    connection = _connection(chain.steps[0].model)
    quote = connection.ops.quote_name
    parts, results = [], []
    for n, (insert, count) in enumerate(zip(chain.steps, counts, strict=True)):
        if not count:
            break
        link = chain.links[n - 1] if n else None
        valued = chain._valued(n)
        marks = _typed_marks(valued, connection)
        values = ", ".join([f"({marks})"] * count)
        if n:
            names = [f"v{i}" for i in range(len(valued))]
            before = chain.steps[n - 1].returning[0]
            picked = iter(names)
            selected = ", ".join(
                f"s{n - 1}.{quote(before)}" if f.attname == link else f"v.{next(picked)}"
                for f in insert._fields
            )
            aliases = ", ".join(names)
            source = f"SELECT {selected} FROM s{n - 1}, (VALUES {values}) AS v({aliases})"  # noqa: S608
        else:
            source = f"VALUES {values}"
        parts.append(f"s{n} AS ({_insert_into(insert)} {source}{_on_conflict(insert)})")
        returned = ", ".join(f"s{n}.{quote(c)}" for c in insert.returning)
        results.append(f"(SELECT json_agg(json_build_array({returned})) FROM s{n})")  # noqa: S608
    return f"WITH {', '.join(parts)} SELECT {', '.join(results)}"
