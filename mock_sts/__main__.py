"""``python -m mock_sts``: the ``mock-sts`` command."""

import sys

from mock_sts.server import main

sys.exit(main())
