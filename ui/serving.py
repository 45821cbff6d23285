"""当前办理人: the one citizen the counter is serving, owned here and nowhere else in ``ui/``.

Every way of starting to serve someone (Enter in the search, a card inserted, a voucher's serial
scanned, a person registered) first :meth:`ServedPerson.claim`\\ s the counter. The claim releases
the previous citizen at once, so nothing of theirs stays on screen while the next one is looked
up, and it makes every answer to an earlier claim stale: a slow worker can never put the wrong
citizen on screen. Views listen to :attr:`ServedPerson.changed` (a different citizen, or nobody)
and :attr:`ServedPerson.updated` (the same citizen read again after an act) and keep no copy of
their own that could outlive a change.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from ui.errors import message_of

if TYPE_CHECKING:  # the services load with SQLAlchemy, after sign-in
    from medins_desk.domain.contributions import ContributionSummary
    from medins_desk.services.persons import PersonDetail
    from ui.context import AppContext


class ServedPerson(QObject):
    """The citizen at the counter (当前办理人)."""

    changed = Signal(object)  # PersonDetail | None: another citizen, or nobody, is served
    updated = Signal(object, str)  # PersonDetail, the serial of the act just done ("" if none)

    def __init__(self, context: AppContext) -> None:
        super().__init__(context)
        self._context = context
        self.person: PersonDetail | None = None
        self.claimed_by: QObject | None = None  # who asked for the citizen being served
        self._claim = 0

    def claim(self, by: QObject | None = None) -> int:
        """Start looking for the next citizen on behalf of ``by``: the current one is released
        now, and only an answer carrying the returned ticket may become the served person."""
        self._claim += 1
        self.claimed_by = by
        if self.person is not None:
            self.person = None
            self.changed.emit(None)
        return self._claim

    def holds(self, ticket: int) -> bool:
        """Whether ``ticket`` is still the newest claim (no other citizen was asked for since)."""
        return ticket == self._claim

    def serve(self, ticket: int, person: PersonDetail) -> bool:
        """Serve ``person`` if ``ticket`` is still the newest claim; False (nothing changes)
        when it is stale."""
        if not self.holds(ticket):
            return False
        self.person = person
        self.changed.emit(person)
        return True

    def open(
        self, ticket: int, person_id: int, *, serial: str = "",
        failed: Callable[[BaseException], None],
    ) -> None:  # fmt: skip
        """Serve the person ``person_id`` once read, if ``ticket`` is then still the newest
        claim; ``serial`` (an act of theirs) is announced through :attr:`updated` so their
        history shows it selected."""
        from medins_desk.services.persons import get_person

        if not self.holds(ticket):
            return

        def done(person: PersonDetail) -> None:
            if self.serve(ticket, person) and serial:
                self.updated.emit(person, serial)

        def not_read(error: BaseException) -> None:
            if self.holds(ticket):
                failed(error)

        self._context.call(get_person, person_id=person_id, done=done, failed=not_read)

    def refresh(self, serial: str = "") -> None:
        """Read the served citizen again (after an act here, or to learn of one done at another
        counter); the answer is dropped if the counter has moved on to someone else."""
        person = self.person
        if person is None or self._context.actor is None:
            return
        from medins_desk.services.persons import get_person

        ticket = self._claim

        def done(fresh: PersonDetail) -> None:
            if self.holds(ticket) and self.person is not None and self.person.id == fresh.id:
                self.person = fresh
                self.updated.emit(fresh, serial)

        def failed(error: BaseException) -> None:
            self._context.notice.emit(
                self.tr("未能重新读取参保人信息：{reason}").format(reason=message_of(error))
            )

        self._context.call(get_person, person_id=person.id, done=done, failed=failed)

    def guard(
        self, done: Callable[[Any], None], on_stale: Callable[[Any], None]
    ) -> Callable[[Any], None]:
        """``done`` for an answer asked for the citizen served now: called only if the counter
        still serves them when it comes, else ``on_stale`` gets the answer."""
        ticket, asked_for = self._claim, self._served_id()

        def checked(result: Any) -> None:
            if self.holds(ticket) and self._served_id() == asked_for:
                done(result)
            else:
                on_stale(result)

        return checked

    def _served_id(self) -> int | None:
        return self.person.id if self.person is not None else None


def nobody_served_text() -> str:
    """What a business form says while no citizen is served."""
    return QCoreApplication.translate(
        "ServedPerson", "请先在「参保人查询」中打开参保人，或插入社保卡"
    )


def months_text(count: int) -> str:
    """Contribution time as the views show it: 15 年 3 个月, 15 年, 3 个月."""
    years, months = divmod(count, 12)
    if years and months:
        text = QCoreApplication.translate("ServedPerson", "{years} 年 {months} 个月")
    elif years:
        text = QCoreApplication.translate("ServedPerson", "{years} 年")
    else:
        text = QCoreApplication.translate("ServedPerson", "{months} 个月")
    return text.format(years=years, months=months)


def contributions_text(c: ContributionSummary) -> str:
    """累计缴费 15 年 3 个月（本地 10 年，转入 …，视同缴费 …）: the 缴费月份 on record."""
    if not c.total:
        return QCoreApplication.translate("ServedPerson", "本系统无缴费月份记录")
    parts = [QCoreApplication.translate("ServedPerson", "本地 {m}").format(m=months_text(c.local))]
    if c.transferred:
        parts.append(
            QCoreApplication.translate("ServedPerson", "转入 {m}").format(
                m=months_text(c.transferred)
            )
        )
    if c.deemed:
        parts.append(
            QCoreApplication.translate("ServedPerson", "视同缴费 {m}").format(
                m=months_text(c.deemed)
            )
        )
    text = QCoreApplication.translate("ServedPerson", "累计缴费 {total}（{parts}）")
    return text.format(
        total=months_text(c.total),
        parts=QCoreApplication.translate("ServedPerson", "，").join(parts),
    )
