"""The command line, ``jevons-compute`` (also ``jevons-compute`` in a checkout)."""
