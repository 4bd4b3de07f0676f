# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The engine: how any declared resource is made to match what a task asks.

PRIVATE to the amove.click collection: its interface may change in any release.

For one record: find it (by id, or by the one name rule of _names.py), plan
(what differs, which names the task refers to, what the resource must check
first), and only then write: check mode runs the same code and stops short of
the writes. Every write follows the one write rule (verified_write): a write
whose outcome is unknown is verified by a read and its outcome adopted, never
repeated blindly (_write_rule.py). A list of records is _lists.py.

A resource is a declaration (_resource.Resource); this file knows none by name.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError, is_not_found
from ansible_collections.amove.click.plugins.module_utils._lookup import (
    IndexLookup,
    QueryLookup,
    checked_pages,
    live,
    lookup_for,
)
from ansible_collections.amove.click.plugins.module_utils._names import (
    References,
    close_names,
    pick_named,
    same_name,
    selected,
)
from ansible_collections.amove.click.plugins.module_utils._write_rule import agent_decides, verified_save, verified_write


class Run:
    """One execution of a module: its client, check mode, the names it refers to, and what the user must hear of."""

    def __init__(self, client, check_mode=False):
        self.client = client
        self.check_mode = check_mode
        self.references = References(client)
        self.warnings = []
        # What a resource's own hooks learned in this run and need not ask again.
        self.facts = {}
        # Associations waiting for records this run makes later: (converger, spec, record id).
        self.waiting = []

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
        options = resource.differences(current or {}, wanted) + resource.unseen_changes(spec, current)
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
            given = spec.get(field.alternative) if field.alternative else None
            if given is not None and wanted[field.key] is not None and str(given).lower() != str(wanted[field.key]).lower():
                # Both given, as an _info record has them: they must name one record.
                raise ClickApiError('%s %r is the %s with id %s, and %s is %s: give one of them'
                                    % (field.option, name, field.listing.what, wanted[field.key], field.alternative, given))
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
        self.late_references(plan)
        if current is None:
            return Outcome(True, None, self.resource.create(self, plan), plan.options)
        return Outcome(True, current, self.resource.update(self, plan), plan.options)

    def late_references(self, plan):
        """Names of records that this run made after this plan was made (earlier in a list): their ids now."""
        for field in self.resource.options:
            name = plan.spec.get(field.option)
            if field.reference and name is not None and plan.wanted.get(field.key) is None:
                plan.wanted[field.key] = self.run.references.id_of(field.listing, name)

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
        return self.resource.predict(plan, self.resource.with_changes(predicted, plan.changes))

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
            # An addition of a record this run makes later (a project's drive listed after it) waits for it.
            return [change for association in managed for change in association.changes(spec, state)
                    if not (change.action == 'add' and references.to_be_made(change.association.listing, change.name))]

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
        if any(change.action == 'add' and references.to_be_made(change.association.listing, change.name)
               for association in managed for change in association.changes(spec, record)):
            self.run.waiting.append((self, spec, record['id']))

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
