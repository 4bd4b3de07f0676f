"""`python -m amove_click_emulator`: the same as the amove-click-emulator command."""

from __future__ import annotations

import sys

from .cli import main

sys.exit(main())
