# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""A list of records of any resource, converged in one execution (the set modules, the account module).

PRIVATE to the amove.click collection: its interface may change in any release.

Every record of the list is planned, every name it refers to resolved and every
problem found before the first write, so one bad name writes nothing; the
writes then go in order, and a failure says what was done before it and what
was not reached.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._converge import Converger, Outcome, Run
from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError, TransientError
from ansible_collections.amove.click.plugins.module_utils._lookup import lookup_for
from ansible_collections.amove.click.plugins.module_utils._names import name_key


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

    def survey(self):
        """Plan every record of the list; nothing is written. Returns (plans, problems, failures).

        A plan that fails is None, its message among the problems (each
        (entry number, message led by where it is)) and its error among the failures; so is a
        record the purge would delete that must not be deleted. Only a transient error
        (the agent away) stops the survey. Names that associations add are
        resolved afterwards (resolve), once every list has said what it makes.
        """
        self.resource.before_writes(self.converger, self.specs, self.where)
        plans, problems, failures = [], [], []
        for number, spec in enumerate(self.specs):
            try:
                plan = self.converger.plan(spec)
            except TransientError as error:
                raise error.prefixed(self.where(number)) from None
            except ClickApiError as error:
                failures.append(error)
                plan = None
                problems.append((number, '%s: %s' % (self.where(number), error)))
            plans.append(plan)
        if self.purge:
            # What the purge will delete passes the checks of a delete first (with force: a purge says to delete).
            kept = set(id(plan.current) for plan in plans if plan is not None and plan.current is not None)
            for record in [record for record in self.lookup.records if id(record) not in kept]:
                try:
                    self.resource.before_delete(self.converger, record, {'force': True})
                except TransientError:
                    raise
                except ClickApiError as error:
                    failures.append(error)
                    problems.append((len(self.specs), 'purging %r (id %s): %s'
                                     % (record.get(self.resource.listing.name_key), record.get('id'), error)))
        return plans, problems, failures

    def resolve(self, plans):
        """What is wrong with the names the plans' associations add: (entry number, message led by where it is)."""
        problems = []
        for number, plan in enumerate(plans):
            if plan is None:
                continue
            try:
                found = self.converger.unresolved(plan)
            except TransientError as error:
                raise error.prefixed(self.where(number)) from None
            problems.extend((number, '%s: %s' % (self.where(number), problem)) for problem in found)
        return problems

    def creations(self, plans):
        """The names the plans create: later lists of the same run may refer to them."""
        return [plan.spec['name'] for plan in plans if plan and plan.current is None and not plan.delete
                and plan.wanted is not None]

    def write(self, plans):
        """Write the planned records in order, then purge; returns (results, diffs).

        A failed write raises Stopped with the results so far.
        """
        resource = self.resource
        results, diffs, kept = [], [], set()
        for number, plan in enumerate(plans):
            try:
                outcome = self.converger.converge(plan.spec, plan)
            except ClickApiError as error:
                rest = self.specs[number + 1:]
                raise Stopped(self, error, self.where(number), results + [self.entry(self.name_of(plan.spec), 'failed')]
                              + [self.entry(self.name_of(spec), 'not_reached') for spec in rest],
                              [self.name_of(spec) for spec in rest]) from None
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
                        raise Stopped(self, error, 'purging %r (id %s)' % (name, record.get('id')),
                                      results + [self.entry(name, 'failed')], []) from None
                self.lookup.remember(record, None)
                outcome = Outcome(True, record, None)
                results.append(self.result(name, outcome, 'purged'))
                diffs.append(self.diff(outcome))
        return results, diffs

    @staticmethod
    def name_of(spec):
        return spec.get('name') or spec.get('id')

    def entry(self, name, action):
        return {'name': name, 'changed': False, 'action': action, self.resource.key: {}}

    def result(self, name, outcome, action=None):
        return {'name': name, 'changed': outcome.changed, 'action': action or outcome.action,
                self.resource.key: self.resource.to_options(outcome.after)}

    def diff(self, outcome):
        name = (outcome.after or outcome.before or {}).get(self.resource.listing.name_key)
        header = '%s %s' % (self.resource.what, name)
        return {'before_header': header, 'after_header': header,
                'before': self.resource.to_options(outcome.before), 'after': self.resource.to_options(outcome.after)}


class Stopped(Exception):
    """A list stopped by a failed write: the error, where, the list's results so far, and the names not reached."""

    def __init__(self, job, error, where, results, rest):
        super().__init__(str(error))
        self.job = job
        self.error = error
        self.where = where
        self.results = results
        self.rest = rest


