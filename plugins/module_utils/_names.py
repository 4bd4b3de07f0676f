# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The one name rule: which record a name designates, whether a task manages it or only names it.

PRIVATE to the amove.click collection: its interface may change in any release.

Our policy, not a documented fact of the API: a record is the one named by a
name only when its name is exactly that name. A name equal ignoring case (plain
lower-casing, as the agent's filter does) clashes with it: creating it is
refused, and so is deleting it. Near names (close_names) are told of, never
taken. Every name of every kind of record goes through here: the record a task
manages (pick_named) and the records its options name (References).
"""

from __future__ import annotations

import difflib

from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError


def name_key(name):
    """Names that same_name() takes as one name have one key."""
    return name.lower()


def same_name(name, records, key='name'):
    """Split `records` by the name rule: (those named exactly `name`, those whose name clashes with it)."""
    wanted = name_key(name)
    exact = [record for record in records if record.get(key) == name]
    clashing = [record for record in records
                if record.get(key) != name and name_key(str(record.get(key, ''))) == wanted]
    return exact, clashing


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


def did_you_mean(close):
    return 'did you mean %s?' % ' or '.join(repr(candidate) for candidate in close)


def pick_named(what, name, records, state='present', near=None, warn=None, key='name', rename=None):
    """The live record of `records` that `name` designates, or None.

    `what` names the kind of record in messages ('shared cloud drive').
    Fails when two records have exactly this name, and when a record has the
    name in another letter case: whether to create or to delete, the agent
    takes such a name for the same name, so guessing either way is wrong.
    `rename` says how the user renames a record (when the module can).
    For state absent with no such record, `warn(message)` is told the names
    of `near()` (other live records, as the caller has read them) that are
    close to it: deleting nothing because of a typo must not pass silently.
    """
    exact, clashing = same_name(name, records, key)
    if len(exact) > 1:
        raise ClickApiError('%d live %ss are named %r (ids %s); select one with id'
                            % (len(exact), what, name, ', '.join(str(r.get('id')) for r in exact)))
    if not exact and clashing:
        if state == 'absent':
            advice = 'select it by id'
        else:
            advice = rename or 'rename that %s with id and name' % what
        raise ClickApiError('a %s named %r (id %s) already exists, and this collection takes names '
                            'that differ only in letter case for the same name; use that exact name, or %s'
                            % (what, clashing[0].get(key), clashing[0].get('id'), advice))
    if not exact and state == 'absent' and near is not None and warn is not None:
        close = close_names(name, [str(record.get(key, '')) for record in near()])
        if close:
            warn('no live %s is named %r, so none was deleted; %s (names are matched exactly)'
                 % (what, name, did_you_mean(close)))
    return exact[0] if exact else None


def selected(what, name, records, warn, key='name'):
    """The records an _info module's `name` selects: those named exactly `name` (a list, maybe empty).

    With none, `warn` is told the close names among `records`: a lookup by a
    case-only or near name returns nothing, and says what it may have meant.
    """
    exact = same_name(name, records, key)[0]
    if not exact:
        close = close_names(name, [str(record.get(key, '')) for record in records])
        if close:
            warn('no live %s is named %r; %s (names are matched exactly, letter case too)' % (what, name, did_you_mean(close)))
    return exact


class Listing:
    """Where the records of one kind are listed, and how they are named: what names of that kind resolve through.

    `name_filter` is the query parameter of the agent's name filter (a
    substring filter, maybe ignoring case), None when it has none; `paged`
    says whether the listing is a paged collection rather than one bare
    array; `agent` marks the agent's own routes, which take no token.
    `fold_case` resolves a name that matches one record only ignoring letter
    case to that record (e-mail addresses: their case means nothing).
    """

    def __init__(self, what, path, details=None, name_key='name', name_filter='name', paged=True, agent=False,
                 fold_case=False):
        self.what = what
        self.path = path
        self.details = details
        self.name_key = name_key
        self.name_filter = name_filter
        self.paged = paged
        self.agent = agent
        self.fold_case = fold_case

    def route(self, details=False):
        return self.details if details and self.details else self.path

    def pages(self, client, details=False, query=None):
        """The listing page by page, with its total (one page for a bare array)."""
        if not self.paged:
            records = client.listing(self.route(details), query, self.name_key, agent=self.agent)
            yield records, len(records)
            return
        for records, total in client.pages(self.route(details), query, self.name_key):
            yield records, total

    def records(self, client, details=False, query=None):
        """Every live record of the listing (or of what `query` filters)."""
        return [record for records, _total in self.pages(client, details, query) for record in records
                if not record.get('deleted')]

    def named_like(self, client, name, details=False):
        """Live records the agent's name filter gives for `name` (every record, when it has no filter)."""
        query = {self.name_filter: name} if self.name_filter else None
        return self.records(client, details, query)


