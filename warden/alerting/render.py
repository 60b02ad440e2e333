"""Rendering a message for each delivery: templates per kind, channel and language.

The templates (``alerting/<kind>/<part>`` falling back to ``alerting/<part>``) are rendered
once per message, language and channel, with markers where the person's name and their
answer links go; each delivery then only replaces the markers. Rendering a million
deliveries costs a million string replacements, not a million template renders.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.conf import settings
from django.template.loader import select_template
from django.utils import translation

from warden.alerting import sms
from warden.alerting.links import ANSWERS, TokenSigner, answer_url
from warden.alerting.models import Message
from warden.alerting.transports.base import Outgoing
from warden.geo.selectors import area_lookup
from warden.people.models import Channel

NAME = "\x00name\x00"
BODY = "\x00body\x00"
PAGE = "\x00page\x00"
LINKS = {answer: f"\x00{answer}\x00" for answer in ANSWERS}
# Stands for the token in answer URLs reversed once per renderer (letters only: reverse()
# leaves it, like every character of a token, unquoted).
SLOT = "wardenanswerslot"
# Stands for the token in the rendered parts (NUL appears in no URL and no message text).
LINK_ID = "\x00link\x00"
DELIVERY = "\x00delivery\x00"
# The markers as they stand in a JSON document (a NUL is written \u0000): a webhook's
# document is serialised once per language, and each delivery replaces these.
JSON_DELIVERY = json.dumps(DELIVERY)  # with its quotes: it stands for a number
JSON_NAME = json.dumps(NAME)[1:-1]
JSON_LINK_ID = json.dumps(LINK_ID)[1:-1]
PUSH_BODY_MAX = 180


@dataclass(frozen=True)
class Parts:
    subject: str
    text: str
    html: str
    # SMS: the text around the body, and the body to shorten into the segments left.
    sms_head: str = ""
    sms_body: str = ""
    sms_tail: str = ""


@dataclass(frozen=True)
class Compiled:
    """The parts for one recipient language and channel, answer URLs filled in but for
    ``LINK_ID``; ``url`` is the delivery's URL (the answer page, or the message's own)."""

    language: str
    subject: str
    text: str
    html: str
    sms_head: str
    sms_body: str
    sms_tail: str
    urls: dict[str | None, str]
    url: str
    # Webhooks: the JSON document, with the markers of a delivery's id, name and token.
    document: str = ""


class Recipient(NamedTuple):  # one per delivery: cheaper to build than a dataclass
    delivery_id: int
    channel: str
    language: str
    address: str
    name: str


def _template(kind: str, part: str) -> Any:
    return select_template([f"alerting/{kind}/{part}", f"alerting/{part}"])


class Renderer:
    """Renders one message; keeps what it rendered per (language, channel)."""

    def __init__(self, message: Message) -> None:
        self.message = message
        self.cache: dict[tuple[str, str], Parts] = {}
        self.urls: dict[str, dict[str | None, str]] = {}
        self.compiled_cache: dict[tuple[str, str], Compiled] = {}
        self.signer = TokenSigner()

    def language_for(self, language: str) -> str:
        texts = self.message.texts
        if language in texts:
            return language
        return settings.LANGUAGE_CODE if settings.LANGUAGE_CODE in texts else next(iter(texts))

    def place(self, language: str) -> str:
        area = area_lookup(self.message.area_code) if self.message.area_code else None
        if area is None and self.message.country is not None:
            area = self.message.country
        return area.local_name(language) if area is not None else ""

    def context(self, language: str, channel: str) -> dict[str, Any]:
        text = self.message.texts[language]
        return {
            "message": self.message,
            "kind": self.message.kind,
            "exercise": self.message.is_exercise,
            "correction": self.message.kind == Message.Kind.CORRECTION,
            "title": text["title"],
            "body": text["body"],
            "url": text.get("url", ""),
            "place": self.place(language),
            "name": NAME,
            "answers": self.message.answers,
            "links": LINKS,
            "page": PAGE,
            "channel": channel,
            "sms_body": BODY,
        }

    def parts(self, language: str, channel: str) -> Parts:
        key = (language, channel)
        if key not in self.cache:
            self.cache[key] = self._render(language, channel)
        return self.cache[key]

    def _render(self, language: str, channel: str) -> Parts:
        kind = self.message.kind
        with translation.override(language):
            context = self.context(language, channel)
            subject = " ".join(_template(kind, "subject.txt").render(context).split())
            if channel == Channel.SMS:
                whole = _template(kind, "sms.txt").render(context).strip()
                head, _, tail = whole.partition(BODY)
                body = context["body"]
                return Parts(subject, "", "", head, body, tail)
            if channel in (Channel.PUSH, Channel.MESSAGING):
                text = _template(kind, "short.txt").render(context).strip()
                return Parts(subject, text, "")
            text = _template(kind, "email.txt").render(context).strip() + "\n"
            page = ""
            if channel == Channel.EMAIL:
                page = _template(kind, "email.html").render(context)
            return Parts(subject, text, page)

    def url_templates(self, language: str) -> dict[str | None, str]:
        """The answer page (key None) and each answer's URL with ``LINK_ID`` for the token, in
        the message's ``language`` (its URL prefix): reversed once per language."""
        urls = self.urls.get(language)
        if urls is None:
            with translation.override(language):
                urls = self.urls[language] = {
                    answer: answer_url(SLOT, answer).replace(SLOT, LINK_ID)
                    for answer in (None, *ANSWERS)
                }
        return urls

    def answer_urls(self, token: str, language: str) -> dict[str | None, str]:
        """The answer page (key None) and each answer's URL for ``token``."""
        return {a: url.replace(LINK_ID, token) for a, url in self.url_templates(language).items()}

    def compiled(self, language: str, channel: str) -> Compiled:
        """The parts of (recipient language, channel) with the answer URLs in place, so that
        a delivery only substitutes its name and its token."""
        key = (language, channel)
        found = self.compiled_cache.get(key)
        if found is None:
            language = self.language_for(language)
            parts = self.parts(language, channel)
            urls = self.url_templates(language) if self.message.answers else {}

            def links(template: str) -> str:
                if not urls or not template:
                    return template
                template = template.replace(PAGE, urls[None])
                for answer, marker in LINKS.items():
                    template = template.replace(marker, urls[answer])
                return template

            subject = links(parts.subject)
            document = ""
            if channel == Channel.WEBHOOK:
                data = self.webhook_data(DELIVERY, language, subject, urls)
                document = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
            found = self.compiled_cache[key] = Compiled(
                language,
                subject,
                links(parts.text),
                links(parts.html),
                links(parts.sms_head),
                parts.sms_body,
                links(parts.sms_tail),
                urls,
                urls[None] if urls else self.message.texts[language].get("url", ""),
                document,
            )
        return found

    def outgoing(self, recipient: Recipient) -> Outgoing:
        c = self.compiled(recipient.language, recipient.channel)
        token = self.signer.sign(recipient.delivery_id) if c.urls else ""
        name = recipient.name or ""
        url = c.url.replace(LINK_ID, token) if token else c.url
        if recipient.channel == Channel.SMS:
            head = c.sms_head.replace(NAME, name).replace(LINK_ID, token)
            tail = c.sms_tail.replace(NAME, name).replace(LINK_ID, token)
            return Outgoing(
                recipient.delivery_id, self.message.pk, recipient.channel, recipient.address,
                c.language, subject=c.subject, text=sms.fit(head, c.sms_body, tail), url=url,
            )  # fmt: skip
        subject = c.subject.replace(NAME, name).replace(LINK_ID, token)
        if recipient.channel == Channel.WEBHOOK:
            body = (
                c.document.replace(JSON_DELIVERY, str(recipient.delivery_id))
                .replace(JSON_NAME, json.dumps(name, ensure_ascii=False)[1:-1])
                .replace(JSON_LINK_ID, token)
            )
            return Outgoing(
                recipient.delivery_id, self.message.pk, recipient.channel, recipient.address,
                c.language, subject=subject, url=url, body=body,
            )  # fmt: skip
        page = c.html
        if page:
            page = page.replace(NAME, html.escape(name)).replace(LINK_ID, token)
        return Outgoing(
            recipient.delivery_id,
            self.message.pk,
            recipient.channel,
            recipient.address,
            c.language,
            subject=subject,
            text=c.text.replace(NAME, name).replace(LINK_ID, token),
            html=page,
            url=url,
        )

    def webhook_data(
        self, delivery: int | str, language: str, title: str, urls: dict[str | None, str]
    ) -> dict[str, Any]:
        """The JSON posted to a webhook; ``title`` is the rendered subject, so an exercise
        or a correction says so there too."""
        text = self.message.texts[language]
        return {
            "type": "warden.message",
            "delivery": delivery,
            "message": self.message.pk,
            "kind": self.message.kind,
            "exercise": self.message.is_exercise,
            "corrects": self.message.corrects_id,
            "area": self.message.area_code,
            "language": language,
            "title": title,
            "body": text["body"],
            "url": text.get("url", ""),
            "answers": {answer: urls[answer] for answer in ANSWERS} if urls else {},
        }


def preview(message: Message, language: str, channel: str, *, name: str = "Dana") -> Outgoing:
    """The message as one person would get it (console preview; no delivery yet)."""
    return Renderer(message).outgoing(Recipient(0, channel, language, "", name))
