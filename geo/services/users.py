"""Who may write on a server off loopback: user names with scrypt password hashes, one file.

`drillmap users add|remove|list` keeps it; `webapp.security` checks HTTP basic credentials
against it. The file is written atomically and readable by its owner only.
"""

from __future__ import annotations

import re
from pathlib import Path

import orjson
from werkzeug.security import generate_password_hash

from geo.errors import InvalidParameter
from geo.storage.atomic import write_atomically


def load_users(path: Path) -> dict[str, str]:
    """User name → password hash; no file means no users."""
    try:
        data = orjson.loads(Path(path).read_bytes())
    except FileNotFoundError:
        return {}
    users = data.get("users") if isinstance(data, dict) else None
    if not isinstance(users, dict):
        raise InvalidParameter(f"{path}: not a users file (expected {{\"users\": {{...}}}})")
    return {str(k): str(v) for k, v in users.items()}


def save_users(path: Path, users: dict[str, str]) -> None:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, orjson.dumps({"users": users}, option=orjson.OPT_INDENT_2))
    path.chmod(0o600)


def add_user(path: Path, name: str, password: str) -> None:
    """Add or replace a user; the password is kept only as a scrypt hash."""
    if not re.fullmatch(r"[A-Za-z0-9._@-]{1,64}", name):
        raise InvalidParameter("a user name is 1-64 letters, digits or . _ @ -")
    if len(password) < 8:
        raise InvalidParameter("a password needs at least 8 characters")
    users = load_users(path)
    users[name] = generate_password_hash(password, method="scrypt")
    save_users(path, users)
