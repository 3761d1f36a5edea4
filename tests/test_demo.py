"""`flask seed-demo`: a believable demo bank, loaded idempotently.

The demo is seeded once (tests/support/demo.py, the `demo_bank` fixture) and copied in for each
test; tests that must see the seed run on an empty database invoke the command themselves.
"""

import sqlalchemy as sa

from aoapp.auth.models import User
from aoapp.credit.models import Facility, Position
from aoapp.customers.models import Customer
from aoapp.extensions import db
from aoapp.introductions.models import Introduction
from aoapp.prospects.models import Prospect, ProspectStatus
from tests.support.demo import DEMO_PASSWORD

PAGE_SCRIPT = {"X-Requested-With": "XMLHttpRequest", "Sec-Fetch-Site": "same-origin"}


def _row_counts() -> dict[str, int]:
    db.session.expire_all()
    return {
        table.name: db.session.scalar(sa.select(sa.func.count()).select_from(table))
        for table in db.metadata.sorted_tables
    }


class TestSeedDemo:
    def test_running_twice_changes_nothing(self, runner, demo_bank):
        assert "prospects: 30 created, 0 already present" in demo_bank.output
        after_first = _row_counts()
        second = runner.invoke(args=["seed-demo"], env={"DEMO_PASSWORD": None})
        assert second.exit_code == 0, second.output
        assert _row_counts() == after_first
        assert "0 created" in second.stderr and "prospects: 0 created, 30 already" in second.stderr
        assert after_first["users"] == 5 and after_first["branches"] == 2
        assert after_first["products"] == 10

    def test_demo_logins_work_with_the_default_password(self, demo_bank, client, auth):
        assert auth.login("ao.budi", DEMO_PASSWORD).status_code == 302
        assert client.get("/profile").status_code == 200

    def test_demo_password_comes_from_the_environment(self, runner, auth, monkeypatch):
        from aoapp.demo.seed import Seeder

        steps = ("customers", "holdings", "prospects", "introductions", "campaigns", "debtors")
        for step in (*steps, "credit", "deposits", "followups", "targets", "reports"):
            monkeypatch.setattr(Seeder, step, lambda *args: {})  # only users matter here
        result = runner.invoke(args=["seed-demo"], env={"DEMO_PASSWORD": "another-secret-42"})
        assert result.exit_code == 0, result.output
        assert auth.login("spv.jkt", DEMO_PASSWORD).status_code == 401
        assert auth.login("spv.jkt", "another-secret-42").status_code == 302

    def test_a_short_demo_password_is_refused(self, runner):
        result = runner.invoke(args=["seed-demo"], env={"DEMO_PASSWORD": "short"})
        assert result.exit_code != 0
        assert "at least 10 characters" in result.output

    def test_the_demo_bank_has_every_role_and_pipeline_status(self, demo_bank):
        users = {u.username: u for u in db.session.scalars(sa.select(User))}
        assert users["admin"].is_admin
        assert [b.code for b in users["spv.jkt"].supervised] == ["JKT01"]
        assert {
            (u, users[u].branch.code, users[u].officer_code) for u in users if u[:3] == "ao."
        } == {
            ("ao.budi", "JKT01", "AO001"),
            ("ao.sari", "JKT01", "AO002"),
            ("ao.dewi", "BDG01", "AO101"),
        }
        for officer in ("ao.budi", "ao.sari", "ao.dewi"):
            statuses = set(
                db.session.scalars(
                    sa.select(Prospect.status).where(Prospect.owner_id == users[officer].id)
                )
            )
            assert statuses == set(ProspectStatus)
            customers = db.session.scalar(
                sa.select(sa.func.count()).where(Customer.officer_id == users[officer].id)
            )
            assert customers >= 6
        closed = db.session.scalars(
            sa.select(Prospect).where(Prospect.status.in_(["rejected", "lost"]))
        ).all()
        assert closed and all(p.lost_reason and p.history[-1].reason for p in closed)
        won = db.session.scalars(sa.select(Prospect).where(Prospect.status == "won")).all()
        assert all(p.customer is not None and len(p.history) == 5 for p in won)
        assert any(p.referrer_customer_id for p in won)
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Introduction)) > 0

    def test_demo_identity_numbers_are_valid(self, demo_bank):
        from aoapp.common.identity import normalize_nik, normalize_npwp, normalize_phone

        customers = db.session.scalars(sa.select(Customer)).all()
        assert len(customers) >= 150  # debtors of the listings are entered with the rest
        for customer in customers:
            assert customer.nik or customer.npwp
            if customer.nik:
                assert normalize_nik(customer.nik) == customer.nik
            if customer.npwp:
                assert normalize_npwp(customer.npwp) == customer.npwp
            assert normalize_phone(customer.phone) == customer.phone
        for prospect in db.session.scalars(sa.select(Prospect)):
            assert normalize_phone(prospect.phone) == prospect.phone
            if prospect.nik:
                assert normalize_nik(prospect.nik) == prospect.nik

    def test_refuses_a_production_database_without_the_flag(self, app, runner):
        app.config["PRODUCTION"] = True
        try:
            result = runner.invoke(args=["seed-demo"])
        finally:
            app.config["PRODUCTION"] = False
        assert result.exit_code != 0 and "production" in result.output
        assert _row_counts()["users"] == 0


