# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

from __future__ import annotations

import urllib.error

import pytest

from ansible_collections.amove.click.plugins.module_utils import _desktop_drive
from ansible_collections.amove.click.plugins.modules import agent as agent_module
from ansible_collections.amove.click.plugins.modules import desktop_drive, desktop_drive_info
from ansible_collections.amove.click.tests.unit.click_fake import CLOUD_ID, DRIVE_ID, Expect, run

LOCAL = '/management/clouddrive'
CACHE = '/management/clouddrive_change_cache'
FREE = '/management/list_available_drives'
OWN_ID = '11111111-2222-4333-8444-555555555555'


def drive(name='Creative', number=1, **extra):
    record = {'id': 'local-%d' % number, 'name': name, 'sharedDrive': True, 'sharedDriveId': DRIVE_ID, 'permissionType': 2,
              'driveType': 1, 'syncType': 1, 'storageName': 'b', 'prefix': '', 'driveName': 'G', 'localPath': 'G:\\',
              'active': True, 'syncIntervalSeconds': 60, 'maximumCacheSize': 0, 'localCacheEncrypted': False,
              'rotationalCache': False, 'transferOptions': {'chunkSize': 5242880}, 'account': {'id': CLOUD_ID, 'cloudType': 1}}
    record.update(extra)
    return record


def listing(*records):
    return Expect('GET', LOCAL, token=None, answer=list(records))


def free(*letters):
    return Expect('GET', FREE, token=None, answer=list(letters))


def put(record, **changes):
    return Expect('PUT', '%s/%s' % (LOCAL, record['id']), token=None, body=dict(record, **changes), answer=dict(record, **changes))


def put_cache(record, **changes):
    return Expect('PUT', '%s/%s' % (CACHE, record['id']), token=None, body=dict(record, **changes), answer=dict(record, **changes))


@pytest.mark.parametrize('letter', ['H', 'h', 'h:', 'H:\\', ' h: '])
def test_a_letter_in_any_form_is_sent_as_one_upper_case_letter_when_free(agent, capsys, letter):
    current = drive()
    agent.expect(listing(current), free('D', 'H', 'K'), put(current, driveName='H', localPath='G:\\'))
    result = run(capsys, desktop_drive, token=None, name='Creative', drive_letter=letter)
    assert result['changed'] is True and result['changed_settings'] == ['drive_letter']
    assert result['desktop_drive']['drive_letter'] == 'H'


def test_settled_settings_cost_one_request(agent, capsys):
    agent.expect(listing(drive(driveName='G', maximumCacheSize=53687091200, localCacheEncrypted=True, syncIntervalSeconds=300)))
    result = run(capsys, desktop_drive, token=None, name='Creative', drive_letter='g:', max_cache_size='50 GB',
                 cache_encrypted=True, sync_interval=300)
    assert (result['changed'], result['changed_settings']) == (False, [])
    assert result['desktop_drive']['max_cache_size'] == 53687091200


def test_a_drive_without_a_letter_given_none_is_settled_with_no_look_at_free_letters(agent, capsys):
    agent.expect(listing(drive(driveName='', driveType=2, localPath='C:\\Amove\\Creative')))
    result = run(capsys, desktop_drive, token=None, name='Creative', drive_letter='')
    assert (result['changed'], result['changed_settings']) == (False, [])
    assert len(agent.made) == 1


def test_cache_fields_go_through_change_cache_after_the_drive_put_with_the_drive_whole(agent, capsys):
    current = drive()
    after_put = dict(current, syncIntervalSeconds=120)
    agent.expect(listing(current), put(current, syncIntervalSeconds=120),
                 put_cache(after_put, maximumCacheSize=536870912, rotationalCache=True))
    result = run(capsys, desktop_drive, token=None, name='Creative', sync_interval=120, max_cache_size='512 MB',
                 rotational_cache=True)
    assert result['changed_settings'] == ['max_cache_size', 'rotational_cache', 'sync_interval']
    assert result['desktop_drive']['max_cache_size'] == 536870912


def test_a_taken_letter_fails_before_any_write_naming_the_free_ones(agent, capsys):
    agent.expect(listing(drive(), drive('Footage', 2, driveName='H')), free('D', 'E'))
    result = run(capsys, desktop_drive, token=None, name='Creative', drive_letter='H')
    assert result['failed'] is True
    assert result['msg'] == "drive 'Creative': drive letter H is not free on this desktop (drive 'Footage' holds it); free letters: D, E"
    assert not agent.requests('PUT')


