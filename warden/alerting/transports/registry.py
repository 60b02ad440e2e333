"""Which transports serve each channel, from the provider URLs in settings.

Each channel's providers are tried in order: the first whose circuit is closed
(``warden.alerting.health``) gets the batch. Provider names ("email1-smtp") are recorded on
deliveries and attempts, and key the shared rate buckets.
"""

from __future__ import annotations

import functools
from urllib.parse import urlsplit

from django.conf import settings

from warden.alerting.transports.base import Transport
from warden.alerting.transports.email import AnymailTransport, SmtpTransport
from warden.alerting.transports.push import PushTransport
from warden.alerting.transports.sandbox import SandboxTransport
from warden.alerting.transports.sms import AppriseTransport, GatewayTransport
from warden.alerting.transports.webhook import WebhookTransport
from warden.people.models import Channel

SANDBOX_SCHEMES = {"sandbox", "console", "locmem"}


class ProviderConfigError(ValueError):
    pass


def channel_urls() -> dict[str, list[str]]:
    push = ["webpush:"] if settings.WARDEN_WEBPUSH_PRIVATE_KEY else []
    return {
        Channel.EMAIL: list(settings.WARDEN_ALERT_EMAIL_URLS),
        Channel.SMS: list(settings.WARDEN_ALERT_SMS_URLS),
        Channel.MESSAGING: list(settings.WARDEN_ALERT_MESSAGING_URLS),
        Channel.WEBHOOK: list(settings.WARDEN_ALERT_WEBHOOK_URLS),
        Channel.PUSH: push,
    }


def build(channel: str, url: str, index: int) -> Transport:
    scheme = urlsplit(url).scheme.lower()
    options = {
        "name": f"{channel}{index}-{scheme}"[:40],
        "timeout": float(settings.WARDEN_ALERT_TIMEOUT_SECONDS),
        "concurrency": int(settings.WARDEN_ALERT_CONCURRENCY),
    }
    if scheme in SANDBOX_SCHEMES:
        transport: Transport = SandboxTransport(url, **options)
    elif channel == Channel.EMAIL and scheme in {"smtp", "smtps"}:
        transport = SmtpTransport(url, **options)
    elif channel == Channel.EMAIL and scheme == "anymail":
        transport = AnymailTransport(url, **options)
    elif channel == Channel.SMS and scheme in {"http", "https"}:
        transport = GatewayTransport(url, **options)
    elif channel == Channel.SMS:
        transport = AppriseTransport(url, **options)  # type: ignore[arg-type]
    elif channel == Channel.MESSAGING and scheme == "apprise":
        transport = AppriseTransport(url, per_person=True, **options)
    elif channel == Channel.WEBHOOK and scheme == "direct":
        transport = WebhookTransport(url, **options)
    elif channel == Channel.PUSH and scheme == "webpush":
        transport = PushTransport(url, **options)
    else:
        raise ProviderConfigError(f"{url.split('?')[0]!r} is not a provider for {channel}")
    transport.channel = channel
    return transport


# Every transport built since the last reset, so that all of them are closed: the settings
# they were built from may have changed since (the tests change them).
_built: list[Transport] = []


@functools.cache
def _providers(channel: str, urls: tuple[str, ...]) -> tuple[Transport, ...]:
    built = tuple(build(channel, url, index) for index, url in enumerate(urls, start=1))
    _built.extend(built)
    return built


def providers(channel: str) -> tuple[Transport, ...]:
    """The channel's transports in failover order (built once per process)."""
    return _providers(channel, tuple(channel_urls().get(channel, [])))


def enabled_channels() -> list[str]:
    return [channel for channel, urls in channel_urls().items() if urls]


def all_built() -> list[Transport]:
    """The transports built since the last ``reset``, whatever the settings are now."""
    return list(_built)


def reset() -> None:
    """Forget built transports (tests change settings; the sender closes them first)."""
    _providers.cache_clear()
    _built.clear()
