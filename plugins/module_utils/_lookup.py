# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where the engine looks records up: a query per name, or one listing kept up to date, whichever costs less.

PRIVATE to the amove.click collection: its interface may change in any release.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._names import name_key, same_name


def checked_pages(resource, client, details=False, query=None):
    """A resource's listing page by page (with its total), each record checked for the shape the engine reads."""
    where = 'GET %s' % resource.listing.route(details)
    number = 0
    for records, total in resource.listing.pages(client, details, query):
        for record in records:
            resource.check(where, record, number)
            number += 1
        yield records, total


def live(records):
    return [record for record in records if not record.get('deleted')]


class QueryLookup:
    """Looks records up on the agent with its name filter, one query per name: cheapest for a few records.

    A name is asked once per run, and again after this run wrote a record of
    that name. Near names are looked for in the listing's first page, read
    once (in an account larger than a page, there only: the rest would cost
    a request per page).
    """

    def __init__(self, resource, client, details=False, first_page=None):
        self.resource = resource
        self.client = client
        self.details = details
        self._named = {}
        self._first_page = first_page

    def _read(self, query=None):
        return live(record for records, _total in checked_pages(self.resource, self.client, self.details, query)
                    for record in records)

    def near(self):
        if self._first_page is None:
            self._first_page = live(next(checked_pages(self.resource, self.client, self.details))[0])
        return self._first_page

    def named_like(self, name):
        key = name_key(name)
        if key not in self._named:
            records = self._read({self.resource.listing.name_filter: name})
            exact, clashing = same_name(name, records, self.resource.listing.name_key)
            self._named[key] = exact + clashing
        return self._named[key]

    def by_id(self, record_id):
        """The live record with this id, or None. The API has no read by id, so this lists."""
        return next((record for record in self._read() if record['id'].lower() == record_id.lower()), None)

    def remember(self, before, after):
        for record in (before, after):
            if record is not None:
                self._named.pop(name_key(str(record.get(self.resource.listing.name_key, ''))), None)


class IndexLookup:
    """A resource's live records from one listing, looked up the way the agent would be.

    Used when many records are converged in one run, or when the listing has
    no name filter: one listing instead of a query per record. It is kept up
    to date with this run's own writes.
    """

    def __init__(self, resource, records):
        self.resource = resource
        self.records = live(records)

    def named_like(self, name):
        exact, clashing = same_name(name, self.records, self.resource.listing.name_key)
        return exact + clashing

    def near(self):
        return self.records

    def by_id(self, record_id):
        return next((record for record in self.records if str(record.get('id', '')).lower() == record_id.lower()), None)

    def remember(self, before, after):
        place = next((number for number, record in enumerate(self.records) if record is before), None)
        if place is not None and after is not None:
            self.records[place] = after  # in place: the order of the listing stays
            return
        if before is not None:
            self.records = [record for record in self.records if record is not before]
        if after is not None:
            self.records.append(after)


def lookup_for(resource, client, specs, purge=False):
    """The cheapest way to look up the records of `specs`, as a QueryLookup or an IndexLookup.

    A listing without a name filter is read whole. Purging, or selecting by
    id, needs every record. Otherwise read the first page: a small account is
    then known whole; in a large one, reading the rest pays off only when it
    takes fewer requests than one query per record. So the number of
    requests never grows with the size of the account.
    """
    if not specs and not purge:
        return IndexLookup(resource, [])  # nothing to look up: nothing asked
    details = any(resource.wants_details(spec) for spec in specs) or resource.details_always
    if not resource.listing.name_filter:
        return IndexLookup(resource, [record for records, _total in checked_pages(resource, client, details)
                                      for record in records])
    every = purge or any(spec.get('id') for spec in specs)
    # A lone name to delete reads the first page too: in an account of one
    # page that is all it takes, and a name with no record is compared with it
    # for near names (see pick_named) at no further cost.
    deleting = len(specs) == 1 and (specs[0].get('state') or 'present') == 'absent' and not specs[0].get('id')
    if not every and len(specs) <= 1 and not deleting:
        return QueryLookup(resource, client, details)
    pages = checked_pages(resource, client, details)
    records, total = next(pages)
    if not every and total is not None and total > len(records):
        pages_left = -(-(total - len(records)) // max(len(records), 1))
        if pages_left >= len(specs):
            return QueryLookup(resource, client, details, live(records))
    return IndexLookup(resource, records + [record for more, _total in pages for record in more])
