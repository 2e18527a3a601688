"""Helper scripts run as subprocesses by the fault tests (tests/test_faults_*.py)."""
