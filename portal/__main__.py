from esia_e2e.portal.cli import main

raise SystemExit(main())
