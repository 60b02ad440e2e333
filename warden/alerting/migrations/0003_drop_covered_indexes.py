"""Drop the single-column indexes of delivery.message, delivery.person and attempt.delivery:
composite indexes start with each of them (see ``warden.lib.migrations``)."""

import django.db.models.deletion
from django.db import migrations, models

from warden.lib.migrations import drop_covered_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("alerting", "0002_contact_preference"),
        ("people", "0002_enrolment"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="attempt",
                    name="delivery",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="attempt_set",
                        to="alerting.delivery",
                    ),
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="message",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="deliveries",
                        to="alerting.message",
                    ),
                ),
                migrations.AlterField(
                    model_name="delivery",
                    name="person",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.person",
                    ),
                ),
            ],
            database_operations=[
                drop_covered_indexes(
                    "alerting", {"attempt": ["delivery"], "delivery": ["message", "person"]}
                )
            ],
        )
    ]
