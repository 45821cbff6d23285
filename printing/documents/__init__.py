"""The vouchers and letters, each a function from a service result to PDF bytes (A4 portrait,
except the 80 mm receipt-printer variant of the card application receipt).

One module per business registers its documents by the result they print
(:mod:`printing.documents.registry`); :func:`render` picks the document for a result.
Every voucher carries the serial as Code128 and a QR code with the signed payload
(:mod:`medins_desk.domain.voucher`); training transactions are watermarked 培训 and voided ones
作废. The same result always gives the same bytes: the archive and a test can compare them.
Receipts the citizen takes home show the identity number masked (a 出生医学证明 number too);
the forms that go between agencies (参保凭证, 联系函, 信息表) and the signed 变更确认单 show it
in full, as they must.
"""

from printing.documents import (
    card,
    certificate,
    correction,
    enrollment,
    inheritance,
    loss,
    medical_filing,
    progress,
    retirement,
    transfer,
)
from printing.documents.fields import yuan
from printing.documents.frame import Letterhead, payload_for
from printing.documents.registry import LAYOUTS, Layout, document_kind, render

__all__ = [
    "LAYOUTS",
    "Layout",
    "Letterhead",
    "card",
    "certificate",
    "correction",
    "document_kind",
    "enrollment",
    "inheritance",
    "loss",
    "medical_filing",
    "payload_for",
    "progress",
    "render",
    "retirement",
    "transfer",
    "yuan",
]
