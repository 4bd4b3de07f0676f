# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Where each kind of record of the Click API is listed: what every name of the collection resolves through.

PRIVATE to the amove.click collection: its interface may change in any release.

A resource declares which listing is its own; a reference to another kind of
record (a drive's cloud account, a group's members) names that kind's listing
here, so a resource never imports another resource.
"""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._names import Listing

DRIVE_LISTING = Listing('shared cloud drive', '/sharedclouddrive/get_all', details='/sharedclouddrive/get_all_with_details')
GROUP_LISTING = Listing('user group', '/usergroup/get_all', details='/usergroup/get_all_with_details')
PROJECT_LISTING = Listing('project', '/projects/get_all', details='/projects/get_all_with_details')
# A bare array, no filter, no paging (a collection is accepted too).
CLOUD_ACCOUNT_LISTING = Listing('cloud account', '/cloud/accounts', name_filter=None, paged=False)
# Usernames are e-mail addresses, whose letter case means nothing: one user equal ignoring case is that user.
USER_LISTING = Listing('user', '/user/get_all_users', name_key='username', name_filter='username', fold_case=True)
# The agent's own drives on its desktop: a bare array of a route that takes no token.
DESKTOP_DRIVE_LISTING = Listing('desktop drive', '/management/clouddrive', name_filter=None, paged=False, agent=True)
