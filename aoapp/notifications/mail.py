"""The digest as an e-mail (HTML and plain text, in the reader's language), sent through the
bank's SMTP server with the standard library: MAIL_SERVER, MAIL_PORT, MAIL_USE_TLS (STARTTLS),
MAIL_USE_SSL, MAIL_USERNAME, MAIL_PASSWORD and MAIL_FROM, the names Flask-Mail reads.

Without MAIL_SERVER, mail is off: digests are shown in the application only.
"""

import smtplib
import ssl
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid, parseaddr
from urllib.parse import urlsplit

from babel.dates import format_date as babel_date
from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from werkzeug.routing import BuildError

from aoapp.common.dates import utcnow
from aoapp.notifications.digest import Digest

TEXT_TEMPLATE = "notifications/email/digest_text.html"
HTML_TEMPLATE = "notifications/email/digest.html"


class MailError(Exception):
    """The mail server could not be reached, or refused the message."""


def mail_enabled() -> bool:
    """Whether digests are e-mailed (MAIL_SERVER is set)."""
    return bool(current_app.config.get("MAIL_SERVER"))


def absolute_url(endpoint: str | None, **values) -> str | None:
    """The page's address under APP_URL for a link in an e-mail; None without APP_URL."""
    base = current_app.config.get("APP_URL")
    if not base or not endpoint:
        return None
    parts = urlsplit(base)
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "https"
    )
    try:
        return adapter.build(endpoint, values, force_external=True)
    except BuildError:
        return None


def long_day(digest: Digest) -> str:
    """`Senin, 7 Desember 2026` / `Monday, 7 December 2026`."""
    return babel_date(digest.day, "EEEE, d MMMM y", locale=digest.language)


def _render(name: str, **context) -> str:
    # The app's environment without its context processors: they read the request's user,
    # and a digest is made for someone else, mostly without any request.
    return current_app.jinja_env.get_template(name).render(**context)


def digest_message(digest: Digest, recipient: str) -> EmailMessage:
    """The digest for `recipient`: multipart/alternative, plain text first, then HTML."""
    with force_locale(digest.language):
        subject = _("aoapp daily digest — %(day)s", day=long_day(digest))
        context = {
            "digest": digest,
            "day": long_day(digest),
            "link": absolute_url,
            "bank_name": current_app.config.get("BANK_NAME", ""),
        }
        text = _render(TEXT_TEMPLATE, **context)
        html = _render(HTML_TEMPLATE, **context)
    sender = current_app.config["MAIL_FROM"]
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = recipient
    message["Date"] = format_datetime(utcnow())
    domain = parseaddr(sender)[1].rpartition("@")[2] or "localhost"
    message["Message-ID"] = make_msgid("digest", domain=domain)
    message["Auto-Submitted"] = "auto-generated"  # RFC 3834: no auto-replies to it
    message.set_content(text)
    message.add_alternative(html, subtype="html")
    message["Content-Language"] = digest.language  # after the parts: set_content clears it
    return message


def send(message: EmailMessage) -> None:
    """Hand the message to the mail server (one connection); MailError when that fails."""
    config = current_app.config
    host, port, timeout = config["MAIL_SERVER"], config["MAIL_PORT"], config["MAIL_TIMEOUT"]
    try:
        if config.get("MAIL_USE_SSL"):
            smtp = smtplib.SMTP_SSL(
                host, port, timeout=timeout, context=ssl.create_default_context()
            )
        else:
            smtp = smtplib.SMTP(host, port, timeout=timeout)
        with smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls(context=ssl.create_default_context())
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config.get("MAIL_PASSWORD") or "")
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException) as error:
        raise MailError(f"{type(error).__name__}: {error}") from error
