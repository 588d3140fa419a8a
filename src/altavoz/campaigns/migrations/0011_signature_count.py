# Issue 21: the count of a campaign's signatures, kept exact by the database in shares.

from django.db import migrations, models

# 16 shares at first (0012 lets PostgreSQL make more, so that nobody waits).

# PostgreSQL: one function for every change of a signature that can change what counts.
POSTGRESQL = """
CREATE FUNCTION campaigns_signature_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.confirmed_at IS NOT NULL
     AND (TG_OP = 'DELETE' OR NEW.confirmed_at IS NULL OR NEW.campaign_id <> OLD.campaign_id)
  THEN  -- rare (an organiser's or staff's change): the lowest share takes it
    UPDATE campaigns_signaturecount SET signatures = signatures - 1 WHERE id = (
      SELECT min(id) FROM campaigns_signaturecount WHERE campaign_id = OLD.campaign_id);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.confirmed_at IS NOT NULL
     AND (TG_OP = 'INSERT' OR OLD.confirmed_at IS NULL OR NEW.campaign_id <> OLD.campaign_id)
  THEN  -- every new signature that counts: a share at random, so signers rarely wait
    INSERT INTO campaigns_signaturecount (campaign_id, shard, signatures)
    VALUES (NEW.campaign_id, floor(random() * 16)::int, 1)
    ON CONFLICT (campaign_id, shard) DO UPDATE SET signatures = campaigns_signaturecount.signatures + 1;
  END IF;
  RETURN NULL;
END $$;
CREATE TRIGGER signature_counted
  AFTER INSERT OR DELETE OR UPDATE OF confirmed_at, campaign_id ON campaigns_signature
  FOR EACH ROW EXECUTE FUNCTION campaigns_signature_counted();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER signature_counted ON campaigns_signature;
DROP FUNCTION campaigns_signature_counted();
"""

# SQLite: the same rules as three triggers (no procedural code).
_ADD = """INSERT INTO campaigns_signaturecount (campaign_id, shard, signatures)
    SELECT NEW.campaign_id, random() & 15, 1 WHERE NEW.confirmed_at IS NOT NULL
    ON CONFLICT (campaign_id, shard) DO UPDATE SET signatures = signatures + 1;"""
_TAKE = """UPDATE campaigns_signaturecount SET signatures = signatures - 1 WHERE OLD.confirmed_at IS NOT NULL
    AND id = (SELECT min(id) FROM campaigns_signaturecount WHERE campaign_id = OLD.campaign_id);"""
SQLITE = [
    f"CREATE TRIGGER signature_counted_insert AFTER INSERT ON campaigns_signature BEGIN {_ADD} END",
    "CREATE TRIGGER signature_counted_delete AFTER DELETE ON campaigns_signature "
    f"BEGIN {_TAKE} END",
    "CREATE TRIGGER signature_counted_update AFTER UPDATE OF confirmed_at, campaign_id "
    "ON campaigns_signature WHEN (OLD.confirmed_at IS NULL) <> (NEW.confirmed_at IS NULL) "
    f"OR OLD.campaign_id <> NEW.campaign_id BEGIN {_TAKE} {_ADD} END",
]
SQLITE_REVERSE = [
    f"DROP TRIGGER signature_counted_{name}" for name in ("insert", "delete", "update")
]


def _run(schema_editor, statements) -> None:
    with schema_editor.connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def triggers_create(apps, schema_editor):
    """The triggers, then the count of the signatures already there (in share 0)."""
    vendor = schema_editor.connection.vendor
    _run(schema_editor, [POSTGRESQL] if vendor == "postgresql" else SQLITE)
    _run(
        schema_editor,
        [
            "INSERT INTO campaigns_signaturecount (campaign_id, shard, signatures) "
            "SELECT campaign_id, 0, count(*) FROM campaigns_signature "
            "WHERE confirmed_at IS NOT NULL GROUP BY campaign_id"
        ],
    )


def triggers_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    _run(schema_editor, [POSTGRESQL_REVERSE] if vendor == "postgresql" else SQLITE_REVERSE)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0010_at_large_sets")]

    operations = [
        migrations.CreateModel(
            name="SignatureCount",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("shard", models.PositiveSmallIntegerField()),
                ("signatures", models.BigIntegerField(default=0)),
                (
                    "campaign",
                    models.ForeignKey(
                        on_delete=models.deletion.CASCADE,
                        related_name="+",
                        to="campaigns.campaign",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("campaign", "shard"), name="signature_count_shard"
                    )
                ]
            },
        ),
        migrations.RunPython(triggers_create, triggers_drop),
    ]