class TestDemoPortfolio:
    def test_the_demo_portfolio_comes_from_twelve_imported_listings(self, runner, demo_bank):
        from aoapp.imports.models import PositionImport

        imports = db.session.scalars(sa.select(PositionImport)).all()
        assert len(imports) == 24 and {i.status for i in imports} == {"succeeded"}
        assert sorted(i.kind for i in imports) == ["deposits"] * 12 + ["loans"] * 12
        assert {i.source for i in imports} == {"demo"}
        dates = db.session.scalars(sa.select(Position.as_of).distinct()).all()
        assert len(dates) == 12
        kols = set(db.session.scalars(sa.select(Position.debtor_kol).distinct()))
        assert {1, 2} <= kols and kols & {3, 4, 5}  # a living portfolio, not all current
        again = runner.invoke(args=["seed-demo"], env={"DEMO_PASSWORD": None})
        assert again.exit_code == 0
        assert db.session.scalar(sa.select(sa.func.count()).select_from(PositionImport)) == 24

    def test_demo_numbers_have_the_banks_default_formats(self, demo_bank):
        """`make run` uses the bank's defaults: the listings import under them (the demo is
        seeded with them, tests/support/demo.py), and every CIF and account number the demo
        enters by hand has them too."""
        import re

        from aoapp.customers.models import ProductHolding
        from aoapp.funding.models import DepositAccount
        from config import Config

        defaults = Config()
        cifs = db.session.scalars(sa.select(Customer.cif)).all()
        accounts = db.session.scalars(sa.select(Facility.account_no)).all()
        accounts += db.session.scalars(sa.select(DepositAccount.account_no)).all()
        accounts += db.session.scalars(
            sa.select(ProductHolding.account_no).where(ProductHolding.account_no.is_not(None))
        ).all()
        assert len(cifs) >= 18 and accounts
        assert [c for c in cifs if not re.fullmatch(defaults.CIF_PATTERN, c)] == []
        assert [a for a in accounts if not re.fullmatch(defaults.ACCOUNT_PATTERN, a)] == []


class TestDemoReports:
    def test_last_months_reports_are_ready_for_the_demo_supervisor(
        self, app, demo_bank, client, auth
    ):
        from pathlib import Path

        from openpyxl import load_workbook

        from aoapp.auth.models import Branch
        from aoapp.common.dates import bank_today
        from aoapp.kpis.periods import last_complete_month
        from aoapp.reports.models import Report

        assert "customer reports:" in demo_bank.output and "portfolio reports:" in demo_bank.output
        period = last_complete_month(bank_today())
        reports = db.session.scalars(sa.select(Report)).all()
        assert {r.period for r in reports} == {period.code}
        customers = db.session.scalar(sa.select(sa.func.count()).select_from(Customer))
        assert sum(r.kind == "customer" for r in reports) == customers
        assert {r.scope for r in reports} == {"customer", "officer", "branch", "bank"}
        jkt = db.session.scalar(sa.select(Branch.id).where(Branch.code == "JKT01"))
        in_branch = [r for r in reports if r.branch_id == jkt]

        auth.login("spv.jkt", DEMO_PASSWORD)
        html = client.get(f"/reports/?period={period.code}&kind=portfolio").get_data(as_text=True)
        assert "Portfolio of branch JKT01" in html
        listed = client.get(f"/reports/?period={period.code}").get_data(as_text=True)
        assert f"{len(in_branch)} records" in listed
        branch = next(r for r in in_branch if r.scope == "branch")
        response = client.get(f"/reports/{branch.id}/download")
        assert response.status_code == 200
        path = Path(app.config["EXPORTS_DIR"]) / branch.path
        assert response.data == path.read_bytes()
        assert load_workbook(path, read_only=True).sheetnames[0] == "Summary"


