"""Drop the single-column indexes of roundmember.round and welfareevent.person (composite
indexes start with each), and all of the answer inbox's key indexes (a table of a few rows
read in id order). See ``warden.lib.migrations``."""

import django.db.models.deletion
from django.db import migrations, models

from warden.lib.migrations import drop_covered_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("alerting", "0003_drop_covered_indexes"),
        ("geo", "0002_load_iso3166"),
        ("people", "0002_enrolment"),
        ("welfare", "0006_round_message_stragglers"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="pendinganswer",
                    name="delivery",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="alerting.delivery",
                    ),
                ),
                migrations.AlterField(
                    model_name="pendinganswer",
                    name="left_to",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="geo.country",
                    ),
                ),
                migrations.AlterField(
                    model_name="pendinganswer",
                    name="message",
                    field=models.ForeignKey(
                        blank=True,
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="alerting.message",
                    ),
                ),
                migrations.AlterField(
                    model_name="pendinganswer",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
                migrations.AlterField(
                    model_name="roundmember",
                    name="round",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="members",
                        to="welfare.checkinround",
                    ),
                ),
                migrations.AlterField(
                    model_name="welfareevent",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="welfare_events",
                        to="people.person",
                    ),
                ),
            ],
            database_operations=[
                drop_covered_indexes(
                    "welfare",
                    {
                        "pendinganswer": ["delivery", "left_to", "message", "person"],
                        "roundmember": ["round"],
                        "welfareevent": ["person"],
                    },
                )
            ],
        )
    ]
