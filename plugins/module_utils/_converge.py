# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The rules every resource of the collection is converged by, whatever it is.

PRIVATE to the amove.click collection: its interface may change in any release.

- pick_named: which live record a name designates (the one name rule, see
  _click_api.same_name), when a name is refused, and when it is near others
  (close_names, the one measure of a near name, also behind "did you mean");
- verified_write: the one write rule: a write whose outcome is unknown is
  verified by a read and its outcome adopted, never repeated blindly.

Shared cloud drives and user groups use them; any further resource (desktop
drives) must converge through them too rather than copy them.
"""

from __future__ import annotations

import difflib

from ansible_collections.amove.click.plugins.module_utils._click_api import (
    ClickApiError,
    TransientError,
    same_name,
)

# A write whose outcome is unknown is made at most this often in all (see verified_write).
WRITE_ATTEMPTS = 2


def close_names(name, names, limit=3):
    """The names of `names` that a user who wrote `name` may have meant, closest first.

    The one measure of a near name: equal ignoring letter case, then close by
    difflib's ratio (at least 0.6); at most `limit` of them.
    """
    names = list(names)
    same_but_case = [candidate for candidate in names if candidate != name and candidate.lower() == name.lower()]
    close = same_but_case + [candidate for candidate in difflib.get_close_matches(name, names, limit, 0.6)
                             if candidate != name and candidate not in same_but_case]
    return close[:limit]


def pick_named(what, name, records, state='present', near=None, warn=None):
    """The live record of `records` that `name` designates, or None.

    `what` names the kind of record in messages ('shared cloud drive').
    Fails when two records have exactly this name, and when a record has the
    name in another letter case: whether to create or to delete, the agent
    takes such a name for the same name, so guessing either way is wrong.
    For state absent with no such record, `warn(message)` is told the names
    of `near()` (other live records, as the caller has read them) that are
    close to it: deleting nothing because of a typo must not pass silently.
    """
    exact, clashing = same_name(name, records)
    if len(exact) > 1:
        raise ClickApiError('%d live %ss are named %r (ids %s); select one with id'
                            % (len(exact), what, name, ', '.join(str(r.get('id')) for r in exact)))
    if not exact and clashing:
        raise ClickApiError('a %s named %r (id %s) already exists, and this collection takes names '
                            'that differ only in letter case for the same name; use that exact name, or %s'
                            % (what, clashing[0].get('name'), clashing[0].get('id'),
                               'select it by id' if state == 'absent' else 'rename that %s with id and name' % what))
    if not exact and state == 'absent' and near is not None and warn is not None:
        close = close_names(name, [str(record.get('name', '')) for record in near()])
        if close:
            warn('no live %s is named %r, so none was deleted; did you mean %s? (names are matched exactly)'
                 % (what, name, ' or '.join(repr(candidate) for candidate in close)))
    return exact[0] if exact else None


def verified_write(write, look, done, state, may_be_done=lambda error: False):
    """The one rule for every write.

    `write(state)` makes the write from the record as last seen; `look()`
    reads the record from the agent; `done(state)` says whether it is as
    asked. A write that got no answer (lost connection, timeout, 5xx) may
    have landed, late even, and one answered with `may_be_done(error)`
    (DUPLICATE after an insert, "not found" after a delete) may mean that
    it already has: so look, and when the agent is already as asked adopt
    that; otherwise write again from what was seen, WRITE_ATTEMPTS times
    in all. Returns (the write's answer or the adopted state, whether a
    write of this call was answered).
    """
    for _attempt in range(WRITE_ATTEMPTS):
        try:
            return write(state), True
        except ClickApiError as error:
            if not isinstance(error, TransientError) and not may_be_done(error):
                raise
            failure = error
        state = look()
        if done(state):
            return state, False
    raise failure


def converged(key, converger, view, params, diff):
    """The result of a module that converges one record, whatever it is.

    `converger.converge(params)` returns (changed, before, after) records, and
    `converger.warnings` what the user must hear of (a near name, say); `view`
    puts a record (or None) in the modules' vocabulary. The record after the
    task is returned under `key`, and with `diff` both sides.
    """
    changed, before, after = converger.converge(params)
    result = {'changed': changed, key: view(after), 'warnings': list(converger.warnings)}
    if diff:
        result['diff'] = dict(before=view(before), after=view(after))
    return result


def verified_save(what, name, write, find, done, current):
    """Insert a record (`current` None) or update it, by the one write rule.

    `write(state)` inserts when `state` is None, else updates from `state`;
    `find()` reads the record as the agent has it now (None when absent);
    `done(state)` says whether it is as asked. An insert answered DUPLICATE may
    be an earlier insert of this run that landed late, so it is looked at and
    adopted when there. `what` and `name` name the record in messages.
    Returns what verified_write returns.
    """
    inserting = [current is None]

    def tracked(state):
        inserting[0] = state is None
        return write(state)

    def look():
        found = find()
        if found is None and current is not None:
            raise ClickApiError('%s %s vanished while it was being updated' % (what, current['id']))
        return found

    try:
        return verified_write(tracked, look, lambda state: state is not None and done(state), current,
                              lambda error: error.code == 'DUPLICATE' and inserting[0])
    except ClickApiError as error:
        if error.code == 'DUPLICATE' and inserting[0]:
            raise ClickApiError('%s; no live %s is named %r, nor a name equal ignoring case, so the agent takes some '
                                'other name for the same one (its rule decides): choose another name'
                                % (error, what, name), error.status, error.code, error.detail) from None
        raise
