# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""The secrets of a task (token, password, keys) and the forms they take in a URL.

PRIVATE to the amove.click collection: its interface may change in any release.

The token travels in the query string, so a secret may show raw or URL-encoded.
ansible-core 2.22 and later mask every registered secret wherever they show
something, and no longer replace no_log values in results; earlier versions
replace the no_log values (raw only) in a module's results and mask nothing else.
So each secret, in every form, is registered with ansible-core where it offers
that, and the collection masks its own results itself on every version.
"""

from __future__ import annotations

from urllib.parse import quote, quote_plus

try:
    from ansible.module_utils.secrets import register_secrets as _register_with_core
except ImportError:  # ansible-core before 2.22 has no registry of secrets
    _register_with_core = None

# What stands in for a secret in the collection's own results.
MASK = '********'


def secret_forms(values):
    """Each secret, and the forms it takes in a URL (path or query string)."""
    forms = set()
    for value in values:
        value = '' if value is None else str(value)
        if value.strip():
            forms.update((value, quote(value), quote(value, safe=''), quote_plus(value)))
    return forms


def register_secrets(values):
    """The forms of `values`, registered with ansible-core as secrets where it can mask them (2.22 and later)."""
    forms = secret_forms(values)
    if forms and _register_with_core is not None:
        _register_with_core(sorted(forms))
    return forms


def mask_secrets(data, forms):
    """`data` (strings, lists, dicts, in keys and values) with every occurrence of each form replaced by MASK."""
    ordered = sorted(forms, key=len, reverse=True)
    if not ordered:
        return data

    def text(value):
        for form in ordered:
            if form in value:
                value = value.replace(form, MASK)
        return value

    def walk(value):
        if isinstance(value, str):
            return text(value)
        if isinstance(value, dict):
            return dict((walk(key), walk(item)) for key, item in value.items())
        if isinstance(value, (list, tuple, set, frozenset)):
            return type(value)(walk(item) for item in value)
        return value

    return walk(data)
