"""The leases index is conditioned on the lease rather than the state, and a delivery has a
lease (until, by whom) exactly while it is being sent: recording a batch finds it by key,
whatever the statistics say of the state (decisions/0015)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("alerting", "0003_drop_covered_indexes"),
        ("people", "0002_enrolment"),
    ]

    operations = [
        # Rows that break the rule so far: deliveries cancelled while being sent kept their
        # worker's name (the cancellation cleared only the lease's time) and lose it, as a
        # cancellation now does; a delivery "sending" without a whole lease could never be
        # swept, and is queued again.
        migrations.RunSQL(
            [
                "UPDATE alerting_delivery SET lease_until = NULL, leased_by = '' "
                "WHERE state <> 'sending' AND (lease_until IS NOT NULL OR leased_by <> '')",
                "UPDATE alerting_delivery SET state = 'queued', lease_until = NULL, "
                "leased_by = '' WHERE state = 'sending' AND (lease_until IS NULL OR leased_by = '')",
            ],
            reverse_sql=migrations.RunSQL.noop,
        ),
        migrations.RemoveIndex(
            model_name="delivery",
            name="delivery_leases",
        ),
        migrations.AddIndex(
            model_name="delivery",
            index=models.Index(
                condition=models.Q(("lease_until__isnull", False)),
                fields=["lease_until"],
                name="delivery_leases",
            ),
        ),
        migrations.AddConstraint(
            model_name="delivery",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(
                        ("lease_until__isnull", False),
                        ("state", "sending"),
                        models.Q(("leased_by", ""), _negated=True),
                    ),
                    models.Q(
                        models.Q(("state", "sending"), _negated=True),
                        ("lease_until__isnull", True),
                        ("leased_by", ""),
                    ),
                    _connector="OR",
                ),
                name="delivery_leased_while_sending",
            ),
        ),
    ]
