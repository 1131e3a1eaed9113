"""`python -m csto_editor`: the command line (and, by default, the window)."""

import sys

from csto_editor.entry import main

if __name__ == "__main__":
    sys.exit(main())
