# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The engine converges a resource that is only declared: fields and routes, nothing else.

Widgets are no resource of the Click API: they stand for the next one. Everything
below (the name rule, check mode, diff, verified writes, lists) comes from the
engine, against the fake agent's ordered list of requests.
"""

from __future__ import annotations

import pytest

from ansible_collections.amove.click.plugins.module_utils._client import ClickApiClient
from ansible_collections.amove.click.plugins.module_utils._converge import converge_one, read_records
from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError
from ansible_collections.amove.click.plugins.module_utils._lists import converge_list, list_problems
from ansible_collections.amove.click.plugins.module_utils._names import Listing
from ansible_collections.amove.click.plugins.module_utils._listings import USER_LISTING
from ansible_collections.amove.click.plugins.module_utils._resource import Association, Field, Resource
from ansible_collections.amove.click.tests.unit.click_fake import BASE_URL, TOKEN, Expect, page

LIST = '/widget/get_all'
DETAILS = '/widget/get_all_with_details'
KNOB = '11111111-2222-4333-8444-000000000001'
DIAL = '11111111-2222-4333-8444-000000000002'


class Widgets(Resource):
    what = 'widget'
    label = 'widget'
    key = 'widget'
    plural = 'widgets'
    listing = Listing('widget', LIST)
    fields = (Field('name', 'name'), Field('colour', 'colour'), Field('size', 'size', 'int', minimum=1),
              Field('shape', 'shape', choices={'round': 1, 'square': 2}), Field('owner_id', 'ownerId', read_only=True))
    server_owned = ('ownerId',)
    insert_path = '/widget/insert'
    update_path = '/widget/update'
    delete_path = '/widget/delete'


WIDGETS = Widgets()


def widget(name='Knob', widget_id=KNOB, **fields):
    return dict({'id': widget_id, 'name': name, 'colour': 'red', 'size': 3, 'shape': 1, 'ownerId': 'o-1'}, **fields)


def named(name, *records, **answer):
    return Expect('GET', LIST, {'name': name}, answer=page(list(records)), **answer)


def everything(*records):
    return Expect('GET', LIST, {'page': 1}, answer=page(list(records)))


def client():
    return ClickApiClient(BASE_URL, token=TOKEN)


def converge(check_mode=False, diff=True, **params):
    return converge_one(WIDGETS, client(), dict(dict(name=None, id=None, state='present'), **params), check_mode, diff)


def test_the_declaration_gives_the_argument_spec_and_the_checks_of_input():
    spec = WIDGETS.selection_spec()
    assert sorted(spec) == ['colour', 'id', 'name', 'owner_id', 'shape', 'size', 'state']
    assert spec['shape'] == {'type': 'str', 'choices': ['round', 'square']}
    # The agent's own field is accepted and ignored, so that a record read can be given back as it is.
    assert spec['owner_id'] == {'type': 'raw'}
    assert WIDGETS.problems({'id': 'nope', 'size': 0}) == [
        "id must be a UUID such as 3f0c2a9e-8d1b-4c55-9a7e-2b6f1d0e4c11, got 'nope'", 'size must be at least 1, got 0']


def test_create_then_an_unchanged_rerun_costs_one_request(agent):
    agent.expect(named('Knob'),
                 Expect('POST', '/widget/insert', body={'name': 'Knob', 'colour': 'red', 'shape': 1}, answer=widget()))
    result = converge(name='Knob', colour='red', shape='round')
    assert result['changed'] is True and result['diff']['before'] == {}
    assert result['widget'] == {'id': KNOB, 'name': 'Knob', 'colour': 'red', 'size': 3, 'shape': 'round', 'owner_id': 'o-1'}
    agent.expect(named('Knob', widget(), widget('Knobs', DIAL)))
    made = len(agent.made)
    assert converge(name='Knob', colour='red', shape='round')['changed'] is False
    assert len(agent.made) == made + 1


def test_check_mode_predicts_and_only_reads(agent):
    agent.expect(named('Knob', widget()))
    result = converge(check_mode=True, name='Knob', colour='blue')
    assert result['changed'] is True
    assert (result['diff']['before']['colour'], result['diff']['after']['colour']) == ('red', 'blue')
    assert [made[0] for made in agent.made] == ['GET']


def test_rename_by_id_sends_the_record_whole_without_what_the_agent_owns(agent):
    agent.expect(everything(widget()),
                 Expect('PUT', '/widget/update', body={'id': KNOB, 'name': 'Handle', 'colour': 'red', 'size': 3, 'shape': 1},
                        answer=widget('Handle')))
    result = converge(id=KNOB.upper(), name='Handle')
    assert (result['diff']['before']['name'], result['widget']['name']) == ('Knob', 'Handle')


def test_a_name_differing_only_in_case_is_refused_with_the_id(agent):
    agent.expect(named('knob', widget()))
    with pytest.raises(ClickApiError, match="a widget named 'Knob' \\(id %s\\) already exists" % KNOB):
        converge(name='knob', colour='blue')
    assert agent.requests('POST') == []


def test_absent_on_a_near_name_warns_and_deletes_nothing(agent):
    agent.expect(everything(widget(), widget('Dial', DIAL)))
    result = converge(name='Knb', state='absent')
    assert result['changed'] is False
    assert result['warnings'] == ["no live widget is named 'Knb', so none was deleted; did you mean 'Knob'? "
                                  "(names are matched exactly)"]


def test_a_lost_insert_is_verified_by_a_read_and_adopted_not_repeated(agent):
    agent.expect(named('Knob'), Expect('POST', '/widget/insert', error=TimeoutError('timed out')), named('Knob', widget()))
    result = converge(name='Knob', colour='red')
    assert result['changed'] is True and result['widget']['id'] == KNOB
    assert len(agent.requests('POST')) == 1


def test_a_lost_delete_is_verified_and_adopted(agent):
    agent.expect(everything(widget()), Expect('DELETE', '/widget/delete', {'id': KNOB}, error=TimeoutError('timed out')),
                 everything())
    assert converge(name='Knob', state='absent')['changed'] is True


def test_a_list_converges_in_one_execution_from_one_listing(agent):
    agent.expect(everything(widget(), widget('Dial', DIAL, colour='green')),
                 Expect('PUT', '/widget/update', body={'id': DIAL, 'name': 'Dial', 'colour': 'blue', 'size': 3, 'shape': 1},
                        answer=widget('Dial', DIAL, colour='blue')),
                 Expect('POST', '/widget/insert', body={'name': 'Lever', 'size': 2}, answer=widget('Lever', 'l-1', size=2)),
                 Expect('DELETE', '/widget/delete', {'id': KNOB}))
    specs = [dict(name='Dial', colour='blue'), dict(name='Lever', size=2)]
    assert list_problems(WIDGETS, specs, 'widgets', purge=True) == []
    result = converge_list(WIDGETS, client(), specs, 'widgets', purge=True, diff=True)
    assert [(entry['name'], entry['action']) for entry in result['widgets']] == [
        ('Dial', 'updated'), ('Lever', 'created'), ('Knob', 'purged')]
    assert [diff['before_header'] for diff in result['diff']] == ['widget Dial', 'widget Lever', 'widget Knob']


class GuardedWidgets(Widgets):
    def before_delete(self, converger, current, spec):
        if current.get('colour') == 'red':
            raise ClickApiError('widget %r is red: repaint it first' % current['name'])


def test_a_purge_passes_the_checks_of_a_delete_before_any_write(agent):
    agent.expect(everything(widget(), widget('Dial', DIAL, colour='green'), widget('Lever', 'l-1', colour='blue')))
    with pytest.raises(ClickApiError) as refused:
        converge_list(GuardedWidgets(), client(), [dict(name='Dial', colour='blue')], 'widgets', purge=True)
    assert str(refused.value) == "purging 'Knob' (id %s): widget 'Knob' is red: repaint it first; nothing was changed" % KNOB
    assert [made[0] for made in agent.made] == ['GET']


class HoldingWidgets(Widgets):
    """A widget's users: an association the agent would keep after the widget's delete."""
    listing = Listing('widget', LIST, details=DETAILS)
    associations = (Association('users', 'usersData', 'user', 'permission', USER_LISTING, 'userId', 'widgetId',
                                path='/widget/users'),)
    kept_after_delete = ('users',)
    extra_options = dict(force=dict(type='bool', default=False))
    details_always = True


def held_widget():
    return widget(usersData=[{'user': {'username': 'ann@example.com'}, 'permission': {'id': 'j-1'}},
                             {'user': {'username': 'bo@example.com'}, 'permission': {'id': 'j-2'}}])


def test_what_the_agent_keeps_after_a_delete_is_refused_without_force_and_taken_back_with_it(agent):
    holding = HoldingWidgets()
    params = dict(name='Knob', id=None, state='absent', force=False)
    agent.expect(Expect('GET', DETAILS, {'page': 1}, answer=page([held_widget()])))
    with pytest.raises(ClickApiError) as refused:
        converge_one(holding, client(), params, False, False)
    assert str(refused.value) == (
        "widget 'Knob' still holds user 'ann@example.com', user 'bo@example.com'; the agent would keep them after the "
        "delete: remove them first, or set force to true to take them back and delete the widget")
    assert [made[0] for made in agent.made] == ['GET']
    agent.expect(Expect('GET', DETAILS, {'page': 1}, answer=page([held_widget()])),
                 Expect('DELETE', '/widget/users', {'id': 'j-1'}), Expect('DELETE', '/widget/users', {'id': 'j-2'}),
                 Expect('DELETE', '/widget/delete', {'id': KNOB}))
    assert converge_one(holding, client(), dict(params, force=True), False, False)['changed'] is True


def test_a_list_naming_one_record_twice_is_refused_before_any_request():
    assert list_problems(WIDGETS, [dict(name='Knob'), dict(name='KNOB')], 'widgets') == [
        "widgets[1] names the same widget as widgets[0] (name 'KNOB'); list each widget once"]


def test_the_way_back_reads_records_in_the_option_names(agent):
    agent.expect(named('Knob', widget(), widget('Knob', DIAL, deleted=True)))
    records, warnings = read_records(WIDGETS, client(), {'name': 'Knob'})
    assert [WIDGETS.to_options(record) for record in records] == [
        {'id': KNOB, 'name': 'Knob', 'colour': 'red', 'size': 3, 'shape': 'round', 'owner_id': 'o-1'}]
    assert warnings == []
