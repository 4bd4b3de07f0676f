# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one write rule: a write whose outcome is unknown is verified by a read and its outcome adopted.

PRIVATE to the amove.click collection: its interface may change in any release.

Never repeated blindly: a lost answer (connection lost, timeout, 5xx) may mean
the write landed, late even, and some refusals (DUPLICATE after an insert,
"not found" after a delete) may mean it already had. Every write of every
resource goes through verified_write.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError, TransientError

# A write whose outcome is unknown is made at most this often in all (see verified_write).
WRITE_ATTEMPTS = 2


# ---- the write rule ------------------------------------------------------------------------

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
            raise error.reworded('%s; %s' % (error, agent_decides('no live %s' % what, name))) from None
        raise


def agent_decides(which, name):
    """Why the agent answered DUPLICATE for a name that no record we can see holds."""
    return ('%s is named %r, nor a name equal ignoring case, so the agent takes some other name for the same one '
            '(its rule decides): choose another name' % (which, name))
