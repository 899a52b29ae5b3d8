import sys

from funding.cli import main

sys.exit(main())