def test_a_setting_the_agent_did_not_keep_fails_naming_it_and_the_kept_value(agent, capsys):
    current = drive(driveName='')
    agent.expect(listing(current), free('D', 'G'),
                 Expect('PUT', '%s/%s' % (LOCAL, current['id']), token=None, answer=dict(current, syncIntervalSeconds=90)))
    result = run(capsys, desktop_drive, token=None, name='Creative', drive_letter='G', sync_interval=90)
    assert result['failed'] is True
    assert result['msg'] == "drive 'Creative': the agent did not keep drive_letter 'G' (it has '')"


def test_a_capped_cache_size_fails_naming_the_size_kept(agent, capsys):
    current = drive()
    agent.expect(listing(current), Expect('PUT', '%s/%s' % (CACHE, current['id']), token=None,
                                          answer=dict(current, maximumCacheSize=5 * 2 ** 30)))
    result = run(capsys, desktop_drive, token=None, name='Creative', max_cache_size='10 GB')
    assert result['msg'] == "drive 'Creative': the agent did not keep max_cache_size 10737418240 (it has 5368709120)"


def test_a_lost_answer_is_checked_by_a_read_and_adopted(agent, capsys):
    current = drive()
    reset = urllib.error.URLError(ConnectionResetError(104, 'reset'))
    agent.expect(listing(current), Expect('PUT', '%s/%s' % (LOCAL, current['id']), token=None, error=reset),
                 listing(dict(current, syncIntervalSeconds=30)))
    result = run(capsys, desktop_drive, token=None, name='Creative', sync_interval=30)
    assert result['changed'] is True and result['desktop_drive']['sync_interval'] == 30
    assert len(agent.requests('PUT')) == 1


def test_an_empty_answer_is_read_back(agent, capsys):
    current = drive()
    agent.expect(listing(current), Expect('PUT', '%s/%s' % (LOCAL, current['id']), token=None),
                 listing(dict(current, active=False)))
    assert run(capsys, desktop_drive, token=None, name='Creative', active=False)['desktop_drive']['active'] is False


def test_check_mode_reads_and_writes_nothing(agent, capsys):
    agent.expect(listing(drive()), free('H'))
    result = run(capsys, desktop_drive, check=True, diff=True, token=None, name='Creative', drive_letter='H', max_cache_size='1 GB')
    assert result['changed'] is True and result['changed_settings'] == ['drive_letter', 'max_cache_size']
    assert result['diff']['before']['drive_letter'] == 'G' and result['diff']['after']['drive_letter'] == 'H'
    assert result['diff']['after']['max_cache_size'] == 1073741824
    assert not agent.requests('PUT')


def test_two_drives_of_one_name_fail_listing_their_ids(agent, capsys):
    agent.expect(listing(drive(), drive(number=2)))
    result = run(capsys, desktop_drive, token=None, name='Creative', sync_interval=5)
    assert result['msg'] == "2 live desktop drives are named 'Creative' (ids local-1, local-2); select one with id"


def test_by_id(agent, capsys):
    agent.expect(listing(drive(), drive(number=2)), put(drive(number=2), active=False))
    assert run(capsys, desktop_drive, token=None, id='LOCAL-2', active=False)['desktop_drive']['id'] == 'local-2'


def test_a_shared_drive_asked_absent_fails_before_any_write_saying_how(agent, capsys):
    agent.expect(listing(drive()))
    result = run(capsys, desktop_drive, token=None, name='Creative', state='absent')
    assert result['failed'] is True
    assert "came from the account's shared cloud drives" in result['msg']
    assert 'access' in result['msg'] and 'state=absent' in result['msg']
    assert len(agent.made) == 1


def test_a_missing_drive_without_what_to_create_it_fails_saying_what(agent, capsys):
    agent.expect(listing(drive()))
    result = run(capsys, desktop_drive, token=None, name='Scratch', sync_interval=10)
    assert result['msg'].startswith("no drive on this desktop is named 'Scratch'")
    assert result['msg'].endswith('also set storage_name and cloud_account_id (or cloud_account)')


