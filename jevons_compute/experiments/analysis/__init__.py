"""Analysis of sweeps: tables and bands over seeds, comparisons, replication counts and the
findings.md helper."""
