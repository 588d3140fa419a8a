# Issue 21: a signature never waits for another's share of the count (PostgreSQL).
#
# 0011 added one to a share picked at random: two signatures in flight at once picked the
# same share one time in sixteen, and the second then waited for the first to commit. Now
# a share another transaction holds is skipped (SKIP LOCKED), and when every share of the
# campaign is held a new one is made (numbered at random among 32,768): a campaign has about
# as many shares as signatures ever in flight at once, and nobody waits.

from django.db import migrations

NEVER_WAITS = """
CREATE OR REPLACE FUNCTION campaigns_signature_counted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP <> 'INSERT' AND OLD.confirmed_at IS NOT NULL
     AND (TG_OP = 'DELETE' OR NEW.confirmed_at IS NULL OR NEW.campaign_id <> OLD.campaign_id)
  THEN  -- rare (an organiser's or staff's change): the lowest share takes it
    UPDATE campaigns_signaturecount SET signatures = signatures - 1 WHERE id = (
      SELECT min(id) FROM campaigns_signaturecount WHERE campaign_id = OLD.campaign_id);
  END IF;
  IF TG_OP <> 'DELETE' AND NEW.confirmed_at IS NOT NULL
     AND (TG_OP = 'INSERT' OR OLD.confirmed_at IS NULL OR NEW.campaign_id <> OLD.campaign_id)
  THEN  -- every new signature that counts: a share nobody else holds now
    UPDATE campaigns_signaturecount SET signatures = signatures + 1 WHERE id = (
      SELECT id FROM campaigns_signaturecount WHERE campaign_id = NEW.campaign_id
      ORDER BY random() LIMIT 1 FOR UPDATE SKIP LOCKED);
    IF NOT FOUND THEN
      INSERT INTO campaigns_signaturecount (campaign_id, shard, signatures)
      VALUES (NEW.campaign_id, floor(random() * 32768)::int, 1)
      ON CONFLICT (campaign_id, shard) DO UPDATE
        SET signatures = campaigns_signaturecount.signatures + 1;
    END IF;
  END IF;
  RETURN NULL;
END $$;
"""


def never_waits(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(NEVER_WAITS)


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0011_signature_count")]

    operations = [migrations.RunPython(never_waits, migrations.RunPython.noop)]
