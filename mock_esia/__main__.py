from mock_esia.cli import main

raise SystemExit(main())
