"""演示数据: demo users, a bulk population of insured persons, and a day of counter business.

``population`` generates and bulk-loads the persons; ``day`` is the demo day's framework (users,
counters, the clock) and ``programme`` the order of its acts, each act in the module of the
business it shows (``card_application``, ``loss_report``, ``correction``, ``void``,
``enrollment``, ``refund``, ``inheritance``, ``transfer_out``, ``transfer_in``,
``medical_filing``, ``certificate``, ``retirement``). Today's business goes through the real
services, as clerks at three counters would do it, so the ledger, vouchers, the review queue and
the overdue list have something to show at once.
"""

from medins_desk.services.demo.day import DEMO_PASSWORD, DEMO_USERS, DemoUser
from medins_desk.services.demo.photo import demo_photo
from medins_desk.services.demo.seed import DemoSummary, seed_demo

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "DemoSummary",
    "DemoUser",
    "demo_photo",
    "seed_demo",
]
