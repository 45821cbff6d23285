"""The 参保登记 view's store side and its small rules: the category a citizen's age suggests,
the identity as far as it is typed, and the calls the form makes in workers (the plan, the
possible duplicates, the guardian, the act). The widgets are in ui/views/registration.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QObject, Signal

from medins_desk.domain.benefits import ADULT_AGE, ELDERLY_AGE, EnrollmentCategory
from medins_desk.domain.identity import Sex, age_on
from medins_desk.errors import ValidationError
from medins_desk.services.enrollment import (
    EnrollmentPlan,
    EnrollmentRequest,
    enroll_person,
    plan_enrollment,
    register_and_enroll,
)
from medins_desk.services.persons import Registration, find_possible_duplicates, search_persons
from ui.context import AppContext
from ui.errors import message_of
from ui.views.base import ViewModel


def suggested_category(birth: date, today: date, *, newborn: bool) -> EnrollmentCategory:
    """The category a citizen of this age usually enrolls in (the clerk may pick another)."""
    age = age_on(birth, today)
    if newborn or age < 1:
        return EnrollmentCategory.NEWBORN
    if age < ADULT_AGE:
        return EnrollmentCategory.RESIDENT_CHILD
    if age >= ELDERLY_AGE:
        return EnrollmentCategory.RESIDENT_ELDERLY
    return EnrollmentCategory.RESIDENT_OTHER


@dataclass(frozen=True)
class Identity:
    """Who the form registers, as far as it is known yet."""

    number: str  # the identity number, or the 出生医学证明 number
    birth: date
    sex: Sex


class RegistrationModel(ViewModel):
    """The store's side of the form, in workers: the plan, duplicates, the guardian, the act."""

    planned = Signal(object)  # EnrollmentPlan
    plan_failed = Signal(str, str)  # field, message
    duplicates = Signal(list)  # list[PersonHit]
    guardian = Signal(str, list)  # the number looked up, list[PersonHit]
    registered = Signal(object)  # EnrollmentReceipt

    def __init__(self, context: AppContext, parent: QObject | None = None) -> None:
        super().__init__(context, parent)
        self._plans = 0

    def plan(
        self, request: EnrollmentRequest, *, person_id: int | None, birth_date: date | None
    ) -> None:
        """待遇享受起始日 and its rule for ``request``: only the newest answer is shown."""
        self._plans += 1
        number = self._plans

        def done(plan: EnrollmentPlan) -> None:
            if number == self._plans:
                self.planned.emit(plan)

        def failed(error: BaseException) -> None:
            if number == self._plans:
                field = error.field if isinstance(error, ValidationError) else ""
                self.plan_failed.emit(field, message_of(error))

        self.context.call(
            plan_enrollment, done=done, failed=failed, asker=self, request=request,
            person_id=person_id, birth_date=birth_date,
        )  # fmt: skip

    def drop_plan(self) -> None:
        self._plans += 1

    def find_duplicates(self, *, name: str, birth_date: date, id_number: str) -> None:
        self.call_latest(
            find_possible_duplicates, self.duplicates.emit, name=name, birth_date=birth_date,
            id_number=id_number,
        )  # fmt: skip

    def find_guardian(self, number: str) -> None:
        self.call_latest(search_persons, lambda hits: self.guardian.emit(number, hits), text=number)

    def register(
        self,
        *,
        registration: Registration,
        request: EnrollmentRequest | None,
        duplicate_reason: str,
    ) -> None:
        self.act_confirmable(
            register_and_enroll, self.registered.emit, registration=registration,
            request=request, duplicate_reason=duplicate_reason,
        )  # fmt: skip

    def enroll(self, *, person_id: int, request: EnrollmentRequest) -> None:
        self.act(
            enroll_person, self.registered.emit, for_served=True, person_id=person_id,
            request=request,
        )  # fmt: skip
