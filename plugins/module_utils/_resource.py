# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""How a resource is declared: its fields, its associations and its routes, and the vocabulary they give.

PRIVATE to the amove.click collection: its interface may change in any release.

The Click API speaks camelCase and enum numbers; users write snake_case and
enum names. A resource declares each option once (Field, Reference,
Association), and from that comes everything that crosses between the two:
the argument spec, the checks of the input before any request, the agent's
keys of what a task asks for, the comparison that decides check mode and real
mode alike, the check of the agent's answers, and the way back: a record in the
modules' own option names, as results, diffs and _info modules give it.

How a resource converges is _converge.py; a resource overrides only what is
truly its own (see Resource's hooks).
"""

from __future__ import annotations

import json

from ansible_collections.amove.click.plugins.module_utils._errors import (
    ClickApiError,
    checked_records,
    is_a,
    is_not_found,
    json_kind,
    unexpected,
)
from ansible_collections.amove.click.plugins.module_utils._options import name_problem, uuid_problem

PERMISSIONS = {'read': 1, 'read_write': 2}

# The JSON type a field of each kind has in the agent's records.
_JSON_TYPES = {'str': str, 'uuid': str, 'int': int, 'bool': bool, 'enum': int, 'raw': object}


def enum_name(names, number):
    """The name of an enum number, or the number itself when it has no name."""
    for name, value in names.items():
        if value == number:
            return name
    return number


class Field:
    """One option of a resource and the agent's key that holds it.

    `kind` is str, uuid, int, bool, raw, or enum (then `choices` maps the
    option's names to the agent's numbers). A field is managed when given
    (None means "not managed") and compared after one normalisation of both
    sides. `required` fields are needed to create a record. `create_only`
    ones cannot change once the record exists (a change fails before any
    write); `insert_only` ones only serve the insert and are never compared.
    `read_only` fields are the agent's (shown in results, never options);
    `write_only` ones are sent on insert and never answered (never shown).
    `minimum` bounds a number. `default` is what the agent keeps when a create
    leaves the option out (as documented, or as the emulator does where the
    documents are silent): an export of the account leaves such values out.
    `secret` ones are no_log, never compared (the agent answers them masked)
    and never shown. `within` names the key of the object in which the agent
    answers the value (a desktop drive's account: {"id": ..., "cloudType": 1}).
    """

    reference = False

    def __init__(self, option, key, kind='str', choices=None, required=False, create_only=False, insert_only=False,
                 read_only=False, secret=False, minimum=None, spec=None, write_only=False, default=None, within=None):
        self.option = option
        self.within = within
        self.key = key
        self.kind = 'enum' if isinstance(choices, dict) else kind
        self.choices = choices
        self.required = required
        self.create_only = create_only
        self.insert_only = insert_only or write_only
        self.write_only = write_only
        self.read_only = read_only
        self.secret = secret
        self.minimum = minimum
        self.spec = spec or {}
        self.default = default

    @property
    def compared(self):
        return not (self.read_only or self.insert_only or self.secret)

    def argument_spec(self):
        kind = {'uuid': 'str', 'enum': 'str'}.get(self.kind, self.kind)
        spec = dict(type=kind)
        if self.choices is not None:
            spec['choices'] = list(self.choices)
        if self.secret:
            spec['no_log'] = True
        spec.update(self.spec)
        return spec

    def to_agent(self, value):
        return self.choices[value] if self.kind == 'enum' else value

    def from_agent(self, value):
        if self.within is not None and isinstance(value, dict):
            value = value.get(self.within)
        return enum_name(self.choices, value) if self.kind == 'enum' else value

    def normalized(self, value):
        """One normalisation for both sides of a comparison (the agent's value and the wish)."""
        if value is None:
            return '' if self.kind in ('str', 'uuid') else value
        if self.kind == 'uuid':
            return str(value).lower()
        if self.kind == 'str':
            return str(value)
        if self.kind == 'int':
            return int(value)
        if self.kind == 'bool':
            return bool(value)
        return value

    def differs(self, record, wanted):
        return self.key in wanted and self.normalized(record.get(self.key)) != self.normalized(wanted[self.key])

    def problems(self, value, where):
        problem = uuid_problem(where + self.option, value) if self.kind == 'uuid' else None
        if problem:
            return [problem]
        if self.kind == 'str' and value is not None and self.required and not str(value).strip():
            return ['%s%s must not be empty' % (where, self.option)]
        # A boolean here is refused by type_problems, with its own message.
        if self.minimum is not None and value is not None and not isinstance(value, bool) and value < self.minimum:
            return ['%s%s must be at least %s, got %s' % (where, self.option, self.minimum, value)]
        return []


class Reference(Field):
    """An option that names a record of another kind (`listing`) whose id the agent keeps under `key`.

    The name goes through the one name rule (_names.References). A record
    that embeds the named record under `embedded` ({id, name}) says its name
    at no cost: an unchanged name is then not looked up. `alternative` is the
    option that gives the id instead.
    """

    reference = True

    def __init__(self, option, key, listing, embedded=None, alternative=None, required=False, insert_only=False):
        super().__init__(option, key, 'str', required=required, insert_only=insert_only)
        self.listing = listing
        self.embedded = embedded
        self.alternative = alternative

    @property
    def compared(self):
        return False  # what it resolves to is compared, under its key, by the field of the id

    def problems(self, value, where):
        if value is not None and not value.strip():
            return ['%s%s must not be empty' % (where, self.option)]
        return []

    def named(self, record):
        """The name of the referenced record as `record` embeds it, or None."""
        embedded = (record or {}).get(self.embedded) if self.embedded else None
        return embedded.get('name') if isinstance(embedded, dict) else None


class Association:
    """Who or what a record is associated with (a drive's users, a group's members): a list of names.

    The rows of a detailed record (`rows`) name each subject in an object
    (`subject`, named by its listing's name key) and carry the join record
    (`join`, whose id a removal needs). With `permissions`, each entry is
    {name, permission} and a change of permission is written in place.
    Additions go in one request to `add_path` (or `path`), as a list of
    {`subject_key`: id, `owner_key`: the record's id[, permissionType]}; changes
    to `path` with the join ids; removals one by one to `remove_path` (or
    `path`) with ?id=<join id>. Only with `purge` set does a list remove what it
    does not name. `managed` False: shown with details, never written here
    (a group's drive grants are written by the drive).
    """

    def __init__(self, option, rows, subject, join, listing, subject_key=None, owner_key=None, path=None,
                 add_path=None, remove_path=None, permissions=True, purge='purge_access', managed=True, exported=True,
                 label=None):
        self.option = option
        self.rows = rows
        self.subject = subject
        self.join = join
        self.listing = listing
        self.subject_key = subject_key
        self.owner_key = owner_key
        self.add_path = add_path or path
        self.change_path = path
        self.remove_path = remove_path or path
        self.permissions = permissions
        self.purge = purge
        self.managed = managed
        # A link that another resource's association also says is exported once, there.
        self.exported = exported and managed
        self.label = label or listing.what  # a subject in messages: 'drive'

    @property
    def name_key(self):
        return self.listing.name_key

    def argument_spec(self):
        if self.permissions:
            return dict(type='list', elements='dict', options=dict(
                name=dict(type='str', required=True),
                permission=dict(type='str', default='read', choices=list(PERMISSIONS))))
        return dict(type='list', elements='str')

    def names(self, entries):
        return [entry['name'] if isinstance(entry, dict) else entry for entry in entries or []]

    def problems(self, spec, where=''):
        """What is wrong with the list given, checked before any request."""
        problems = []
        names = self.names(spec.get(self.option))
        for number, name in enumerate(names):
            if name is None or not str(name).strip():
                what = 'username' if self.name_key == 'username' else 'name'
                problems.append('%s%s[%d] needs a %s' % (where, self.option, number, what))
            elif names.index(name) != number:
                problems.append('%s%s lists %r twice' % (where, self.option, name))
        return problems

    def name_in(self, row):
        return (row.get(self.subject) or {}).get(self.name_key)

    def current(self, record):
        """{name: (permission type or None, join id, subject id)} of a detailed record."""
        current = {}
        for row in (record or {}).get(self.rows) or []:
            join = row.get(self.join) or {}
            current[self.name_in(row)] = (join.get('permissionType'), join.get('id'), (row.get(self.subject) or {}).get('id'))
        return current

    def view(self, record):
        """The association in the modules' vocabulary: [{name, permission}] or [name], sorted."""
        current = self.current(record)
        if self.permissions:
            return sorted(({'name': name, 'permission': enum_name(PERMISSIONS, entry[0])} for name, entry in current.items()),
                          key=lambda entry: str(entry['name']))
        return sorted(current, key=str)

    def changes(self, spec, record):
        """The Change list that makes the record's association match `spec` (none when it already does)."""
        entries = spec.get(self.option)
        if entries is None:
            return []
        have = self.current(record)
        if self.permissions:
            wanted = dict((entry['name'], PERMISSIONS[entry['permission']]) for entry in entries)
        else:
            wanted = dict((name, None) for name in entries)
        if self.listing.fold_case:
            # A name in another letter case is the subject the record has under its own spelling.
            wanted = dict((self._as_had(name, have), permission) for name, permission in wanted.items())
        changes = []
        for name, permission in wanted.items():
            if name not in have:
                changes.append(Change(self, 'add', name, permission))
            elif self.permissions and have[name][0] != permission:
                changes.append(Change(self, 'change', name, permission, have[name][1], have[name][2]))
        if spec.get(self.purge):
            changes.extend(Change(self, 'remove', name, entry_id=have[name][1]) for name in have if name not in wanted)
        return changes

    @staticmethod
    def _as_had(name, have):
        same = [had for had in have if str(had).lower() == name.lower()]
        return same[0] if name not in have and len(same) == 1 else name

    def with_changes(self, record, changes):
        """The record's rows as they are once `changes` are made (for results, diffs and check mode)."""
        mine = [change for change in changes if change.association is self]
        rows = list(record.get(self.rows) or [])
        for change in mine:
            rows = [row for row in rows if self.name_in(row) != change.name]
            if change.action != 'remove':
                join = {'permissionType': change.permission} if self.permissions else {}
                rows.append({self.subject: {self.name_key: change.name}, self.join: join})
        return sorted(rows, key=lambda row: str(self.name_in(row)))

    def write(self, client, owner_id, changes, references):
        """Additions and permission changes in one request each, removals one by one."""
        mine = [change for change in changes if change.association is self]
        added = [self._entry(references.id_of(self.listing, change.name), owner_id, change.permission)
                 for change in mine if change.action == 'add']
        if added:
            client.request('POST', self.add_path, body=added)
        changed = [dict(self._entry(change.subject_id, owner_id, change.permission), id=change.entry_id)
                   for change in mine if change.action == 'change']
        if changed:
            client.request('PUT', self.change_path, body=changed)
        for change in mine:
            if change.action == 'remove':
                # The id of the join record, not of the subject.
                client.request('DELETE', self.remove_path, {'id': change.entry_id})

    def _entry(self, subject_id, owner_id, permission):
        entry = {self.subject_key: subject_id, self.owner_key: owner_id}
        if self.permissions:
            entry['permissionType'] = permission
        return entry

    def check(self, where, record, label):
        """Fail unless each row names its subject (with a name) and carries the join record's id."""
        value = record.get(self.rows)
        if value is None:
            return
        if not isinstance(value, list):
            raise unexpected(where, '%s: %s is %s, not a list' % (label, self.rows, json_kind(value)))
        for row in value:
            if not isinstance(row, dict) or not isinstance(row.get(self.subject), dict):
                raise unexpected(where, '%s: an entry of %s has no %s object' % (label, self.rows, self.subject))
            if not isinstance(row[self.subject].get(self.name_key), str) or not isinstance(row.get(self.join), dict) \
                    or not isinstance(row[self.join].get('id'), str):
                raise unexpected(where, '%s: an entry of %s has no %s with a %s, or no %s with an id'
                                 % (label, self.rows, self.subject, self.name_key, self.join))


class Change:
    """One association to add, change or remove."""

    def __init__(self, association, action, name, permission=None, entry_id=None, subject_id=None):
        self.association = association
        self.action = action            # add, change, remove
        self.name = name
        self.permission = permission    # permission type number
        self.entry_id = entry_id        # the join record's id (change, remove)
        self.subject_id = subject_id    # the subject's id (change)


class Resource:
    """A kind of record of the Click API, declared: what it is called, where it lives, its fields.

    Subclasses set the class attributes, and override a hook only for what is
    truly their own; everything else is derived here or done by the engine
    (_converge.Converger).
    """

    what = 'record'                 # in messages: 'shared cloud drive'
    label = 'record'                # an item of a listing in messages about its shape: 'drive'
    key = 'record'                  # result key of one record: 'shared_cloud_drive'
    plural = 'records'              # result key of a list of them
    listing = None                  # _names.Listing of the records
    fields = ()                     # Field and Reference
    associations = ()               # Association
    name_max_length = 50
    server_owned = ()               # keys of a record never sent back on update
    insert_path = None
    update_path = None
    delete_path = None
    insert_defaults = {}            # agent keys every insert sends
    required_to_create = ()         # groups of options, one of each needed to create: (('cloud_account', 'cloud_account_id'),)
    extra_options = {}              # argument spec of the options only its hooks read (a group's force)
    ignored = ()                    # more keys of its _info records that no option sets (a desktop drive's health)
    secrets_variable = None         # the variable an export names for its secrets (kept in a vault)
    kept_after_delete = ()          # associations the agent keeps after a delete: taken back first, only with force
    empty_purge_guard = None        # the option that must allow a purge with empty lists, when one must
    details_always = False          # read the detailed listing even when no association is given
    rename = None                   # how a record is renamed, in the advice of the name rule
    to_create = '%(what)s %(name)r does not exist; to create it, also set %(missing)s'
    unknown_id = 'no live %(what)s has id %(id)s; to create a %(what)s give name (without id)'

    # ---- the argument spec and the checks of input ---------------------------------------

    @property
    def options(self):
        """Fields that are options (not the agent's own)."""
        return [field for field in self.fields if not field.read_only]

    @property
    def managed(self):
        return [association for association in self.associations if association.managed]

    def record_spec(self):
        """The argument spec of one record's own options (without name, id and state)."""
        spec = dict((field.option, field.argument_spec()) for field in self.options if field.option != 'name')
        for association in self.managed:
            spec[association.option] = association.argument_spec()
            spec.setdefault(association.purge, dict(type='bool', default=False))
        if self.empty_purge_guard:
            spec[self.empty_purge_guard] = dict(type='bool', default=False)
        spec.update(self.extra_options)
        # What the agent says beyond the options, as _info modules return it: accepted
        # and ignored, so that a record read can be given back as it is.
        read = [field.option for field in self.fields if field.read_only] \
            + [association.option for association in self.associations if not association.managed] + list(self.ignored)
        spec.update((option, dict(type='raw')) for option in read)
        return spec

    def selection_spec(self):
        """name, id, state, and the record's options: the argument spec of the one-record module."""
        return dict(name=dict(type='str'), id=dict(type='str'),
                    state=dict(type='str', default='present', choices=['present', 'absent']), **self.record_spec())

    def problems(self, spec, where=''):
        """What is wrong with one record's options, checked before any request; `where` leads each ('drives[2].')."""
        problems = []
        if spec.get('name') is not None:
            problem = name_problem(where + 'name', spec['name'], self.name_max_length)
            if problem:
                problems.append(problem)
        if spec.get('id') is not None:
            problem = uuid_problem(where + 'id', spec['id'])
            if problem:
                problems.append(problem)
        for field in self.options:
            if field.option != 'name':
                problems.extend(field.problems(spec.get(field.option), where))
        if spec.get('name') is None and spec.get('id') is None:
            problems.append('%sname or %sid is required' % (where, where))
        for association in self.managed:
            problems.extend(association.problems(spec, where))
        problems.extend(self.purge_problems(spec, where))
        return problems

    def purge_problems(self, spec, where=''):
        """A purge option makes the lists it governs exact: with none of them given it means nothing; emptying needs the guard."""
        problems = []
        for purge in dict.fromkeys(association.purge for association in self.managed):
            if not spec.get(purge):
                continue
            lists = [association.option for association in self.managed if association.purge == purge]
            given = [option for option in lists if spec.get(option) is not None]
            if not given:
                problems.append('%s%s makes %s exact, and none is given: give %s (or leave %s out)'
                                % (where, purge, ' and '.join(lists), ' or '.join(lists), purge))
            elif self.empty_purge_guard and not any(spec.get(option) for option in given) \
                    and not spec.get(self.empty_purge_guard):
                problems.append('%s%s with an empty %s would remove every one; set %s%s to true if that is really wanted'
                                % (where, purge, ' and '.join(given), where, self.empty_purge_guard))
        return problems

    def selection_problems(self, params):
        """What is wrong with the name and id that select records (an _info module's), checked before any request."""
        problems = []
        if params.get('name') is not None:
            problem = name_problem('name', params['name'], self.name_max_length)
            if problem:
                problems.append(problem)
        problem = uuid_problem('id', params.get('id'))
        return problems + ([problem] if problem else [])

    # ---- the agent's answers ---------------------------------------------------------------

    def check(self, where, record, number=0):
        """A record of the agent whose fields have the types the declaration says (missing or null: unset)."""
        checked_records(where, [record], self.listing.name_key)
        label = '%s %s' % (self.label, number)
        for field in self.fields:
            value = record.get(field.key)
            if value is not None and not field.reference and not field.insert_only \
                    and not is_a(_JSON_TYPES[field.kind], value):
                raise unexpected(where, '%s: %s is %s' % (label, field.key, json_kind(value)))
            embedded = record.get(field.embedded) if field.reference and field.embedded else None
            if embedded is not None and not isinstance(embedded, dict):
                raise unexpected(where, '%s: %s is %s' % (label, field.embedded, json_kind(embedded)))
        for association in self.associations:
            association.check(where, record, label)
        return record

    # ---- the vocabulary, both ways -------------------------------------------------------------

    def to_agent(self, spec):
        """The agent's keys of the options `spec` sets (references not resolved here: see Converger.wanted)."""
        return dict((field.key, field.to_agent(spec[field.option])) for field in self.options
                    if not field.reference and not field.insert_only and spec.get(field.option) is not None)

    def differences(self, record, wanted):
        """Options (by name) whose wanted value differs from the record's."""
        return [field.option for field in self.fields if field.compared and field.differs(record, wanted)]

    def to_options(self, record, details=True):
        """A record of the agent in the modules' vocabulary ({} for no record).

        Only what the record says: a record predicted in check mode has no id
        and none of the values the agent would choose, so those keys are left
        out. Associations that are only shown come with `details`.
        """
        if not record:
            return {}
        result = {}
        if 'id' in record:
            result['id'] = record['id']
        for field in self.fields:
            if field.secret or field.write_only:
                continue
            if field.reference:
                if field.embedded and field.embedded in record:
                    result[field.option] = field.named(record)
            elif field.key in record:
                result[field.option] = field.from_agent(record[field.key])
        if any(association.rows in record for association in self.managed):
            for association in self.managed:
                result[association.option] = association.view(record)
        if details:
            for association in self.associations:
                if not association.managed and association.rows in record:
                    result[association.option] = association.view(record)
        return result

    def definition(self, record):
        """A record as the options that make it, for an export: (options, what cannot be said and why).

        Names, not ids; only what differs from what the agent keeps by default;
        no secret (see secret_references); the agent's own fields left out.
        """
        name = record.get(self.listing.name_key)
        entry, reasons = {'name': name}, []
        options = self.to_options(record, details=False)
        for field in self.options:
            if field.option == 'name' or field.insert_only:
                continue
            if field.secret:
                continue  # never said; an export names where the user keeps it (secret_references)
            if field.reference:
                if options.get(field.option):
                    entry[field.option] = options[field.option]
                elif record.get(field.key):
                    reasons.append('its %s (id %s) is not one the agent lists' % (field.listing.what, record[field.key]))
                continue
            if any(other.reference and other.alternative == field.option for other in self.options):
                continue  # said by its name
            value = options.get(field.option)
            if value is not None and value != '' and value != field.default:
                entry[field.option] = value
        for association in self.managed:
            if association.exported and association.view(record):
                entry[association.option] = association.view(record)
        return entry, reasons

    def secret_references(self, name):
        """The secret options of a record as references to the variable that holds them (in a vault), for an export.

        Each is none when that variable does not hold it, so that applying the
        export without the secrets changes nothing that exists.
        """
        if not self.secrets_variable:
            return {}
        return dict((field.option, '{{ %s[%s].%s | default(none) }}' % (self.secrets_variable, json.dumps(name), field.option))
                    for field in self.options if field.secret)

    def writable(self, record):
        """A record ready to be sent back whole: without what the agent owns."""
        owned = set(self.server_owned) | set(association.rows for association in self.associations)
        return dict((key, value) for key, value in record.items() if key not in owned)

    def with_changes(self, record, changes):
        """A record as it is once association `changes` are made."""
        result = dict(record)
        for association in self.managed:
            if association.rows in record or any(change.association is association for change in changes):
                result[association.rows] = association.with_changes(record, changes)
        return result

    def wants_details(self, spec):
        return self.details_always or any(spec.get(association.option) is not None for association in self.managed)

    # ---- hooks: a resource overrides what is truly its own -------------------------------------

    def prepare(self, converger, spec, current, wanted):
        """More of what the task asks for, decided before any write (check what only check mode must ask)."""

    def unseen_changes(self, spec, current):
        """Options taken as changed though no comparison can show it (keys the agent answers masked)."""
        return []

    def held(self, record):
        """What a record holds that the agent would keep after its delete ('drive 'Stills'', ...)."""
        return ['%s %r' % (association.label, association.name_in(row)) for association in self.kept_associations()
                for row in record.get(association.rows) or []]

    def kept_associations(self):
        """The associations of kept_after_delete, in its order."""
        by_option = {association.option: association for association in self.associations}
        return [by_option[option] for option in self.kept_after_delete]

    def before_delete(self, converger, current, spec):
        """Fail before any write when `current` must not be deleted as asked.

        A record that holds what the agent keeps after its delete (kept_after_delete)
        is deleted only with force, which takes it all back first (see remove).
        """
        held = self.held(current)
        if held and not spec.get('force'):
            raise ClickApiError('%s %r still holds %s; the agent would keep them after the delete: remove them first, or '
                                'set force to true to take them back and delete the %s'
                                % (self.what, current.get(self.listing.name_key), ', '.join(held), self.what))

    def before_writes(self, converger, specs, where):
        """A list of records: fail before the first write when the list cannot be written whole (a quota).

        `where(number)` names the list's entry `number` in messages.
        """

    def create(self, converger, plan):
        """Make the record `plan` asks for; returns it as the agent keeps it."""
        return converger.insert(plan)

    def update(self, converger, plan):
        """Change the record as `plan` asks; returns it as the agent keeps it."""
        return converger.change(plan)

    def remove(self, converger, record):
        """The requests that delete a record: what the agent would keep after it first, by the ids of their joins."""
        for association in self.kept_associations():
            for row in record.get(association.rows) or []:
                converger.client.request('DELETE', association.remove_path, {'id': row[association.join]['id']})
        return converger.client.request('DELETE', self.delete_path, {'id': record['id']})

    def gone(self, error):
        """Whether a refused delete may mean that the record is already gone."""
        return is_not_found(error)

    def explain(self, converger, error, spec):
        """Words for a refused write that only this resource can add, or None."""
        return None

    def predict(self, plan, record):
        """The record check mode predicts, with what the agent derives from the options the resource can tell."""
        return record

    def result(self, outcome):
        """Keys the one-record module adds to its result."""
        return {}
