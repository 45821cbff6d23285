"""Counter settings: DESIGN §9's security defaults, and saving settings.toml from the form."""

from __future__ import annotations

from pathlib import Path

import pytest

from medins_desk.errors import ValidationError
from medins_desk.services import users
from medins_desk.settings import Settings, environment_overrides, load_settings, save_settings


def test_security_defaults_follow_the_design() -> None:
    settings = Settings(database_url="sqlite+pysqlite:///:memory:")
    assert settings.idle_lock_minutes == 10
    assert (settings.lockout_attempts, settings.lockout_minutes) == (5, 15)
    # Signing in without the counter's settings (the console) uses the same values.
    assert (users.LOCKOUT_ATTEMPTS, users.LOCKOUT_MINUTES) == (5, 15)


_FILE = """# 本窗口设置（管理员维护）
counter_no = "003"  # 三号窗口
hall_secret = "hall-secret-set-by-hand"

[policy]
# 本地规定
fee_reissue_fen = 1500
"""


def test_saving_keeps_comments_and_other_values(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(_FILE, encoding="utf-8")
    saved = save_settings(
        {"printer": "HP-2F", "language": "en", "policy": {"temporary_loss_days": 7},
         "agency": {"name": "朝阳区医保中心"}},
        path, environ={},
    )  # fmt: skip
    text = path.read_text(encoding="utf-8")
    assert "# 三号窗口" in text and "# 本地规定" in text and "hall-secret-set-by-hand" in text
    assert saved.printer == "HP-2F" and saved.language == "en" and saved.counter_no == "003"
    assert saved.policy.temporary_loss_days == 7 and saved.policy.fee_reissue_fen == 1500
    assert saved.agency.name == "朝阳区医保中心"
    assert load_settings(path, environ={}) == saved


def test_a_bad_value_is_refused_at_its_field_and_nothing_is_written(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    path.write_text(_FILE, encoding="utf-8")
    for changes, field in (
        ({"counter_no": "3"}, "counter_no"),
        ({"policy": {"temporary_loss_days": 99}}, "temporary_loss_days"),
        ({"language": "fr"}, "language"),
        ({"hall_secret": "typed-in-a-form"}, "hall_secret"),
    ):
        with pytest.raises(ValidationError) as refused:
            save_settings(changes, path, environ={})
        assert refused.value.field == field
    assert path.read_text(encoding="utf-8") == _FILE
    assert [p.name for p in tmp_path.iterdir()] == ["settings.toml"]  # no temporary left


def test_what_the_environment_decides_is_not_written(tmp_path: Path) -> None:
    path = tmp_path / "settings.toml"
    environ = {"MEDINS_PRINTER": "FROM-ENV", "MEDINS_POLICY_GUARDIAN_AGE": "18"}
    assert environment_overrides(environ) == {
        "printer": "MEDINS_PRINTER", "policy.guardian_age": "MEDINS_POLICY_GUARDIAN_AGE",
    }  # fmt: skip
    with pytest.raises(ValidationError, match="MEDINS_PRINTER"):
        save_settings({"printer": "HP"}, path, environ=environ)
    with pytest.raises(ValidationError, match="MEDINS_POLICY_GUARDIAN_AGE"):
        save_settings({"policy": {"guardian_age": 14}}, path, environ=environ)
    assert not path.exists()
    saved = save_settings({"counter_no": "002"}, path, environ=environ)
    assert saved.printer == "FROM-ENV" and "FROM-ENV" not in path.read_text(encoding="utf-8")


def test_backups_go_to_the_data_folder_unless_the_settings_say_otherwise(tmp_path: Path) -> None:
    env = {"MEDINS_DATA_DIR": str(tmp_path / "data")}
    with pytest.MonkeyPatch.context() as patch:
        for key, value in env.items():
            patch.setenv(key, value)
        settings = load_settings(tmp_path / "absent.toml", environ={})
    assert settings.backup_folder == str(tmp_path / "data" / "backups")
    assert settings.backup_keep_days == 30
    file = tmp_path / "settings.toml"
    file.write_text('backup_folder = ""\n', encoding="utf-8")
    assert load_settings(file, environ={}).backup_folder == ""  # no backup at the day close
    moved = load_settings(
        file, environ={"MEDINS_BACKUP_FOLDER": "D:/备份", "MEDINS_BACKUP_KEEP_DAYS": "7"}
    )
    assert (moved.backup_folder, moved.backup_keep_days) == ("D:/备份", 7)
    with pytest.raises(ValidationError) as refused:
        load_settings(file, environ={"MEDINS_BACKUP_KEEP_DAYS": "0"})
    assert refused.value.field == "backup_keep_days"
