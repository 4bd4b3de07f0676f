# -*- coding: utf-8 -*-
# Copyright: Contributors to the amove.click collection
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)

"""Connection options shared by every amove.click module.

PRIVATE to the amove.click collection: use it only from this collection's modules.
"""

from __future__ import annotations


class ModuleDocFragment:

    # Every module: the connection options, and what holds for all of them.
    DOCUMENTATION = r'''
options:
  url:
    description:
      - Base URL of the Amove agent's Click API, an absolute C(http) or C(https) URL of printable
        ASCII characters, without user name, password, query string or fragment.
      - The agent serves plain C(http) unless it was set up for TLS. An C(https) URL to an agent that
        serves plain C(http) fails saying so, with the C(http) URL to use.
      - The agent listens on the loopback interface of its own desktop only, so the task must
        run on that desktop (or reach it through a tunnel).
      - If not set, the value of the E(AMOVE_CLICK_URL) environment variable on the host the module runs on
        (the desktop) is used. An empty variable counts as unset.
    type: str
    default: http://localhost:29123
  token:
    description:
      - A session token (JWT) or an API token of the Amove account.
      - An API token is the credential meant for automation; it does not need a login, and it is
        not subject to multi-factor authentication.
      - Takes precedence over O(username) and O(password).
      - If not set, the value of the E(AMOVE_CLICK_TOKEN) environment variable on the host the module runs on
        (the desktop) is used. An empty variable counts as unset.
    type: str
  username:
    description:
      - User to log in as when no O(token) is given. The module logs in, and logs out again
        before it exits, because agents limit the number of concurrent sessions.
      - If not set, the value of the E(AMOVE_CLICK_USERNAME) environment variable on the host the module runs on
        (the desktop) is used. An empty variable counts as unset.
    type: str
  password:
    description:
      - Password of O(username).
      - If not set, the value of the E(AMOVE_CLICK_PASSWORD) environment variable on the host the module runs on
        (the desktop) is used. An empty variable counts as unset.
    type: str
  user_type:
    description:
      - The desktop role O(username) logs in with. It must match the user's role in the account.
      - If not set, the value of the E(AMOVE_CLICK_USER_TYPE) environment variable on the host the module runs on
        (the desktop) is used. An empty variable counts as unset.
    type: str
    choices: [desktop_admin, desktop_creative_user, desktop_standard_user]
    default: desktop_admin
  timeout:
    description:
      - Seconds to wait for each answer of the agent.
      - On Windows desktops (through M(ansible.windows.win_uri)) it bounds connecting and the status line
        and headers of each answer, but not reading its body, which .NET allows 300 seconds; see the
        desktops guide.
    type: int
    default: 30
  validate_certs:
    description:
      - Whether to validate TLS certificates when O(url) uses C(https).
    type: bool
    default: true
notes:
  - Connection options left out come from the E(AMOVE_CLICK_URL), E(AMOVE_CLICK_TOKEN),
    E(AMOVE_CLICK_USERNAME), E(AMOVE_CLICK_PASSWORD) and E(AMOVE_CLICK_USER_TYPE) environment
    variables of the host the module runs on (the desktop), not of the controller; a variable set
    to an empty string counts as unset, as AWX sets the fields of a credential left empty. The
    role C(amove.click.shared_cloud_drives) reads these variables on the controller instead, and
    passes their values on to the modules as options.
  - Proxy settings in the environment (E(http_proxy), E(https_proxy), E(no_proxy) and their
    upper-case forms) are ignored, because the agent listens on the loopback interface of the
    desktop; requests always go to it directly. Redirects are not followed.
  - The inventory variable C(amove_click_transport) says where the work runs. V(auto) (the
    default) is V(win_uri) when the host's shell is PowerShell (C(winrm), C(psrp), or C(ssh) with
    C(ansible_shell_type=powershell)), otherwise V(module). V(module) runs this module on the
    desktop, one remote execution per task. V(uri) and V(win_uri) run its logic on the controller
    and send each HTTP request through M(ansible.builtin.uri) or M(ansible.windows.win_uri) on
    the desktop, one remote execution per request; V(win_uri) needs the collection
    C(ansible.windows) on the controller.
  - With V(uri) or V(win_uri), the E(AMOVE_CLICK_URL), E(AMOVE_CLICK_TOKEN),
    E(AMOVE_CLICK_USERNAME), E(AMOVE_CLICK_PASSWORD) and E(AMOVE_CLICK_USER_TYPE) fallbacks are
    read on the controller (and from the task's C(environment)), not on the desktop, and
    C(async) is not supported. The token is in the arguments of each M(ansible.builtin.uri) or
    M(ansible.windows.win_uri) execution, which run with C(no_log); C(ANSIBLE_DEBUG=1),
    C(ANSIBLE_KEEP_REMOTE_FILES=1) and a token set through the task's C(environment) can still
    show it.
'''

    # The modules that read or change the account (not amove.click.agent, whose
    # requests go to the agent's own management routes). Ansible wants options in
    # every fragment: this one adds none.
    ACCOUNT = r'''
options: {}
notes:
  - Give either O(token), or O(username) and O(password). Set them once for a play with
    C(module_defaults) and the action group C(group/amove.click.click_api).
  - Reads are retried a few times when the agent is briefly unreachable or answers HTTP 500,
    502 or 503. Writes are never repeated blindly. A write whose answer is lost (no answer,
    timeout, HTTP 5xx), an insert answered C(DUPLICATE) and a delete answered "not found" may have
    landed already, late even; so the module reads the drive, and when the agent is already as
    asked, it reports that; otherwise it writes once more. Login is repeated only when the first
    attempt never reached the agent, because a login that did may have opened a session.
  - An answer of a shape the module cannot use fails as C(unexpected answer from METHOD path),
    and the session is logged out whatever happens.
  - A read that only predicts or explains (the cloud account in check mode, the drive quota before
    a list's first create, the user type after an C(ACCESS) refusal) never blocks what the agent
    accepts. When it gets a C(404) without an error code (an agent version without that route) or an
    answer of a shape the module cannot use, it is skipped with a warning that names the route,
    and the task goes on as the agent decides. An error the agent answers (C(HTTP 499)) counts.
  - A write refused with C(ACCESS) says which user type the signed-in user has and which one may
    write (one more request).
'''

    ATTRIBUTES = r'''
attributes:
  action:
    description: An action plugin of the same name runs the module on the desktop, or its logic on the
      controller (see C(amove_click_transport)).
    support: full
  platform:
    description: Runs against the Amove agent of Windows, macOS and Linux desktops; on Windows through
      M(ansible.windows.win_uri).
    support: full
    platforms: [posix, windows]
  action_group:
    description: Use C(group/amove.click.click_api) in C(module_defaults) to set the connection options once.
    support: full
    membership:
      - amove.click.click_api
'''
