"""medins-desk core: domain rules, store, services, card reader, ledger and CLI. No Qt here."""

__version__ = "0.1.0"
