"""`python main.py` starts CSTO Editor, exactly like the `csto-editor` command."""

import sys

from csto_editor.entry import main

if __name__ == "__main__":
    sys.exit(main())
