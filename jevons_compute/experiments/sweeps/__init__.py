"""Sweeps: a spec of what varies (``spec``), a runner on any executor (``runner``, ``pool``,
``cluster``, ``local``) and a store that survives being killed (``parts``, ``manifest``)."""
