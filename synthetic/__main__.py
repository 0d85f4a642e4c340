from synthetic.cli import main

raise SystemExit(main())
