# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The engine: how any declared resource is made to match what a task asks, alone or as a list.

PRIVATE to the amove.click collection: its interface may change in any release.

For one record: find it (by id, or by the one name rule of _names.py), plan
(what differs, which names the task refers to, what the resource must check
first), and only then write: check mode runs the same code and stops short of
the writes. Every write follows the one write rule (verified_write): a write
whose outcome is unknown is verified by a read and its outcome adopted, never
repeated blindly. A list of records (a set) is planned whole before its first
write, so one bad name writes nothing; its writes then go in order, and a
failure says what was done before it.

A resource is a declaration (_resource.Resource); this file knows none by name.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._errors import (
    ClickApiError,
    TransientError,
    is_not_found,
)
from ansible_collections.amove.click.plugins.module_utils._names import (
    References,
    close_names,
    name_key,
    pick_named,
    same_name,
    selected,
)

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


# ---- where records are looked up ------------------------------------------------------------

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


# ---- one run, one record --------------------------------------------------------------------

class Run:
    """One execution of a module: its client, check mode, the names it refers to, and what the user must hear of."""

    def __init__(self, client, check_mode=False):
        self.client = client
        self.check_mode = check_mode
        self.references = References(client)
        self.warnings = []
        # What a resource's own hooks learned in this run and need not ask again.
        self.facts = {}

    def warn(self, message):
        if message not in self.warnings:
            self.warnings.append(message)


class Plan:
    """What converging one record's options takes, decided before any write."""

    def __init__(self, spec, current, wanted=None, changes=(), delete=False, options=()):
        self.spec = spec
        self.current = current
        self.wanted = wanted            # agent keys to write; None when nothing is to be written but a deletion
        self.changes = list(changes)    # association changes
        self.delete = delete
        self.options = list(options)    # the options that differ

    @property
    def unchanged(self):
        return not self.delete and self.wanted is None


class Outcome:
    """What converging one record did: changed, the record before and after, the options changed."""

    ACTIONS = ('unchanged', 'created', 'updated', 'deleted')

    def __init__(self, changed, before, after, options=()):
        self.changed = changed
        self.before = before
        self.after = after
        self.options = list(options)

    @property
    def action(self):
        if not self.changed:
            return 'unchanged'
        if self.before is None:
            return 'created'
        return 'deleted' if self.after is None else 'updated'


