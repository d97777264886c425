"""A memo out by mail, with no mail server: a ready-to-send message (.eml) with its To,
Subject, a short body and the memo attached, which Outlook opens as a draft to send (the
X-Unsent header) and Thunderbird and Apple Mail open as a message to send on."""

from __future__ import annotations

from collections.abc import Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from statdesk.reporting.ics import Attachment, Invitee


def draft(
    to: Sequence[Invitee],
    subject: str,
    body: str,
    attachments: Sequence[Attachment],
    sender: Invitee | None = None,
    cc: Sequence[Invitee] = (),
) -> bytes:
    message = EmailMessage()
    message["X-Unsent"] = "1"  # Outlook opens it as a draft, ready to send
    message["Subject"] = subject
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain="statdesk.invalid")
    if sender is not None:
        message["From"] = _address(sender)
    if to:
        message["To"] = [_address(person) for person in to]
    if cc:
        message["Cc"] = [_address(person) for person in cc]
    message.set_content(body)
    for attachment in attachments:
        main, _, sub = attachment.media_type.partition("/")
        message.add_attachment(
            attachment.data, maintype=main, subtype=sub, filename=attachment.filename
        )
    return bytes(message)


def _address(person: Invitee) -> Address:
    user, _, domain = person.email.partition("@")
    return Address(display_name=person.name, username=user, domain=domain)
