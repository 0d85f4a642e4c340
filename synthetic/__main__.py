from esia_e2e.synthetic.cli import main

raise SystemExit(main())
