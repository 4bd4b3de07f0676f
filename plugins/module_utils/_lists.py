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
