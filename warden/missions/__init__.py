"""Posts, staff and drawdown (placeholders until the missions capability)."""
