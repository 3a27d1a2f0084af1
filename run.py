"""Run the server: `python run.py [--host H] [--port P] [--public-url URL]` (same as `facilitation serve`)."""

import sys

from facilitation.cli import main

if __name__ == "__main__":
    main(["serve", *sys.argv[1:]])
