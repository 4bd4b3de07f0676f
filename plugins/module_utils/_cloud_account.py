# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Cloud accounts, declared: the provider accounts whose buckets shared cloud drives are made from.

PRIVATE to the amove.click collection: its interface may change in any release.

What only a cloud account has: the agent checks its keys with the provider
before it saves one, answers them masked, and has no route that changes a saved
account except its sharing (manage_share). So the keys are sent on create only
(update_credentials=always makes an account that no drive uses anew, then
deletes the old one), a change that no route makes (provider, service URL,
name of an account selected by id) fails before any write, region and endpoint serve the create and can never be read
back, the accounts whose credentials come from a sign-in in the Amove app
(Dropbox, Box, OneDrive, Google Drive) are not created here, and an account
that drives still use is never deleted.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._converge import converge_one, read_records
from ansible_collections.amove.click.plugins.module_utils._errors import ClickApiError
from ansible_collections.amove.click.plugins.module_utils._listings import CLOUD_ACCOUNT_LISTING, DRIVE_LISTING
from ansible_collections.amove.click.plugins.module_utils._resource import Field, Resource
from ansible_collections.amove.click.plugins.module_utils._runner import ModuleDefinition
from ansible_collections.amove.click.plugins.module_utils._write_rule import verified_write

# The agent's cloudType (CloudProvider flags), by the names the modules use.
PROVIDERS = {
    'aws': 1, 'wasabi': 2, 'azure': 4, 's3_generic': 8, 'google': 16, 'frame': 32, 'cloudflare': 64, 'dropbox': 128,
    'box': 256, 'onedrive': 512, 'google_drive': 1024, 'local_http': 2048, 'fastr_server': 4096, 'atomosphere': 8192,
}
# Their credentials come from a sign-in in the Amove app, never from keys.
SIGN_IN = ('dropbox', 'box', 'onedrive', 'google_drive')
# Keys are what the provider checks for these.
WITH_KEYS = ('aws', 'wasabi', 'azure', 's3_generic', 'google', 'cloudflare')
WITH_SERVICE_URL = ('s3_generic', 'local_http', 'fastr_server')
SHARE = '/cloud/manage_share'


