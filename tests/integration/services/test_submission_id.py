"""An act whose answer was lost (the connection broke at the commit) is asked again with the same
submission id: the store has it, so it is found and named, never done twice (issue 14 §3)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from medins_desk.errors import ActAlreadyDone
from medins_desk.store.models import Transaction
from tests.helpers.people import register
from tests.helpers.store import Desk


def _transactions(desk: Desk) -> int:
    with desk.session() as session:
        return session.scalar(select(func.count()).select_from(Transaction)) or 0


def test_an_act_asked_again_with_its_submission_id_is_named_not_redone(any_desk: Desk) -> None:
    clerk = any_desk.actor("clerk")
    with any_desk.session() as session:
        first = register(session, clerk, name="王玥", submission_id="6f1c0a2e-req-1")
    serial = first.transaction.serial
    with any_desk.session() as session, pytest.raises(ActAlreadyDone) as again:
        register(session, clerk, name="王玥", submission_id="6f1c0a2e-req-1")
    assert again.value.serial == serial
    assert f"业务流水号 {serial}" in again.value.message and "未重复办理" in again.value.message
    assert _transactions(any_desk) == 1
    # Another request is another act.
    with any_desk.session() as session:
        other = register(session, clerk, name="李堃", sequence=2, submission_id="6f1c0a2e-req-2")
    assert other.transaction.serial != serial and _transactions(any_desk) == 2
