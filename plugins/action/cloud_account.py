# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Action plugin of amove.click.cloud_account: runs the module on the desktop, or its work on the controller."""

from __future__ import annotations

from ansible_collections.amove.click.plugins.module_utils._cloud_account import CLOUD_ACCOUNT
from ansible_collections.amove.click.plugins.plugin_utils._click_action import ClickAction


class ActionModule(ClickAction):
    definition = CLOUD_ACCOUNT
