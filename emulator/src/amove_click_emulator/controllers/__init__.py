"""One module per Click API controller; importing this package registers every route."""

from __future__ import annotations

from . import authentication, cloud, drive_reports, management, permissions, projects, shared_cloud_drives, user_groups, users

__all__ = ["authentication", "cloud", "drive_reports", "management", "permissions", "projects", "shared_cloud_drives", "user_groups", "users"]
