"""Synthetic patients: the scenario suite's login journeys run as N concurrent users, once or on
a schedule, with step timings, budgets, a verdict, and outputs that monitoring understands."""
