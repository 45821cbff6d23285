"""大厅: tools for a hall whose counters share one PostgreSQL.

``cluster`` starts a private, throwaway PostgreSQL server; ``load`` runs ``hall loadtest``,
whose counters (``counter``) each serve in a process of their own, with the bare baseline in
``replay`` and the figures in ``report``.
"""
