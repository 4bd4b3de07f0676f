# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The connection options of every module, declared once, and the checks of any input before a request.

PRIVATE to the amove.click collection: its interface may change in any release.
"""

from __future__ import annotations

import os
import re
from urllib.parse import urlsplit

from ansible.module_utils.errors import AnsibleFallbackNotFound

DEFAULT_URL = 'http://localhost:29123'

# Login 'type' of the Click API: the UserType of the desktop role.
USER_TYPES = {
    'desktop_admin': 16,
    'desktop_creative_user': 32,
    'desktop_standard_user': 64,
}


def non_empty_env_fallback(*names):
    """Like ansible's env_fallback, except that a variable set to '' counts as unset.

    AWX injects '' for every credential field left empty: an empty URL or user
    type must mean the default, not fail every task.
    """
    return first_set_variable(names, os.environ)


def first_set_variable(names, environment):
    """The value of the first of `names` that `environment` sets to something other than ''."""
    for name in names:
        if environment.get(name):
            return environment[name]
    raise AnsibleFallbackNotFound


CONNECTION_ARGUMENT_SPEC = dict(
    url=dict(type='str', default=DEFAULT_URL, fallback=(non_empty_env_fallback, ['AMOVE_CLICK_URL'])),
    token=dict(type='str', no_log=True, fallback=(non_empty_env_fallback, ['AMOVE_CLICK_TOKEN'])),
    username=dict(type='str', fallback=(non_empty_env_fallback, ['AMOVE_CLICK_USERNAME'])),
    password=dict(type='str', no_log=True, fallback=(non_empty_env_fallback, ['AMOVE_CLICK_PASSWORD'])),
    user_type=dict(type='str', default='desktop_admin', choices=list(USER_TYPES),
                   fallback=(non_empty_env_fallback, ['AMOVE_CLICK_USER_TYPE'])),
    timeout=dict(type='int', default=30),
    validate_certs=dict(type='bool', default=True),
)


# What each user type is called in options and messages.
USER_TYPE_NAMES = dict((number, name) for name, number in USER_TYPES.items())


def url_problems(url):
    """What is wrong with the url option. Never repeats a url that may carry a secret."""
    example = 'give only the base URL such as %s' % DEFAULT_URL
    if not url:
        return ["url must be the agent's base URL such as %s" % DEFAULT_URL]
    if any(not 0x21 <= ord(char) <= 0x7e for char in url):
        return ['url must be printable ASCII without spaces (percent-encode anything else); %s' % example]
    try:
        parts = urlsplit(url)
    except ValueError:  # such as an unclosed [ of an IPv6 address
        return ["url must be the agent's base URL, an absolute http or https URL such as %s" % DEFAULT_URL]
    if '@' in parts.netloc or url_password(url):
        return ['url must not carry a user name or password; give the credentials as token, or username and '
                'password, and %s' % example]
    if '?' in url or '#' in url:
        return ['url must not carry a query string or fragment; %s' % example]
    if parts.scheme not in ('http', 'https') or not parts.hostname:
        return ["url must be the agent's base URL, an absolute http or https URL such as %s, got %r" % (DEFAULT_URL, url)]
    try:
        parts.port
    except ValueError:
        return ['url has a port that is not a number from 1 to 65535; %s' % example]
    return []


def connection_problems(params, credentials=True):
    """Return what is wrong with the connection options, checked before any request."""
    problems = url_problems(params['url'])
    if credentials and not params['token'] and not (params['username'] and params['password']):
        problems.append('no credentials: set token (or AMOVE_CLICK_TOKEN), '
                        'or username and password (or AMOVE_CLICK_USERNAME and AMOVE_CLICK_PASSWORD)')
    if params['timeout'] is not None and not isinstance(params['timeout'], bool) and params['timeout'] < 1:
        problems.append('timeout must be at least 1 second, got %s' % params['timeout'])
    return problems


def type_problems(spec, args, where=''):
    """Booleans given where integers are expected, and numbers where booleans are.

    Ansible converts both silently (true becomes 1, 1 becomes true); a task
    that says objects_per_folder: true means something else, so refuse it.
    `args` are the task's arguments as given, before that conversion.
    """
    problems = []
    if not isinstance(args, dict):
        return problems
    for option, rules in spec.items():
        value = args.get(option)
        if value is None:
            continue
        name = where + option
        kind = rules.get('type', 'str')
        if kind == 'int' and isinstance(value, bool):
            problems.append('%s must be a whole number, got the boolean %s; write a number such as 1'
                            % (name, str(value).lower()))
        elif kind == 'bool' and isinstance(value, (int, float)) and not isinstance(value, bool):
            problems.append('%s must be true or false, got the number %s; write true or false' % (name, value))
        elif rules.get('options') and isinstance(value, list):
            for number, entry in enumerate(value):
                problems.extend(type_problems(rules['options'], entry, '%s[%d].' % (name, number)))
    return problems


def url_password(url):
    """A password written into url (refused), which must not show in the task's result either; or None.

    Also one that urlsplit reads wrong: a / left unencoded in it ends the host there.
    """
    try:
        password = urlsplit(url or '').password
    except ValueError:
        password = None
    scheme, separator, rest = str(url or '').partition('://')
    userinfo = rest.rpartition('@')[0] if separator and scheme else ''
    if ':' in userinfo:
        return userinfo.split(':', 1)[1]
    return password


UUID_PATTERN = re.compile(r'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$')
UUID_EXAMPLE = '3f0c2a9e-8d1b-4c55-9a7e-2b6f1d0e4c11'


def is_uuid(value):
    return isinstance(value, str) and bool(UUID_PATTERN.match(value))


def uuid_problem(option, value):
    """What is wrong with an option that must hold a UUID, or None."""
    if value is not None and not is_uuid(value):
        return '%s must be a UUID such as %s, got %r' % (option, UUID_EXAMPLE, value)
    return None


def name_problem(option, name, max_length):
    """What is wrong with a name, or None."""
    if not name or not name.strip():
        return '%s must not be empty' % option
    if len(name) > max_length:
        return '%s must be at most %d characters, %r has %d' % (option, max_length, name, len(name))
    return None
