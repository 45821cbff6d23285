"""Counter settings: DESIGN §9's security defaults, and saving settings.toml from the form."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from medins_desk.errors import ValidationError
from medins_desk.services import users
from medins_desk.settings import (
    Origin,
    Settings,
    Source,
    environment_overrides,
    load_settings,
    save_settings,
    system_settings_file,
)


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


# The hall's file, as IT writes it once per counter machine (the installer's wizard page, or by
# hand in /etc/medins-desk/settings.toml).
_SYSTEM = """# 大厅统一设置（信息科维护）
database_url = "postgresql+psycopg://medins_app:pw@db-host:5432/medins"
hall_code = "110105"
hall_name = "朝阳区社保经办服务大厅"
counter_no = "001"

[agency]
name = "北京市朝阳区医疗保障事务中心"

[policy]
fee_reissue_fen = 2000
"""


def _files(tmp_path: Path, system: str, user: str) -> tuple[Path, Path]:
    system_path, user_path = tmp_path / "etc" / "settings.toml", tmp_path / "settings.toml"
    system_path.parent.mkdir()
    system_path.write_text(system, encoding="utf-8")
    user_path.write_text(user, encoding="utf-8")
    return system_path, user_path


def test_the_system_file_is_read_first_then_the_users_then_the_environment(
    tmp_path: Path,
) -> None:
    system, user = _files(tmp_path, _SYSTEM, 'counter_no = "003"\nprinter = "HP-2F"\n')
    env = {"MEDINS_HALL_NAME": "临时大厅"}
    settings = load_settings(user, system_path=system, environ=env)
    assert settings.database_url.startswith("postgresql+psycopg://medins_app")  # the hall's
    assert settings.agency.name == "北京市朝阳区医疗保障事务中心"
    assert settings.policy.fee_reissue_fen == 2000
    assert (settings.counter_no, settings.printer) == ("003", "HP-2F")  # the user's
    assert settings.hall_name == "临时大厅"  # the environment's
    origins = settings.origins
    assert origins["database_url"] == Origin(Source.SYSTEM, str(system))
    assert origins["policy.fee_reissue_fen"] == Origin(Source.SYSTEM, str(system))
    assert origins["counter_no"] == Origin(Source.USER, str(user))
    assert origins["hall_name"] == Origin(Source.ENVIRONMENT, "MEDINS_HALL_NAME")
    assert "language" not in origins  # at its default
    overridden = load_settings(
        user, system_path=system, environ={}, overrides={"database_url": "sqlite+pysqlite://"}
    )
    assert overridden.database_url == "sqlite+pysqlite://"
    assert overridden.origins["database_url"] == Origin(Source.COMMAND_LINE, "")


def test_without_a_system_file_the_users_file_is_all(tmp_path: Path) -> None:
    user = tmp_path / "settings.toml"
    user.write_text('counter_no = "003"\n', encoding="utf-8")
    settings = load_settings(user, system_path=tmp_path / "absent.toml", environ={})
    assert settings.counter_no == "003" and settings.hall_code == "110105"
    assert {o.source for o in settings.origins.values()} == {Source.USER}


def test_the_default_system_file_is_the_one_the_issue_and_the_installer_name(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("MEDINS_SYSTEM_CONFIG")
    assert system_settings_file() == Path("/etc/medins-desk/settings.toml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('database_url = "postgresql://\n', "系统设置文件 {path} 格式错误"),
        ("counter_no = 3\n", "系统设置文件 {path}：设置项「counter_no」应为文字"),
        ("[policy]\nfee = 1\n", "系统设置文件 {path}：未知的政策参数「fee」"),
        ('locked = "database_url"\n', "系统设置文件 {path}：locked 应为设置项名称的列表"),
        (
            'locked = ["database_ur"]\n',
            "系统设置文件 {path}：locked 中有未知的设置项「database_ur」",
        ),
    ],
)
def test_a_bad_system_file_is_named_in_chinese(tmp_path: Path, text: str, message: str) -> None:
    system, user = _files(tmp_path, text, 'counter_no = "003"\n')
    with pytest.raises(ValidationError) as refused:
        load_settings(user, system_path=system, environ={})
    assert message.format(path=system) in refused.value.message
    with pytest.raises(ValidationError):  # nor is the user's file saved against it
        save_settings({"printer": "HP"}, user, system_path=system, environ={})
    assert user.read_text(encoding="utf-8") == 'counter_no = "003"\n'


def test_a_system_file_that_cannot_be_read_is_named(tmp_path: Path) -> None:
    folder = tmp_path / "settings.toml"
    folder.mkdir()  # IT's typo: a folder where the file belongs
    with pytest.raises(ValidationError, match=f"无法读取系统设置文件 {folder}："):
        load_settings(tmp_path / "user.toml", system_path=folder, environ={})


def test_a_bad_users_file_is_named_as_the_users(tmp_path: Path) -> None:
    system, user = _files(tmp_path, _SYSTEM, 'locked = ["printer"]\nidle_lock_minutes = "ten"\n')
    with pytest.raises(ValidationError, match=f"设置文件 {user}：locked.*只能写在系统设置文件"):
        load_settings(user, system_path=system, environ={})
    user.write_text('idle_lock_minutes = "ten"\n', encoding="utf-8")
    with pytest.raises(ValidationError, match=f"^设置文件 {user}：设置项「idle_lock_minutes」"):
        load_settings(user, system_path=system, environ={})


def test_what_the_system_file_locks_the_users_file_cannot_change(tmp_path: Path) -> None:
    locking = 'locked = ["database_url", "hall_code", "policy"]\n' + _SYSTEM
    stale = 'database_url = "sqlite+pysqlite:///C:/old.db"\n[policy]\nfee_reissue_fen = 0\n'
    system, user = _files(tmp_path, locking, stale)
    settings = load_settings(user, system_path=system, environ={})
    assert (
        settings.database_url.startswith("postgresql") and settings.policy.fee_reissue_fen == 2000
    )
    assert settings.origins["database_url"] == Origin(Source.SYSTEM, str(system), locked=True)
    # A table's name locks its every value, also one the hall leaves at the default.
    assert settings.origins["policy.guardian_age"].locked
    for changes, field in (
        ({"database_url": "sqlite+pysqlite:///D:/mine.db"}, "database_url"),
        ({"policy": {"guardian_age": 14}}, "guardian_age"),
    ):
        with pytest.raises(ValidationError, match="统一设置，本窗口不能修改") as refused:
            save_settings(changes, user, system_path=system, environ={})
        assert refused.value.field == field
    assert user.read_text(encoding="utf-8") == stale
    # Whoever starts the program still decides: IT's `--db OWNER_URL db upgrade` on a counter.
    env = {"MEDINS_DATABASE_URL": "postgresql+psycopg://medins_owner:pw@db-host/medins"}
    assert "medins_owner" in load_settings(user, system_path=system, environ=env).database_url


def test_saving_never_copies_the_halls_values_into_the_users_file(tmp_path: Path) -> None:
    system, user = _files(tmp_path, _SYSTEM, '# 本窗口\ncounter_no = "003"\nhall_name = "旧名"\n')
    shown = load_settings(user, system_path=system, environ={})
    # The form sends every value it shows: the hall's among them, and the user's own.
    saved = save_settings(
        {"database_url": shown.database_url, "counter_no": "004", "printer": "HP-2F",
         "hall_name": "朝阳区社保经办服务大厅",  # back to the hall's value
         "agency": {"name": shown.agency.name, "phone": "010-1"},
         "policy": {"fee_reissue_fen": 2000, "guardian_age": 14}},
        user, system_path=system, environ={},
    )  # fmt: skip
    written = tomllib.loads(user.read_text(encoding="utf-8"))
    assert written == {
        "counter_no": "004", "printer": "HP-2F",
        "agency": {"phone": "010-1"}, "policy": {"guardian_age": 14},
    }  # fmt: skip
    assert user.read_text(encoding="utf-8").startswith("# 本窗口")
    assert saved.database_url == shown.database_url and saved.hall_name == "朝阳区社保经办服务大厅"
    assert saved.origins["hall_name"].source is Source.SYSTEM  # follows the hall again
    assert (saved.counter_no, saved.agency.phone, saved.policy.guardian_age) == ("004", "010-1", 14)
    assert system.read_text(encoding="utf-8") == _SYSTEM