class Converger:
    """Makes records of one resource match their options: find, plan, then write only what differs.

    Lookups go through `lookup` (see lookup_for); checks after a failed write
    always ask the agent itself.
    """

    def __init__(self, resource, run, lookup=None):
        self.resource = resource
        self.run = run
        self.client = run.client
        self.check_mode = run.check_mode
        self.lookup = lookup

    @property
    def listing(self):
        return self.resource.listing

    # ---- reading --------------------------------------------------------------------------------

    def fresh(self, spec):
        """A lookup that asks the agent itself, as checks after a failed write must."""
        details = self.resource.wants_details(spec)
        if not self.listing.name_filter:
            return IndexLookup(self.resource, [record for records, _total in checked_pages(self.resource, self.client, details)
                                               for record in records])
        return QueryLookup(self.resource, self.client, details)

    def find(self, spec, fresh=False):
        """The live record that `spec` designates, or None; fails when ambiguous."""
        lookup = self.lookup
        if fresh or lookup is None:
            lookup = self.fresh(spec)
        if spec.get('id'):
            return lookup.by_id(spec['id'])
        name = spec['name']
        # Checks after a write only look: a near name was told of before.
        return pick_named(self.resource.what, name, lookup.named_like(name), spec.get('state') or 'present',
                          near=lookup.near, warn=None if fresh else self.run.warn, key=self.listing.name_key,
                          rename=self.resource.rename)

    # ---- planning: every decision before any write ----------------------------------------------------

    def plan(self, spec):
        """What converging `spec` takes: fails, before any write, when it cannot be done.

        Names that associations add are not resolved here (see unresolved),
        so that a list can ask each name once.
        """
        resource = self.resource
        current = self.find(spec)
        if (spec.get('state') or 'present') == 'absent':
            if current is not None:
                resource.before_delete(self, current, spec)
            return Plan(spec, current, delete=current is not None)
        if current is None and spec.get('id'):
            raise ClickApiError(resource.unknown_id % dict(what=resource.what, id=spec['id']))
        if current is None:
            missing = [' (or '.join(group) + (')' if len(group) > 1 else '') for group in resource.required_to_create
                       if all(spec.get(option) is None for option in group)]
            if missing:
                raise ClickApiError(resource.to_create % dict(what=resource.what, name=spec.get('name'),
                                                              missing=' and '.join(missing)))
        wanted = self.wanted(spec, current)
        changes = [change for association in resource.managed for change in association.changes(spec, current)]
        options = resource.differences(current or {}, wanted)
        if current is not None:
            refused = [field.option for field in resource.options if field.create_only and field.option in options]
            if refused:
                raise ClickApiError('%s %r: %s cannot change once it exists (the agent has no route that changes %s); '
                                    'give the values it has, or delete it and create it anew'
                                    % (resource.what, current.get(self.listing.name_key), ', '.join(refused),
                                       'it' if len(refused) == 1 else 'them'))
            if not options and not changes:
                return Plan(spec, current)
        return Plan(spec, current, wanted, changes, options=options)

    def wanted(self, spec, current):
        """The agent's keys of what `spec` asks for; a name of a reference becomes an id (unless the record says it)."""
        wanted = self.resource.to_agent(spec)
        for field in self.resource.options:
            name = spec.get(field.option)
            if not field.reference or name is None or field.insert_only and current is not None:
                continue
            if current is not None and field.named(current) == name and current.get(field.key):
                wanted[field.key] = current[field.key]
            else:
                wanted[field.key] = self.run.references.require(field.listing, field.option, name, field.alternative)
        self.resource.prepare(self, spec, current, wanted)
        return wanted

    def unresolved(self, plan):
        """What is wrong with the names the plan's associations add (one message each), resolving those not asked yet."""
        references = self.run.references
        problems = []
        for change in plan.changes:
            if change.action == 'add':
                references.resolve(change.association.listing, change.association.option, change.name)
                problem = references.problem(change.association.listing, change.name)
                if problem and problem not in problems:
                    problems.append(problem)
        return problems

    # ---- converging ----------------------------------------------------------------------------

    def converge(self, spec, plan=None):
        """Make one record match `spec`; returns its Outcome."""
        plan = plan or self.plan(spec)
        outcome = self._carry_out(plan)
        if outcome.changed and self.lookup is not None:
            self.lookup.remember(outcome.before, outcome.after)
        return outcome

    def _carry_out(self, plan):
        current = plan.current
        if plan.delete:
            if not self.check_mode:
                self.delete(current)
            return Outcome(True, current, None)
        if plan.unchanged:
            return Outcome(False, current, current)
        problems = self.unresolved(plan)
        if problems:
            raise ClickApiError('; '.join(problems) + '; nothing was changed')
        if self.check_mode:
            return Outcome(True, current, self.predicted(plan), plan.options)
        if current is None:
            return Outcome(True, None, self.resource.create(self, plan), plan.options)
        return Outcome(True, current, self.resource.update(self, plan), plan.options)

    def predicted(self, plan):
        """The record a real run would leave, as far as the task says it (the agent's own choices are left out)."""
        predicted = dict(plan.current or {})
        predicted.update(plan.wanted)
        for field in self.resource.options:
            if field.reference and field.embedded:
                if plan.spec.get(field.option) is not None:
                    predicted[field.embedded] = {'name': plan.spec[field.option], 'id': plan.wanted.get(field.key)}
                elif plan.current and plan.wanted.get(field.key, plan.current.get(field.key)) != plan.current.get(field.key):
                    predicted.pop(field.embedded, None)
        return self.resource.with_changes(predicted, plan.changes)

    # ---- writes ----------------------------------------------------------------------------------

    def insert(self, plan):
        """Insert the record, then its associations; never leaves it half made."""
        record, inserted = self.save(plan.spec, plan.wanted, None)
        self.run.references.made(self.listing, record.get(self.listing.name_key), record.get('id'))
        if not plan.changes:
            return record
        try:
            self.write_associations(plan.spec, record)
        except ClickApiError as error:
            if not inserted:
                raise
            # Never leave a record that exists without the associations it was
            # meant to have: take back the record this task created.
            name = record.get(self.listing.name_key)
            try:
                self.delete(record)
            except ClickApiError as undo_error:
                raise error.reworded('%s; the new %s %r (id %s) could not be deleted again (%s): delete it, or run the '
                                     'task again to finish it' % (error, self.resource.what, name, record.get('id'),
                                                                  undo_error)) from None
            raise error.reworded('%s; the new %s %r was deleted again, so nothing was left half made'
                                 % (error, self.resource.what, name)) from None
        return self.resource.with_changes(record, plan.changes)

    def change(self, plan):
        """Write what differs, then the associations; returns the record as the agent keeps it."""
        after = plan.current
        if plan.options:
            after = self.save(plan.spec, plan.wanted, plan.current)[0]
        if plan.changes:
            self.write_associations(plan.spec, plan.current)
        return self.resource.with_changes(after, plan.changes)

    def save(self, spec, wanted, current):
        """Insert (current None) or update a record until it is as wanted, by the one write rule.

        Returns (record, whether this call's own insert made it). A record that
        another host created meanwhile (DUPLICATE) is adopted, and updated if
        it differs.
        """
        resource = self.resource
        select = spec if current is None else dict(spec, id=current['id'])
        made = []  # the writes answered, as 'METHOD path'

        def write(state):
            if state is None:
                answer = self.client.request('POST', resource.insert_path, body=dict(resource.insert_defaults, **wanted))
                made.append('POST %s' % resource.insert_path)
                return answer
            body = resource.writable(state)
            body.update(wanted)
            answer = self.client.request('PUT', resource.update_path, body=body)
            made.append('PUT %s' % resource.update_path)
            return answer

        try:
            answer, answered = verified_save(resource.what, spec.get('name'), write, lambda: self.find(select, fresh=True),
                                             lambda state: not resource.differences(state, wanted), current)
        except ClickApiError as error:
            if error.code == 'DUPLICATE' and current is not None and 'name' in resource.differences(current, wanted):
                raise error.reworded('%s; %s' % (error, self._holder(wanted['name'], current))) from None
            explained = resource.explain(self, error, spec)
            if explained:
                raise error.reworded(explained) from None
            raise
        if not answered:
            return answer, False
        if answer is None or answer == '':
            # Documented to answer with the record; should an agent answer with nothing, read it back rather than guess.
            record = self.find(select, fresh=True)
        else:
            record = resource.check(made[-1], answer)
        # Insert and update answer with the bare record: its associations are as they were.
        rows = [association.rows for association in resource.associations]
        kept = dict((key, current[key]) for key in rows if key in current) if current is not None else \
            dict((key, []) for key in rows) if resource.details_always else {}
        return dict(record, **kept), made[-1].startswith('POST')

    def _holder(self, name, renamed):
        """Which record holds the name a rename was refused for (one read, on that failure path only)."""
        holders = [record for record in self.fresh({'name': name}).named_like(name)
                   if str(record.get('id', '')).lower() != str(renamed['id']).lower()]
        if not holders:
            return agent_decides('no other live %s' % self.resource.what, name)
        return 'the name %r is taken by %s: rename or delete that %s first, or choose another name' % (
            name, ' and '.join('%s %r (id %s)' % (self.resource.what, holder.get(self.listing.name_key), holder.get('id'))
                               for holder in holders), self.resource.what)

    def write_associations(self, spec, record):
        """Give the record exactly the associations `spec` asks for, by the one write rule."""
        select = dict(spec, id=record['id'])
        references = self.run.references
        managed = self.resource.managed

        def changes_of(state):
            return [change for association in managed for change in association.changes(spec, state)]

        def write(state):
            changes = changes_of(state)
            unknown = [change for change in changes
                       if change.action == 'add' and references.id_of(change.association.listing, change.name) is None]
            problems = self.unresolved(Plan(spec, state, changes=unknown)) if unknown else []
            if problems:
                # Other writes may have landed before this one: no "nothing was changed" here.
                raise ClickApiError('; '.join(problems))
            for association in managed:
                association.write(self.client, record['id'], changes, references)

        def look():
            found = self.find(select, fresh=True)
            if found is None:
                raise ClickApiError('%s %s vanished while its %s were being written'
                                    % (self.resource.what, record['id'], ' and '.join(a.option for a in managed)))
            return found

        verified_write(write, look, lambda state: not changes_of(state), record,
                       lambda error: error.code == 'DUPLICATE' or is_not_found(error))

    def delete(self, current):
        """Delete the record; a delete whose answer was lost, or that may say it is gone, is checked by a read."""
        select = {'id': current['id']}
        verified_write(lambda state: self.resource.remove(self, state), lambda: self.find(select, fresh=True),
                       lambda state: state is None, current, self.resource.gone)
        self.run.references.forget(self.listing, current.get(self.listing.name_key))