class TestDemoCampaigns:
    def test_two_campaigns_with_tagged_prospects_and_introductions(
        self, runner, demo_bank, client, auth
    ):
        from aoapp.campaigns.models import Campaign

        assert "campaigns: 2 created" in demo_bank.output
        campaigns = {c.name: c for c in db.session.scalars(sa.select(Campaign))}
        assert set(campaigns) == {"Pameran UMKM Jakarta", "Promo KUR Digital"}
        fair, digital = campaigns["Pameran UMKM Jakarta"], campaigns["Promo KUR Digital"]
        assert (fair.channel, [b.code for b in fair.branches]) == ("event", ["JKT01"])
        assert [b.code for b in digital.branches] == ["BDG01", "JKT01"]
        assert fair.cost and digital.cost and fair.products and digital.products

        def tagged(model, campaign):
            return db.session.scalars(
                sa.select(model).where(model.campaign_id == campaign.id)
            ).all()

        fair_prospects = tagged(Prospect, fair)
        assert len(fair_prospects) == 8
        assert {p.status for p in fair_prospects} == {"contacted", "applied", "won", "lost"}
        assert len(tagged(Prospect, digital)) == 13 and len(tagged(Introduction, digital)) == 6
        # Every tag is a campaign of the owner's branch.
        for campaign in (fair, digital):
            branches = {b.id for b in campaign.branches}
            assert all(p.owner.branch_id in branches for p in tagged(Prospect, campaign))

        again = runner.invoke(args=["seed-demo"], env={"DEMO_PASSWORD": None})
        assert "campaigns: 0 created, 2 already present" in again.stderr
        assert "campaign tags: 0 created, 27 already present" in again.stderr

        auth.login("spv.jkt", DEMO_PASSWORD)
        page = client.get(f"/campaigns/{fair.id}").get_data(as_text=True)
        assert 'data-stat="converted_customers"' in page and "Pameran UMKM Jakarta" in page
        stats = client.get(f"/api/v1/campaigns/{fair.id}/stats", headers=PAGE_SCRIPT).get_json()
        assert (stats["prospects_collected"], stats["converted_customers"]) == (8, 2)
        assert stats["cost_per_converted_customer"] == "12500000.00"


class TestDemoTargets:
    def test_every_officer_has_targets_for_this_month_and_the_three_before(self, runner, demo_bank):
        from decimal import Decimal

        from aoapp.audit.models import AuditEntry
        from aoapp.targets.models import Target
        from aoapp.targets.services import add_months, current_month

        assert "targets: 12 created" in demo_bank.output
        now = current_month()
        months = {add_months(now, -n) for n in range(4)}
        rows = db.session.scalars(sa.select(Target)).all()
        by_officer: dict[str, set] = {}
        for row in rows:
            by_officer.setdefault(row.officer.username, set()).add(row.month)
        assert by_officer == dict.fromkeys(["ao.budi", "ao.sari", "ao.dewi"], months)
        sari = next(r for r in rows if r.officer.username == "ao.sari" and r.month == now)
        assert (sari.max_npl_ratio, sari.new_disbursement, sari.set_by.username) == (
            Decimal("0.0300"),
            Decimal("750000000.00"),
            "spv.jkt",
        )
        dewi = {r.set_by.username for r in rows if r.officer.username == "ao.dewi"}
        assert dewi == {"admin"}  # BDG01 has no supervisor in the demo
        assert all(r.new_customers and r.followups_done for r in rows)
        audited = sa.select(sa.func.count()).where(AuditEntry.entity_type == "target")
        assert db.session.scalar(audited) == 12
        again = runner.invoke(args=["seed-demo"], env={"DEMO_PASSWORD": None})
        assert "targets: 0 created, 12 already present" in again.stderr
