"""One module per Click API controller; importing this package registers every route."""

from __future__ import annotations

from . import authentication, cloud, management, permissions, projects, shared_cloud_drives, user_groups, users

__all__ = ["authentication", "cloud", "management", "permissions", "projects", "shared_cloud_drives", "user_groups", "users"]
