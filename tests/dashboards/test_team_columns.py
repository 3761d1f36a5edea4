"""The team table's column groups as the page renders them (dashboards/columns.py): every figure
column in exactly one group, the choice read from ?cols= and kept by the month and migration
forms, every column shown when nothing is chosen (the script picks the default)."""

import re

import pytest

from aoapp.dashboards.columns import GROUP_OF, GROUPS
from tests.support import dashboards as h
from tests.support.i18n import speak_indonesian

TEAM = f"/dashboard/team?period={h.PERIOD}"


@pytest.fixture
def team(client, auth, world):
    h.dashboard_book(world)
    auth.login("spv.jkt")

    def page(query: str = "") -> str:
        response = client.get(TEAM + query)
        assert response.status_code == 200
        return response.get_data(as_text=True)

    return page


def table_tag(html: str) -> str:
    return re.search(r'<table [^>]*id="team-table"[^>]*>', html).group(0)


class TestColumnGroups:
    def test_every_figure_column_is_in_exactly_one_group(self, team):
        html = team()
        head = re.findall(r'<th scope="col"[^>]*data-group="(\w+)" data-key="(\w+)"', html)
        cells = re.findall(
            r'<td class="text-end" data-group="(\w+)" data-label="[^"]*" data-key="(\w+)"', html
        )
        assert {key: group for group, key in head} == GROUP_OF
        assert {key: group for group, key in cells} == GROUP_OF
        assert len(head) == len(GROUP_OF)
        assert {group for group, _label in GROUPS} == set(GROUP_OF.values())

    def test_nothing_chosen_shows_every_column(self, team):
        tag = table_tag(team())
        assert "data-cols=" not in tag and 'data-default-cols="portfolio"' in tag

    def test_the_choice_is_in_the_url_and_kept_by_the_forms(self, team):
        html = team("&cols=collection")
        assert 'data-cols="collection"' in table_tag(html)
        chosen = re.findall(r'<a class="btn btn-outline-primary active" href="([^"]+)"', html)
        assert len(chosen) == 1 and "cols=collection" in chosen[0]
        month_links = re.findall(r'<a href="([^"]+)" rel="(?:prev|next)"', html)
        assert len(month_links) == 2 and all("cols=collection" in u for u in month_links)
        period_form = html.split('id="period-form"', 1)[1].split("</form>", 1)[0]
        assert '<input type="hidden" name="cols" value="collection">' in period_form
        migration_form = html.split('id="migration-form"', 1)[1].split("</form>", 1)[0]
        assert '<input type="hidden" name="cols" value="collection">' in migration_form
        # Each group button links to the same page with its group (for use without scripts).
        buttons = re.findall(r'href="([^"]+)#team-title" data-cols="(\w+)"', html)
        assert [group for _url, group in buttons] == [*(g for g, _label in GROUPS), "all"]
        assert all(f"cols={group}" in url and "period=" in url for url, group in buttons)

    def test_an_unknown_choice_is_ignored(self, team):
        assert "data-cols=" not in table_tag(team("&cols=everything"))

    def test_in_indonesian(self, team, auth):
        speak_indonesian(auth)
        nav = team().split('id="column-groups"', 1)[1].split("</div>", 1)[0]
        labels = re.findall(r'data-cols="\w+"[^>]*>([^<]+)</a>', nav)
        assert labels == ["Portofolio", "Aktivitas", "Penagihan", "Dana", "Target", "Semua kolom"]
