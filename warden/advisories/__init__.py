"""Level scales, advisory editions, statements and their review dates."""
