from django.db import migrations

from warden.geo.loading import load_iso3166


def load(apps, schema_editor):
    load_iso3166(apps=apps, using=schema_editor.connection.alias)


class Migration(migrations.Migration):

    dependencies = [
        ("geo", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(load, migrations.RunPython.noop, elidable=False),
    ]
