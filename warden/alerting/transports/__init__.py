"""Channel transports: one module per way of sending, behind ``base.Transport``.

``registry.providers(channel)`` turns the configured provider URLs into transports, in
failover order.
"""