def test_a_desktop_drive_is_created_then_given_its_other_settings(agent, capsys):
    created = drive('Scratch', 7, sharedDrive=False, sharedDriveId='', driveName='S', storageName='scratch')
    body = {'name': 'Scratch', 'storageName': 'scratch', 'prefix': '', 'driveName': 'S', 'driveType': 1, 'syncType': 1,
            'permissionType': 2, 'localCacheEncrypted': False, 'cloudObjectsEncrypted': False, 'allowDelete': True,
            'maximumCacheSize': 0, 'permanentLocalPath': '$$$', 'account': {'id': OWN_ID}}
    agent.expect(listing(drive()), free('S', 'T'), Expect('POST', LOCAL, token=None, body=body, answer=created),
                 put(created, syncIntervalSeconds=15))
    result = run(capsys, desktop_drive, token=None, name='Scratch', storage_name='scratch', cloud_account_id=OWN_ID,
                 drive_letter='s', sync_interval=15)
    assert result['changed'] is True and result['desktop_drive']['shared_drive'] is False
    assert result['desktop_drive']['sync_interval'] == 15


def test_a_desktop_drive_is_deleted_and_a_404_is_checked(agent, capsys):
    own = drive('Scratch', 7, sharedDrive=False)
    agent.expect(listing(own), Expect('DELETE', '%s/local-7' % LOCAL, token=None, status=404), listing())
    result = run(capsys, desktop_drive, token=None, name='Scratch', state='absent')
    assert result['changed'] is True and result['desktop_drive'] == {}


def test_absent_and_missing_is_unchanged(agent, capsys):
    agent.expect(listing(drive()))
    assert run(capsys, desktop_drive, token=None, name='Scratch', state='absent')['changed'] is False


@pytest.mark.parametrize('args, message', [
    (dict(drive_letter='B'), 'drive_letter must be one letter C to Z, such as G or g:, got'),
    (dict(drive_letter='GH'), 'drive_letter must be one letter C to Z'),
    (dict(max_cache_size='lots'), "max_cache_size must be a number of bytes, or a number and a unit B, KB, MB, GB or TB"),
    (dict(max_cache_size=-1), 'got -1: it is less than 5 MB'),
    (dict(max_cache_size=True), 'got True: not a size'),
    (dict(max_cache_size=50.5), 'got 50.5: a fraction needs a unit, such as 1.5 GB'),
    (dict(max_cache_size='1 PB'), "got '1 PB': unknown unit 'PB'"),
    (dict(sync_interval=0), 'sync_interval must be whole seconds such as 60, or a duration such as 30s, 15m, 1h or 1h30m; '
                            'at least 1 second and at most 2147483647 seconds; got 0'),
    (dict(sync_interval='5x'), "sync_interval must be whole seconds such as 60, or a duration such as 30s, 15m, 1h or 1h30m; "
                               "at least 1 second and at most 2147483647 seconds; got '5x'"),
    (dict(sync_interval=2147483648), 'got 2147483648'),
    (dict(cloud_account_id='nope'), 'cloud_account_id must be a UUID'),
    (dict(cloud_account='Demo S3'), 'cloud_account is looked up by name with a token'),
])
def test_bad_input_fails_before_any_request(agent, capsys, args, message):
    result = run(capsys, desktop_drive, token=None, name='Creative', **args)
    assert result['failed'] is True and message in result['msg']
    assert agent.made == []


def test_info_with_health(agent, capsys):
    current = drive()
    summary = {'Status': 'Running', 'UploaderStatus': 'Idle', 'DownloaderStatus': 'Uploading', 'CloudProvider': 'AWS',
               'TotalFiles': 3, 'FilesByState': [{'Label': 'Normal', 'Value': 3}]}
    health = {'DriveStatus': 'Running', 'FilesPendingUpload': 2, 'FilesWithErrors': 1, 'OverallSyncCompletionPercent': 50.0}
    agent.expect(listing(current, drive('Footage', 2)),
                 Expect('GET', '/drivereport/summary/local-1', token=None, answer=summary),
                 Expect('GET', '/drivereport/sync_health/local-1', token=None, answer=health))
    result = run(capsys, desktop_drive_info, token=None, name='Creative', health=True)
    [view] = result['desktop_drives']
    assert view['health']['downloader_status'] == 'Uploading' and view['health']['files_pending_upload'] == 2
    assert view['health']['files_by_state'] == {'Normal': 3} and view['health']['overall_sync_completion_percent'] == 50.0
    assert view['health']['files_uploading'] is None  # absent from the report: passed on as absent


