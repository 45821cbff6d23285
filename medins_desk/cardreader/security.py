"""安全模块认证 (external authentication) of the counter to the card, before EF06 of a
3rd-generation card is read or anything is written to the chip.

A hall's PSAM or the province's HSM does it with the card's RKSSSE/update keys; this program
ships no such module. What it ships is the training module: the same GET CHALLENGE / EXTERNAL
AUTHENTICATE exchange with a published key that only the virtual training cards accept.
"""

from __future__ import annotations

import hashlib
import hmac

from medins_desk.cardreader.layout import SW_OK, external_authenticate, get_challenge
from medins_desk.cardreader.protocol import CardAuthenticator, CardChannel
from medins_desk.settings import Settings

__all__ = [
    "TRAINING_CARD_KEY",
    "TrainingKeyAuthenticator",
    "security_module",
    "training_cryptogram",
]

# Published on purpose: it opens the virtual training cards and nothing else.
TRAINING_CARD_KEY = b"medins-desk training card key"


def training_cryptogram(key: bytes, challenge: bytes) -> bytes:
    """The 16-byte answer to a card's 8-byte challenge under ``key`` (HMAC-SHA256, truncated)."""
    return hmac.new(key, challenge, hashlib.sha256).digest()[:16]


class TrainingKeyAuthenticator:
    """The training module: answers the card's challenge with :data:`TRAINING_CARD_KEY`."""

    def __init__(self, key: bytes = TRAINING_CARD_KEY) -> None:
        self._key = key

    def authenticate(self, channel: CardChannel, *, card_id_code: str) -> bool:
        challenge, sw = channel.transmit(get_challenge())
        if sw != SW_OK or len(challenge) != 8:
            return False
        _, sw = channel.transmit(external_authenticate(training_cryptogram(self._key, challenge)))
        return sw == SW_OK


def security_module(settings: Settings) -> CardAuthenticator | None:
    """The counter's module by its setting ``card_security_module`` ("" none, "training")."""
    return TrainingKeyAuthenticator() if settings.card_security_module == "training" else None
