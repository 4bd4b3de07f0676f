# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one name rule (pick_named) and the one measure of a near name (close_names), for any resource."""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError
from ansible_collections.amove.click.plugins.module_utils._names import close_names, pick_named

GROUPS = [{'id': 'g1', 'name': 'Editors'}, {'id': 'g2', 'name': 'Viewers'}, {'id': 'g3', 'name': 'Finance'}]


def test_close_names_puts_a_case_only_variant_first_and_never_the_name_itself():
    assert close_names('editors', ['Viewers', 'Editor', 'EDITORS', 'editors']) == ['EDITORS', 'Editor']
    assert close_names('Launch', ['Editors', 'Finance']) == []


def test_close_names_gives_at_most_three():
    assert len(close_names('Drive', ['Drive1', 'Drive2', 'Drive3', 'Drive4'])) == 3


@pytest.mark.parametrize('state', ['present', 'absent'])
def test_a_case_only_variant_is_refused_with_its_id_in_both_states(state):
    with pytest.raises(ClickApiError) as caught:
        pick_named('user group', 'editors', GROUPS, state)
    assert "a user group named 'Editors' (id g1) already exists" in str(caught.value)


def test_twins_are_refused_with_their_ids():
    with pytest.raises(ClickApiError, match=r"2 live user groups are named 'Editors' \(ids g1, g4\)"):
        pick_named('user group', 'Editors', GROUPS + [{'id': 'g4', 'name': 'Editors'}], 'absent')


def test_an_absent_name_near_others_is_told_to_warn_and_picks_nothing():
    told = []
    assert pick_named('user group', 'Editrs', [], 'absent', near=lambda: GROUPS, warn=told.append) is None
    assert told == ["no live user group is named 'Editrs', so none was deleted; did you mean 'Editors'? "
                    '(names are matched exactly)']


def test_near_names_are_read_only_when_needed():
    def never():
        raise AssertionError('near() read although the name was found, or the state is present')

    assert pick_named('user group', 'Editors', GROUPS, 'absent', near=never, warn=[].append)['id'] == 'g1'
    assert pick_named('user group', 'Editrs', [], 'present', near=never, warn=[].append) is None


def test_a_far_absent_name_passes_silently():
    told = []
    assert pick_named('user group', 'Launch', [], 'absent', near=lambda: GROUPS, warn=told.append) is None
    assert told == []