def test_info_without_health_is_one_request(agent, capsys):
    agent.expect(listing(drive(), drive('Footage', 2)))
    result = run(capsys, desktop_drive_info, token=None)
    assert [view['name'] for view in result['desktop_drives']] == ['Creative', 'Footage']
    assert 'health' not in result['desktop_drives'][0]
    # The agent answers the account as {"id", "cloudType"}: the option is its id, so the record goes back in.
    assert result['desktop_drives'][0]['cloud_account_id'] == CLOUD_ID


# ---- the agent module's desktop_drives -------------------------------------------

STATUS = Expect('GET', '/management/agent_status', token=None, answer=1)


def test_agent_applies_settings_after_the_sync_from_the_list_it_read(agent, capsys):
    current, other = drive(), drive('Footage', 2, driveName='H')
    agent.expect(STATUS, listing(current, other), Expect('POST', '/management/sync_shareddrive', token=None),
                 listing(current, other), free('D', 'K'), put(current, driveName='K'))
    result = run(capsys, agent_module, token=None, sync_shared_drives=True, expected_drives=['Creative', 'Footage', 'Stills'],
                 desktop_drives={'Creative': {'drive_letter': 'k'}, 'Footage': {'drive_letter': 'H'}, 'Stills': {'active': False}})
    assert result['changed'] is True
    assert [(d['name'], d['changed'], d['changed_settings'], d['present']) for d in result['desktop_drives']] == [
        ('Creative', True, ['drive_letter'], True), ('Footage', False, [], True), ('Stills', False, [], False)]
    assert result['summary'].endswith('; settings changed: Creative (drive_letter)')
    assert [d['drive_letter'] for d in result['cloud_drives']] == ['K', 'H']


def trading(*answers):
    """A desktop whose drives A, B and C (letters D, E, F) just synced; free letters `answers`."""
    records = [drive('A', 1, driveName='D'), drive('B', 2, driveName='E'), drive('C', 3, driveName='F')]
    return records, [STATUS, listing(*records), Expect('POST', '/management/sync_shareddrive', token=None), listing(*records),
                     free(*answers)]


def test_drives_that_trade_letters_in_a_ring_pass_through_one_spare_letter(agent, capsys):
    (a, b, c), reads = trading('Z')
    parked = dict(a, driveName='Z')
    agent.expect(*reads, put(a, driveName='Z'), put(c, driveName='D'), put(b, driveName='F'), put(parked, driveName='E'),
                 # B's other setting is written from the drive as the agent answered its letter.
                 put(dict(b, driveName='F'), syncIntervalSeconds=300))
    result = run(capsys, agent_module, token=None, sync_shared_drives=True,
                 desktop_drives={'A': {'drive_letter': 'E'}, 'B': {'drive_letter': 'F', 'sync_interval': 300},
                                 'C': {'drive_letter': 'D'}})
    assert [(d['name'], d['changed_settings']) for d in result['desktop_drives']] == [
        ('A', ['drive_letter']), ('B', ['drive_letter', 'sync_interval']), ('C', ['drive_letter'])]
    assert [d['drive_letter'] for d in result['cloud_drives']] == ['E', 'F', 'D']


def test_a_chain_of_letters_needs_no_spare_and_goes_from_its_free_end(agent, capsys):
    (a, b, _c), reads = trading('G')
    agent.expect(*reads, put(b, driveName='G'), put(a, driveName='E'))
    result = run(capsys, agent_module, token=None, sync_shared_drives=True,
                 desktop_drives={'A': {'drive_letter': 'E'}, 'B': {'drive_letter': 'G'}})
    assert [d['drive_letter'] for d in result['cloud_drives']] == ['E', 'G', 'F']


def test_a_ring_with_no_spare_letter_fails_before_any_write(agent, capsys):
    _drives, reads = trading('G')
    agent.expect(*reads)
    result = run(capsys, agent_module, token=None, sync_shared_drives=True,
                 desktop_drives={'A': {'drive_letter': 'E'}, 'B': {'drive_letter': 'D'}, 'C': {'drive_letter': 'G'}})
    assert result['failed'] is True
    assert "trading letters in a ring takes one spare free letter that no drive of the list asks for" in result['msg']
    assert agent.requests('PUT') == []


