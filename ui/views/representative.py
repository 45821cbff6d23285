"""代办人/监护人: the form part that names who acts for the citizen."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QFormLayout, QLabel, QLineEdit, QWidget

from medins_desk.domain.card import RepresentativeRole
from medins_desk.services.cards import Representative
from ui.labels import tr_label


class RepresentativeForm(QWidget):
    """Optional: checked, it asks for the representative's identity number, name, relation and
    phone; the core checks them and names the field in error."""

    def __init__(self, role: RepresentativeRole, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.role = role
        self.enabled = QCheckBox(self.tr("由{role}办理").format(role=tr_label(role.label)))
        self.enabled.setObjectName("representative")
        self.id_number = QLineEdit()
        self.id_number.setObjectName("representative_id_number")
        self.name = QLineEdit()
        self.name.setObjectName("representative_name")
        self.relation = QLineEdit()
        self.relation.setObjectName("representative_relation")
        self.relation.setPlaceholderText(self.tr("如：配偶、父亲、子女"))
        self.phone = QLineEdit()
        self.phone.setObjectName("representative_phone")
        self.error = QLabel()
        self.error.setObjectName("representative_error")
        self.error.setWordWrap(True)
        layout = QFormLayout(self)
        layout.addRow(self.enabled)
        layout.addRow(self.tr("证件号码"), self.id_number)
        layout.addRow(self.tr("姓名"), self.name)
        layout.addRow(self.tr("与本人关系"), self.relation)
        layout.addRow(self.tr("联系电话"), self.phone)
        layout.addRow(self.error)
        self.enabled.toggled.connect(self._toggled)
        self._toggled(False)

    def set_role(self, role: RepresentativeRole, *, required: bool = False) -> None:
        """Who may act: a guardian is required for a minor (the box cannot be unticked)."""
        self.role = role
        self.enabled.setText(self.tr("由{role}办理").format(role=tr_label(role.label)))
        if required:
            self.enabled.setChecked(True)
        self.enabled.setEnabled(not required)

    def _toggled(self, on: bool) -> None:
        for field in (self.id_number, self.name, self.relation, self.phone):
            field.setEnabled(on)

    def value(self) -> Representative | None:
        """The representative typed, or None; raises the core's ValidationError (with field)."""
        if not self.enabled.isChecked():
            return None
        return Representative(
            role=self.role, id_number=self.id_number.text(), name=self.name.text(),
            relation=self.relation.text(), phone=self.phone.text(),
        )  # fmt: skip

    def show_error(self, field: str, text: str) -> bool:
        """Show ``text`` here when ``field`` is one of this form's; False when it is not."""
        widget = self.findChild(QLineEdit, field) if field else None
        if widget is None:
            return False
        self.error.setText(text)
        widget.setFocus()
        return True

    def clear(self) -> None:
        if self.enabled.isEnabled():
            self.enabled.setChecked(False)
        for field in (self.id_number, self.name, self.relation, self.phone):
            field.clear()
        self.error.clear()