# ---- the result of a module that converges one record ------------------------------------------------

def converge_one(resource, client, params, check_mode, diff):
    """The work of a one-record module: converge `params`, return the result (with diff and warnings)."""
    run = Run(client, check_mode)
    state = params.get('state') or 'present'
    # A lone name to delete is looked up in the first page, where its near names are too.
    lookup = lookup_for(resource, client, [params]) if state == 'absent' or not resource.listing.name_filter else None
    outcome = Converger(resource, run, lookup).converge(params)
    result = {'changed': outcome.changed, resource.key: resource.to_options(outcome.after)}
    result.update(resource.result(outcome))
    if diff:
        result['diff'] = dict(before=resource.to_options(outcome.before), after=resource.to_options(outcome.after))
    result['warnings'] = list(run.warnings)
    return result


# ---- a list of records in one execution ----------------------------------------------------------------

def list_problems(resource, specs, option, purge=False, allow_empty_purge=False):
    """What is wrong with a list of records' options, checked before any request."""
    problems = []
    names = {}
    for number, spec in enumerate(specs):
        where = '%s[%d]' % (option, number)
        problems.extend(resource.problems(spec, where + '.'))
        if spec.get('name') is None and spec.get('id') is None:
            continue
        key = ('id', spec['id'].lower()) if spec.get('id') else ('name', name_key(spec['name']))
        if key in names:
            problems.append('%s names the same %s as %s[%d] (%s %r); list each %s once'
                            % (where, resource.what, option, names[key], key[0], spec.get(key[0]), resource.what))
        names.setdefault(key, number)
    if purge and not specs and not allow_empty_purge:
        problems.append('purge with an empty %s list would delete every %s of the account; set allow_empty_purge '
                        'to true if that is really wanted' % (option, resource.what))
    return problems