def test_a_letter_held_by_a_drive_that_stays_is_still_refused(agent, capsys):
    _drives, reads = trading('Z')
    agent.expect(*reads)
    result = run(capsys, agent_module, token=None, sync_shared_drives=True,
                 desktop_drives={'A': {'drive_letter': 'E'}, 'B': {'drive_letter': 'E'}})
    assert result['failed'] is True and 'both ask for drive letter E' in result['msg']
    assert agent.made == []
    result = run(capsys, agent_module, token=None, sync_shared_drives=True, desktop_drives={'A': {'drive_letter': 'F'}})
    assert "drive letter F is not free on this desktop (drive 'C' holds it)" in result['msg']


def test_agent_with_settled_settings_makes_only_the_syncs_requests(agent, capsys):
    current = drive(maximumCacheSize=1024 ** 3, syncIntervalSeconds=900)
    agent.expect(STATUS, listing(current), Expect('POST', '/management/sync_shareddrive', token=None), listing(current))
    result = run(capsys, agent_module, token=None, sync_shared_drives=True, expected_drives=['Creative'],
                 desktop_drives={'Creative': {'drive_letter': 'G', 'max_cache_size': '1 gib', 'sync_interval': '15m'}})
    assert result['changed'] is False and result['summary'].endswith('; settings unchanged')


@pytest.mark.parametrize('settings, message', [
    ({'A': {'drive_letter': 'G'}, 'B': {'drive_letter': 'g:'}},
     "desktop_drives['B'] and desktop_drives['A'] both ask for drive letter G; give each drive a letter of its own"),
    ({'A': {'colour': 'red'}}, "desktop_drives['A']: "),
    ({'A': 'G'}, "desktop_drives['A'] must be a dictionary of settings"),
    ({'A': {'sync_interval': 0}}, "desktop_drives['A'].sync_interval must be whole seconds such as 60"),
])
def test_agent_refuses_bad_settings_before_any_request(agent, capsys, settings, message):
    result = run(capsys, agent_module, token=None, sync_shared_drives=True, desktop_drives=settings)
    assert result['failed'] is True and message in result['msg']
    assert agent.made == []


@pytest.mark.parametrize('written, size', [
    (1073741824, 1073741824), ('20 GB', 20 * 2 ** 30), ('50 GiB', 50 * 2 ** 30), ('50GiB', 50 * 2 ** 30), ('50 gb', 50 * 2 ** 30),
    ('50g', 50 * 2 ** 30), ('1.5 GB', 1610612736), ('5 MB', 5 * 2 ** 20), (' 2 tib ', 2 * 2 ** 40), ('6291456', 6291456),
])
def test_the_size_grammar_takes_binary_units_in_any_form(written, size):
    assert _desktop_drive.cache_bytes(written) == size


@pytest.mark.parametrize('written, why', [
    (50.5, 'a fraction needs a unit'), ('2.5', 'a fraction needs a unit'), ('0.3 KB', 'not a whole number of bytes'),
    ('0', 'less than 5 MB'), ('10 B', 'less than 5 MB'), ('1 PB', "unknown unit 'PB'"), ('lots', 'not a size'),
    ('9000000 TB', 'more than the agent can keep'), (True, 'not a size'), (None, 'not a size'),
])
def test_the_size_grammar_refuses_saying_why(written, why):
    with pytest.raises(ValueError, match=why):
        _desktop_drive.cache_bytes(written)


@pytest.mark.parametrize('written, seconds', [
    (60, 60), ('60', 60), ('30s', 30), ('15m', 900), ('1h', 3600), ('1h30m', 5400), ('90 S', 90), ('2147483647', 2147483647),
])
def test_the_interval_grammar_takes_seconds_or_durations(written, seconds):
    assert _desktop_drive.interval_seconds(written) == seconds


@pytest.mark.parametrize('written', [0, '0s', '5x', 'm', '', 99999999999, 2147483648, True, 1.5, '1.5h'])
def test_the_interval_grammar_refuses_what_the_agent_cannot_keep(written):
    with pytest.raises(ValueError):
        _desktop_drive.interval_seconds(written)


def test_letter_of():
    assert [_desktop_drive.letter_of(value) for value in ('g', 'G:', 'g:\\', 'gg', '', None, 7)] == ['G', 'G', 'G', None, None, None, None]
