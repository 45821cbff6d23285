"""medins-desk core: domain rules, store, services, card reader, ledger and CLI. No Qt here.

The version is pyproject's alone: ``medins-desk --version`` reads it from the package metadata.
"""