class CloudAccounts(Resource):
    what = 'cloud account'
    label = 'cloud account'
    key = 'cloud_account'
    plural = 'cloud_accounts'
    listing = CLOUD_ACCOUNT_LISTING
    name_max_length = 50
    fields = (
        # No route renames an account: a name given with id must be its name.
        Field('name', 'name', create_only=True),
        Field('provider', 'cloudType', choices=PROVIDERS, create_only=True),
        Field('service_url', 'serviceUrl', create_only=True),
        # Sent on create, never answered (not fields of the documented CloudAccount).
        Field('region', 'region', write_only=True),
        Field('endpoint', 'endpoint', write_only=True),
        Field('access_key', 'accessKey', secret=True),
        Field('secret_key', 'secretKey', secret=True),
        Field('shared', 'shared', 'bool', default=False),
        Field('active', 'active', 'bool', read_only=True),
        Field('internal_storage', 'internalStorage', 'bool', read_only=True),
        Field('storage_tier', 'storageTier', 'int', read_only=True),
        Field('user_id', 'userId', read_only=True),
        Field('account_id', 'accountId', read_only=True),
    )
    extra_options = dict(update_credentials=dict(type='str', default='on_create', choices=['on_create', 'always']))
    server_owned = ('deleted',)
    secrets_variable = 'amove_click_cloud_account_keys'
    insert_path = '/cloud/insert_account'
    delete_path = '/cloud/delete'
    required_to_create = (('provider',),)
    rename = 'select it by id (no route renames a cloud account)'
    unknown_id = 'no live %(what)s has id %(id)s; to create a %(what)s give name and provider (without id)'

    def problems(self, spec, where=''):
        problems = super().problems(spec, where)
        provider = spec.get('provider')
        # Without provider, the account exists or cannot be made: its keys, if given, go together all the same.
        if spec.get('state', 'present') != 'absent' and (provider is None or provider in WITH_KEYS) \
                and (spec.get('access_key') is None) != (spec.get('secret_key') is None):
            problems.append('%saccess_key and %ssecret_key go together: give both, or neither to leave the keys as they are'
                            % (where, where))
        return problems

    def prepare(self, converger, spec, current, wanted):
        """Before any write: what a new account needs, and whether an account with new keys can be made anew."""
        if current is not None:
            if self.unseen_changes(spec, current):
                self.before_delete(converger, current, spec)
                # Made anew: a drive of the same run that names it takes the new account's id.
                converger.run.references.plan(self.listing, current['name'])
            return
        provider = spec['provider']
        if provider in SIGN_IN:
            raise ClickApiError('cloud account %r: %s accounts are connected through the provider\'s sign-in in the Amove '
                                'app, not with keys: connect it there, then name it in cloud_account' % (spec['name'], provider))
        missing = [option for option, needed in (('access_key', provider in WITH_KEYS), ('secret_key', provider in WITH_KEYS),
                                                 ('service_url', provider in WITH_SERVICE_URL)) if needed and not spec.get(option)]
        if missing:
            raise ClickApiError('cloud account %r does not exist; to create it with provider %s, also set %s'
                                % (spec['name'], provider, ' and '.join(missing)))
        wanted.update(self.creation(spec))

    def unseen_changes(self, spec, current):
        """Keys are answered masked: with update_credentials=always, given keys are taken as changed."""
        if current is None or spec.get('update_credentials') != 'always':
            return []
        return [option for option in ('access_key', 'secret_key') if spec.get(option) is not None]

    def before_delete(self, converger, current, spec):
        """An account that drives still use is never deleted (the agent does not refuse it: the drives would break)."""
        facts = converger.run.facts
        if 'drives' not in facts:
            # Read once per run: every check happens before the first write.
            facts['drives'] = DRIVE_LISTING.records(converger.client)
        users = [drive['name'] for drive in facts['drives']
                 if str(drive.get('cloudAccountId', '')).lower() == current['id'].lower()]
        if users:
            raise ClickApiError('cloud account %r is used by the shared cloud drives %s: delete them, or move them to another '
                                'cloud account, first' % (current['name'], ', '.join(repr(name) for name in sorted(users))))

    def update(self, converger, plan):
        """Share or unshare it (the only change a route makes); re-create it for new keys when asked and possible."""
        current, spec = plan.current, plan.spec
        if self.unseen_changes(spec, current):
            return self.make_anew(converger, plan)
        shared = plan.wanted['shared']
        verified_write(lambda state: converger.client.request('PUT', SHARE, body=dict(self.writable(state), shared=shared)),
                       lambda: converger.find({'id': current['id']}, fresh=True),
                       lambda state: state is not None and bool(state.get('shared')) == shared, current)
        return dict(current, shared=shared)

    def make_anew(self, converger, plan):
        """New keys: a new account with them is made first (the provider checks them), then the old one deleted.

        Keys the provider refuses so change nothing; the new account takes the
        old one's name, provider, service URL and sharing unless the task says otherwise.
        """
        current, client = plan.current, converger.client
        body = dict((field.key, current.get(field.key)) for field in self.fields if field.create_only)
        body['shared'] = bool(current.get('shared'))
        body.update(plan.wanted)
        body.update(self.creation(plan.spec))
        old_id = current['id'].lower()

        def look():
            # The old account still has the name: the new one is the other record that has it.
            return next((record for record in self.listing.records(client) if record.get('name') == body['name']
                         and str(record.get('id', '')).lower() != old_id), None)

        answer, answered = verified_write(lambda state: client.request('POST', self.insert_path, body=body), look,
                                          lambda state: state is not None, None)
        if not answered:
            made = answer
        elif answer is None or answer == '':
            # Documented to answer with the account; should an agent answer with nothing, read it back rather than guess.
            made = look() or {'name': body['name']}
        else:
            made = self.check('POST %s' % self.insert_path, answer)
        try:
            converger.delete(current)
        except ClickApiError as error:
            raise error.reworded('%s; the new keys are in a new cloud account %r (id %s), and the old one (id %s) is '
                                 'still there: delete it by id' % (error, made.get('name'), made.get('id'), current['id']),
                                 changed=True) from None
        converger.run.references.made(self.listing, made.get('name'), made.get('id'))
        return made

    def predict(self, plan, record):
        """An account made anew gets a new id, which check mode cannot know."""
        if plan.current is not None and self.unseen_changes(plan.spec, plan.current):
            record = dict((key, value) for key, value in record.items() if key != 'id')
        return record

    def creation(self, spec):
        """What only an insert sends: region and endpoint (the keys are sent with it, as with any option)."""
        return dict((field.key, spec[field.option]) for field in self.fields
                    if field.insert_only and spec.get(field.option) is not None)


CLOUD_ACCOUNTS = CloudAccounts()


# ---- the modules --------------------------------------------------------------

CLOUD_ACCOUNT = ModuleDefinition(
    CLOUD_ACCOUNTS.selection_spec(),
    lambda client, params, check_mode, diff: converge_one(CLOUD_ACCOUNTS, client, params, check_mode, diff),
    CLOUD_ACCOUNTS.problems, required_one_of=[('name', 'id')])


def _read_accounts(client, params, check_mode, diff):
    records, warnings = read_records(CLOUD_ACCOUNTS, client, params)
    return dict(changed=False, cloud_accounts=[CLOUD_ACCOUNTS.to_options(record) for record in records], warnings=warnings)


CLOUD_ACCOUNT_INFO = ModuleDefinition(
    dict(name=dict(type='str'), id=dict(type='str')), _read_accounts, CLOUD_ACCOUNTS.selection_problems)
