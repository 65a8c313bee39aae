"""``python -m parser.scrape scrape …`` — the planparser CLI in a fresh process (one reactor each)."""
import sys

from ..cli import main

sys.exit(main(sys.argv[1:]))
