"""`python -m statdesk` runs the command line (and, with no command, the app)."""

import sys

from statdesk.launch import main

if __name__ == "__main__":
    sys.exit(main())