class ListRun:
    """Makes a resource's records match a list: every name resolved and every problem found before the first write.

    `option` names the list in messages ('drives'). With `purge`, live records
    the list does not name are deleted after it is written.
    """

    def __init__(self, resource, run, specs, option, purge=False, lookup=None):
        self.resource = resource
        self.run = run
        self.specs = specs
        self.option = option
        self.purge = purge
        self.lookup = lookup or lookup_for(resource, run.client, specs, purge)
        self.converger = Converger(resource, run, self.lookup)

    def where(self, number):
        spec = self.specs[number]
        return '%s[%d] (%s)' % (self.option, number, spec.get('name') or spec.get('id'))

    def plan(self):
        """Every plan of the list, or one failure naming each problem; nothing is written."""
        self.resource.before_writes(self.converger, self.specs, self.where)
        plans, problems, failures = [], [], []
        for number, spec in enumerate(self.specs):
            try:
                plan = self.converger.plan(spec)
                found = self.converger.unresolved(plan)
            except TransientError as error:
                raise error.prefixed(self.where(number)) from None
            except ClickApiError as error:
                failures.append(error)
                plan, found = None, [str(error)]
            plans.append(plan)
            problems.extend('%s: %s' % (self.where(number), problem) for problem in found)
        if problems:
            message = '; '.join(problems) + '; nothing was changed'
            if len(failures) == 1 and len(problems) == 1:
                raise failures[0].reworded(message)
            raise ClickApiError(message)
        return plans

    def write(self, plans):
        """Write the planned records in order, then purge; returns (changed, results, diffs)."""
        resource = self.resource
        results, diffs, kept = [], [], set()
        for number, plan in enumerate(plans):
            try:
                outcome = self.converger.converge(plan.spec, plan)
            except ClickApiError as error:
                raise self.stopped(error, self.where(number), self.name_of(plan.spec), results,
                                   self.specs[number + 1:]) from None
            if outcome.after is not None:
                kept.add(id(outcome.after))
            results.append(self.result(self.name_of(plan.spec) or (outcome.before or {}).get('name'), outcome))
            if outcome.changed:
                diffs.append(self.diff(outcome))
        if self.purge:
            for record in [record for record in self.lookup.records if id(record) not in kept]:
                name = record.get(resource.listing.name_key)
                if not self.run.check_mode:
                    try:
                        self.converger.delete(record)
                    except ClickApiError as error:
                        raise self.stopped(error, 'purging %r (id %s)' % (name, record.get('id')), name, results,
                                           []) from None
                self.lookup.remember(record, None)
                outcome = Outcome(True, record, None)
                results.append(self.result(name, outcome, 'purged'))
                diffs.append(self.diff(outcome))
        return any(result['changed'] for result in results), results, diffs

    @staticmethod
    def name_of(spec):
        return spec.get('name') or spec.get('id')

    def result(self, name, outcome, action=None):
        return {'name': name, 'changed': outcome.changed, 'action': action or outcome.action,
                self.resource.key: self.resource.to_options(outcome.after)}

    def diff(self, outcome):
        name = (outcome.after or outcome.before or {}).get(self.resource.listing.name_key)
        header = '%s %s' % (self.resource.what, name)
        return {'before_header': header, 'after_header': header,
                'before': self.resource.to_options(outcome.before), 'after': self.resource.to_options(outcome.after)}

    def stopped(self, error, where, name, results, rest):
        """The error of a list stopped by a failed write: what was done before it, what failed, what was not reached."""
        done = [result for result in results if result['changed']]
        message = '%s: %s' % (where, error)
        extra = {}
        if done and not self.run.check_mode:
            message += '; done before this failure: %s' % ', '.join(
                '%s %r%s' % (result['action'], result['name'],
                             ' (id %s)' % result[self.resource.key]['id'] if result[self.resource.key].get('id') else '')
                for result in done)
            extra['changed'] = True
        if rest:
            message += '; not reached: %s' % ', '.join(repr(self.name_of(spec)) for spec in rest)
        extra[self.resource.plural] = results + [
            {'name': name, 'changed': False, 'action': 'failed', self.resource.key: {}}] + [
            {'name': self.name_of(spec), 'changed': False, 'action': 'not_reached', self.resource.key: {}} for spec in rest]
        return error.reworded(message, **extra)


