# Issue 21: the count's shares stay small under a spike (PostgreSQL).
#
# Each signature adds a new version of one share's row; until a vacuum, the old versions
# stay, and every signature's pick of a share reads past them (bench/load.py at 300/s left
# 2,600 dead versions of 16 rows). With pages filled to 10% at most, PostgreSQL prunes a
# page's dead versions whenever a signature reads it, so the shares stay a few pages.

from django.db import migrations


def pages_kept_sparse(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("ALTER TABLE campaigns_signaturecount SET (fillfactor = 10)")


class Migration(migrations.Migration):
    dependencies = [("campaigns", "0016_call_action")]

    operations = [migrations.RunPython(pages_kept_sparse, migrations.RunPython.noop)]
