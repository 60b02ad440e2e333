"""Two fewer index entries for each delivery row version: the unique constraint is led by
the contact point, so it is that key's index as well (the single-column one is dropped
without rebuilding the table, ``drop_covered_indexes``), and the provider reference index
keeps only email's rows, the only ones a receipt looks up by that reference."""

import django.db.models.deletion
from django.db import migrations, models

from warden.lib.migrations import drop_covered_indexes


class Migration(migrations.Migration):
    dependencies = [
        ("alerting", "0004_lease_index_on_the_lease"),
        ("people", "0002_enrolment"),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name="delivery",
            name="delivery_unique_per_contact",
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.UniqueConstraint(
                fields=("contact_point", "message"), name="delivery_unique_per_contact"
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="delivery",
                    name="contact_point",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="people.contactpoint",
                    ),
                ),
            ],
            database_operations=[drop_covered_indexes("alerting", {"delivery": ["contact_point"]})],
        ),
        migrations.RemoveIndex(
            model_name="delivery",
            name="delivery_ref",
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(
                    ("channel", "email"), models.Q(("provider_ref", ""), _negated=True)
                ),
                fields=["provider_ref"],
                name="delivery_ref",
            ),
        ),
    ]