def converge_list(resource, client, specs, option, purge=False, check_mode=False, diff=False):
    """The work of a set module: the list converged in one execution; returns the result."""
    run = Run(client, check_mode)
    try:
        job = ListRun(resource, run, specs, option, purge)
        changed, results, diffs = job.write(job.plan())
    except ClickApiError as error:
        if run.warnings:
            raise error.reworded(str(error), warnings=run.warnings) from None
        raise
    result = {'changed': changed, resource.plural: results, 'warnings': run.warnings}
    if diff:
        result['diff'] = diffs
    return result


# ---- reading records for an _info module ----------------------------------------------------------------

def read_records(resource, client, params, details=False):
    """The records an _info module selects, and its warnings: by id, by exact name, or all.

    A name that no record has exactly selects nothing, with a warning naming
    the names close to it (those the agent's filter gives, else the whole
    listing's, read only then).
    """
    run = Run(client)
    details = details or resource.details_always
    listing = resource.listing

    def read(query=None):
        return live(record for records, _total in checked_pages(resource, client, details, query) for record in records)

    if params.get('id'):
        found = next((record for record in read() if record['id'].lower() == params['id'].lower()), None)
        records = [found] if found and params.get('name') in (None, found.get(listing.name_key)) else []
    elif params.get('name') is not None:
        name = params['name']
        candidates = read({listing.name_filter: name} if listing.name_filter else None)
        records = same_name(name, candidates, listing.name_key)[0]
        if not records:
            if listing.name_filter and not close_names(name, [str(r.get(listing.name_key)) for r in candidates]):
                candidates = read()  # the filter finds only names that contain this one: a typo needs the whole list
            selected(resource.what, name, candidates, run.warn, listing.name_key)
    else:
        records = read()
    return records, run.warnings