def converge_lists(run, jobs):
    """Converge several lists in one execution, in the order given (each kind before those that refer to it).

    Every list is planned before the first write: a record that an earlier list
    creates may be named by a later one (in check mode too), and a problem
    anywhere writes nothing and is told with all the others. Returns
    ({plural: results}, diffs).
    """
    planned = plan_lists(run, jobs)
    results, diffs = dict((job.resource.plural, []) for job in jobs), []
    for number, (job, plans) in enumerate(zip(jobs, planned)):
        try:
            results[job.resource.plural], more = job.write(plans)
        except Stopped as stop:
            raise _stopped(run, jobs, number, stop, results) from None
        diffs.extend(more)
    # Associations with records made later in the run (a project's new drives) are written now.
    waiting, run.waiting = run.waiting, []
    for converger, spec, record_id in waiting:
        record = converger.find({'id': record_id}, fresh=True) or {'id': record_id}
        try:
            converger.write_associations(spec, record)
        except ClickApiError as error:
            job = jobs[[job.resource for job in jobs].index(converger.resource)]
            stop = Stopped(job, error, '%s %r' % (job.resource.what, ListRun.name_of(spec)), results[job.resource.plural], [])
            raise _stopped(run, jobs, len(jobs) - 1, stop, results) from None
    return results, diffs


def plan_lists(run, jobs):
    """The plans of every list, in order (see converge_lists); one failure naming every problem, before any write."""
    found, failures, planned = [], [], []
    for order, job in enumerate(jobs):
        plans, problems, failed = job.survey()
        found.extend((order, number, problem) for number, problem in problems)
        failures.extend(failed)
        planned.append(plans)
        for name in job.creations(plans):
            run.references.plan(job.resource.listing, name)
    # Every list has said what it makes: the names the associations add can be resolved.
    for order, (job, plans) in enumerate(zip(jobs, planned)):
        found.extend((order, number, problem) for number, problem in job.resolve(plans))
    # Told in the order of the lists and their entries.
    problems = [problem for _order, _number, problem in sorted(found, key=lambda item: item[:2])]
    if problems:
        message = '; '.join(problems) + '; nothing was changed'
        if len(failures) == 1 and len(problems) == 1:
            raise failures[0].reworded(message, **_warned(run))
        raise ClickApiError(message, extra=_warned(run))
    return planned


def _warned(run):
    return {'warnings': list(run.warnings)} if run.warnings else {}


def _stopped(run, jobs, number, stop, results):
    """The error of lists stopped by a failed write: what was done before it, what failed, what was not reached."""
    results = dict(results, **{stop.job.resource.plural: stop.results})
    # Records are named with their kind only when several kinds were listed.
    several = len([job for job in jobs if job.specs]) > 1
    done = ['%s %s%r%s' % (result['action'], job.resource.what + ' ' if several else '', result['name'],
                           ' (id %s)' % result[job.resource.key]['id'] if result[job.resource.key].get('id') else '')
            for job in jobs[:number + 1] for result in results[job.resource.plural] if result['changed']]
    message = '%s: %s' % (stop.where, stop.error)
    extra = dict(_warned(run))
    if done and not run.check_mode:
        message += '; done before this failure: %s' % ', '.join(done)
        extra['changed'] = True
    later = [(job, [ListRun.name_of(spec) for spec in job.specs]) for job in jobs[number + 1:]]
    for job, names in later:
        results[job.resource.plural] = [job.entry(name, 'not_reached') for name in names]
    rest = [('%s ' % stop.job.resource.what, stop.rest)] + [('%s ' % job.resource.what, names) for job, names in later]
    unreached = ['%s%r' % (what if several else '', name) for what, names in rest for name in names]
    if unreached:
        message += '; not reached: %s' % ', '.join(unreached)
    extra.update(results)
    return stop.error.reworded(message, **extra)


def converge_kinds(client, lists, check_mode=False, diff=False):
    """The work of a module that converges lists: `lists` are (resource, specs, option, purge), in dependency order."""
    run = Run(client, check_mode)
    try:
        results, diffs = converge_lists(run, [ListRun(resource, run, specs, option, purge)
                                              for resource, specs, option, purge in lists])
    except ClickApiError as error:
        raise error.reworded(str(error), **_warned(run)) from None
    result = dict(results, changed=any(entry['changed'] for entries in results.values() for entry in entries),
                  warnings=run.warnings)
    if diff:
        result['diff'] = diffs
    return result


def converge_list(resource, client, specs, option, purge=False, check_mode=False, diff=False):
    """The work of a set module: one list converged in one execution; returns the result."""
    return converge_kinds(client, [(resource, specs, option, purge)], check_mode, diff)
