"""``warden demo``: the October 2023 scenario on a laptop (demo data, not real advice)."""
