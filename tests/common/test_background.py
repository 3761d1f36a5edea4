"""Work started in the background (common/background.py): its own thread, session and
connection, the caller's language, its error raised where the caller waits."""

import threading

import pytest
import sqlalchemy as sa
from flask_babel import force_locale
from flask_babel import gettext as _

from aoapp.auth.models import User
from aoapp.common.background import started
from aoapp.extensions import db


class TestStarted:
    def test_runs_in_another_thread_with_its_own_session(self, world):
        here = threading.get_ident(), id(db.session())

        def work():
            count = db.session.scalar(sa.select(sa.func.count()).select_from(User))
            return threading.get_ident(), id(db.session()), count

        thread, session, count = started(work)()
        assert thread != here[0] and session != here[1]
        assert count == db.session.scalar(sa.select(sa.func.count()).select_from(User)) > 0

    def test_speaks_the_callers_language(self, app):
        with force_locale("id"):
            said = started(lambda: _("Summary"))()
        with force_locale("en"):
            said_en = started(lambda: _("Summary"))()
        assert (said, said_en) == ("Ringkasan", "Summary")

    def test_its_error_is_raised_where_the_caller_waits(self, app):
        def work():
            raise LookupError("no listing")

        result = started(work)  # starting does not raise
        with pytest.raises(LookupError, match="no listing"):
            result()

    def test_waiting_twice_gives_the_same_result(self, app):
        calls = []
        result = started(lambda: calls.append(1) or len(calls))
        assert result() == result() == 1