class References:
    """Names that options give of other records (users, groups, cloud accounts...), turned into ids.

    Each name is asked once per run, through the one name rule, and every
    problem is kept rather than raised, so that a task can name all of them
    before its first write. A record this run will create (plan) resolves
    before it exists: to its id once made (made), to None in check mode.
    """

    def __init__(self, client):
        self.client = client
        self._ids = {}
        self._problems = {}
        self._listed = {}
        self._planned = set()

    def plan(self, listing, name):
        self._planned.add((listing.path, name_key(name)))

    def made(self, listing, name, record_id):
        self._ids[(listing.path, name)] = record_id

    def forget(self, listing, name):
        """A record of that name was deleted by this run: ask again if named again."""
        self._ids.pop((listing.path, name), None)
        self._listed.pop(listing.path, None)

    def resolve(self, listing, option, name, alternative=None):
        """Resolve `name` unless known; its problem is kept (see problem), not raised.

        `alternative` is what the user may give instead ('cloud_account_id'),
        for a name that several records have.
        """
        key = (listing.path, name)
        if key in self._ids or key in self._problems or (listing.path, name_key(name)) in self._planned:
            return
        if listing.name_filter:
            records = listing.named_like(self.client, name)
        else:
            if listing.path not in self._listed:
                self._listed[listing.path] = listing.records(self.client)
            records = self._listed[listing.path]
        exact = same_name(name, records, listing.name_key)[0]
        if not exact and listing.fold_case:
            exact = [record for record in records if name_key(str(record.get(listing.name_key, ''))) == name_key(name)]
            exact = exact if len(exact) == 1 else []
        if len(exact) == 1:
            self._ids[key] = exact[0]['id']
        elif exact:
            self._problems[key] = '%s: %d %ss are named %r (ids %s)%s' % (
                option, len(exact), listing.what, name, ', '.join(str(record.get('id')) for record in exact),
                '; give %s instead' % alternative if alternative else '')
        else:
            self._problems[key] = '%s: no %s is named %r%s' % (option, listing.what, name,
                                                               self._unknown(listing, name, records))

    def _unknown(self, listing, name, records):
        """What a name no record has may have meant: close names, or (a listing known whole) every name."""
        if not listing.name_filter:
            # Known whole at no cost: name them all.
            return '; the agent knows %s' % (', '.join(repr(str(record.get(listing.name_key))) for record in records)
                                             or 'none')
        names = [str(record.get(listing.name_key)) for record in records]
        if not names:
            # The filter finds only names that contain this one: a typo needs the whole list.
            names = [str(record.get(listing.name_key)) for record in listing.records(self.client)]
        close = close_names(name, names)
        if not close:
            return ' (and no name is close to it)'
        return '; %s (names are matched exactly, letter case too)' % did_you_mean(close)

    def to_be_made(self, listing, name):
        """Whether a record of this name is one this run plans to make and has not made yet."""
        return (listing.path, name_key(name)) in self._planned and (listing.path, name) not in self._ids

    def problem(self, listing, name):
        return self._problems.get((listing.path, name))

    def id_of(self, listing, name):
        """The id of a resolved name; None for a record this run plans to create and has not (check mode)."""
        return self._ids.get((listing.path, name))

    def require(self, listing, option, name, alternative=None):
        """The id of `name`, resolved now; fails with its problem."""
        self.resolve(listing, option, name, alternative)
        problem = self.problem(listing, name)
        if problem:
            raise ClickApiError(problem)
        return self.id_of(listing, name)
