"""演示数据: demo users, a bulk population of insured persons, and a day of counter business.

The population is generated in plain Python from a seeded ``random.Random`` and written with
SQLAlchemy Core ``insert()`` executemany in large batches inside a few transactions: a million
persons (with enrollments, cards and bank debit accounts) must load in minutes, so no ORM object
and no service call is made per person. Uniqueness comes from arithmetic, not from look-ups: a
person's identity number, card number and 卡识别码 are bijections of the person's row id, so
seeding again (ids continue after the existing rows) never collides with earlier demo rows.

Today's business then goes through the real services, as clerks at three counters would do it,
so the ledger, vouchers, the review queue and the overdue list have something to show at once.
"""

from __future__ import annotations

import dataclasses
import io
import math
import random
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from PIL import Image, ImageChops, ImageDraw, ImageFilter
from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker
from stdnum import luhn
from stdnum.cn import uscc

from medins_desk.cardreader.virtual import demo_profile_dir, load_profile
from medins_desk.domain.business import TransactionStatus
from medins_desk.domain.card import (
    CardApplicationKind,
    CardState,
    ReplacementReason,
    RepresentativeRole,
    card_expiry_date,
    card_number_check_character,
)
from medins_desk.domain.contact import DebitHolderRelation
from medins_desk.domain.correction import CorrectionField, CorrectionState, SupportingDocument
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType
from medins_desk.domain.identity import IdentityKind, check_character
from medins_desk.domain.names import name_initials
from medins_desk.domain.photo import check_photo, fit_photo
from medins_desk.domain.policy import Policy
from medins_desk.domain.roles import Role
from medins_desk.domain.transfer import TransferStage
from medins_desk.domain.workdays import is_working_day
from medins_desk.errors import ConfirmationRequired, ValidationError
from medins_desk.services.card_application import Representative, apply_for_card
from medins_desk.services.cards import hand_over_card, record_card_produced
from medins_desk.services.context import Actor, Counter
from medins_desk.services.correction import (
    DebitAccountInput,
    approve_correction,
    submit_correction,
)
from medins_desk.services.enrollment import suspend_enrollment
from medins_desk.services.ledger import void_transaction
from medins_desk.services.loss_report import report_loss, unfreeze_card
from medins_desk.services.persons import EnrollmentInput, register_person
from medins_desk.services.transactions import TransactionInfo, transaction_info
from medins_desk.services.transfer import (
    ContactLetter,
    complete_transfer_in,
    issue_info_form,
    record_contact_letter,
    record_info_form,
    start_transfer_in,
    start_transfer_out,
)
from medins_desk.services.users import console_actor, create_user
from medins_desk.store.models import (
    BankDebitAccount,
    Card,
    CorrectionRequest,
    DayClose,
    Enrollment,
    Person,
    Transaction,
    TransferCase,
    User,
)

__all__ = [
    "DEMO_PASSWORD",
    "DEMO_USERS",
    "DemoSummary",
    "DemoUser",
    "demo_photo",
    "seed_demo",
]

DEMO_PASSWORD = "Demo2026!"


@dataclass(frozen=True)
class DemoUser:
    """A demo account: who signs in where (演示用户)."""

    username: str
    display_name: str
    role: Role
    counter_no: str | None


DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("clerk1", "李秀英", Role.CLERK, "001"),
    DemoUser("clerk2", "王建国", Role.CLERK, "002"),
    DemoUser("clerk3", "陈思远", Role.CLERK, "003"),
    DemoUser("super1", "张丽华", Role.SUPERVISOR, "001"),
    DemoUser("super2", "刘志强", Role.SUPERVISOR, "002"),
    DemoUser("admin", "赵敏", Role.ADMIN, None),
)

# The demo hall's counter with a card printer (即时制卡).
_CARD_PRINTER_COUNTER = "003"
# Rows per executemany; a commit after every COMMIT_EVERY persons keeps the WAL bounded.
BATCH = 20_000
COMMIT_EVERY = 250_000
# The seeding connection's page cache (KiB, negative as SQLite wants it): index inserts in
# random key order thrash the default 2 MB cache.
_SQLITE_SEED_CACHE_KIB = 512 * 1024


# ---------------------------------------------------------------------------------------------
# Synthetic people


# Real county-level division codes: (code, city and district as an address starts, postcode).
_AREAS: tuple[tuple[str, str, str], ...] = (
    ("110101", "北京市东城区", "100010"),
    ("110102", "北京市西城区", "100032"),
    ("110105", "北京市朝阳区", "100020"),
    ("110108", "北京市海淀区", "100080"),
    ("120101", "天津市和平区", "300041"),
    ("120104", "天津市南开区", "300100"),
    ("130102", "河北省石家庄市长安区", "050011"),
    ("130104", "河北省石家庄市桥西区", "050091"),
    ("140105", "山西省太原市小店区", "030032"),
    ("150102", "内蒙古自治区呼和浩特市新城区", "010050"),
    ("210102", "辽宁省沈阳市和平区", "110001"),
    ("210202", "辽宁省大连市中山区", "116001"),
    ("220102", "吉林省长春市南关区", "130022"),
    ("230102", "黑龙江省哈尔滨市道里区", "150010"),
    ("310101", "上海市黄浦区", "200001"),
    ("310104", "上海市徐汇区", "200030"),
    ("310115", "上海市浦东新区", "200120"),
    ("320102", "江苏省南京市玄武区", "210018"),
    ("320211", "江苏省无锡市滨湖区", "214071"),
    ("320505", "江苏省苏州市虎丘区", "215011"),
    ("321281", "江苏省泰州市兴化市", "225700"),
    ("330102", "浙江省杭州市上城区", "310002"),
    ("330106", "浙江省杭州市西湖区", "310013"),
    ("330381", "浙江省温州市瑞安市", "325200"),
    ("340102", "安徽省合肥市瑶海区", "230011"),
    ("350102", "福建省福州市鼓楼区", "350001"),
    ("350203", "福建省厦门市思明区", "361001"),
    ("350583", "福建省泉州市南安市", "362300"),
    ("360102", "江西省南昌市东湖区", "330006"),
    ("370102", "山东省济南市历下区", "250014"),
    ("370202", "山东省青岛市市南区", "266001"),
    ("410102", "河南省郑州市中原区", "450007"),
    ("410105", "河南省郑州市金水区", "450003"),
    ("420102", "湖北省武汉市江岸区", "430014"),
    ("420106", "湖北省武汉市武昌区", "430061"),
    ("430102", "湖南省长沙市芙蓉区", "410011"),
    ("440103", "广东省广州市荔湾区", "510140"),
    ("440106", "广东省广州市天河区", "510620"),
    ("440303", "广东省深圳市罗湖区", "518001"),
    ("440305", "广东省深圳市南山区", "518052"),
    ("441900", "广东省东莞市", "523000"),
    ("450102", "广西壮族自治区南宁市兴宁区", "530012"),
    ("460105", "海南省海口市秀英区", "570311"),
    ("500103", "重庆市渝中区", "400010"),
    ("510104", "四川省成都市锦江区", "610021"),
    ("510107", "四川省成都市武侯区", "610041"),
    ("520102", "贵州省贵阳市南明区", "550001"),
    ("530102", "云南省昆明市五华区", "650021"),
    ("540102", "西藏自治区拉萨市城关区", "850000"),
    ("610102", "陕西省西安市新城区", "710004"),
    ("610113", "陕西省西安市雁塔区", "710061"),
    ("620102", "甘肃省兰州市城关区", "730030"),
    ("630102", "青海省西宁市城东区", "810007"),
    ("640104", "宁夏回族自治区银川市兴庆区", "750001"),
    ("650102", "新疆维吾尔自治区乌鲁木齐市天山区", "830002"),
    ("650103", "新疆维吾尔自治区乌鲁木齐市沙依巴克区", "830000"),
)

# Common surnames with rough shares (per mille of the population), a few compound surnames and
# surnames with a special reading (单 shan, 曾 zeng, 尉迟 yuchi) that search must handle.
_SURNAMES: tuple[tuple[str, float], ...] = (
    ("王", 71),
    ("李", 70),
    ("张", 67),
    ("刘", 54),
    ("陈", 45),
    ("杨", 31),
    ("黄", 20),
    ("赵", 20),
    ("吴", 18),
    ("周", 17),
    ("徐", 13),
    ("孙", 12),
    ("马", 12),
    ("朱", 11),
    ("胡", 10),
    ("郭", 10),
    ("何", 9),
    ("林", 9),
    ("高", 9),
    ("罗", 9),
    ("郑", 8),
    ("梁", 7),
    ("谢", 6),
    ("宋", 5),
    ("唐", 5),
    ("许", 5),
    ("韩", 5),
    ("邓", 5),
    ("冯", 5),
    ("曹", 5),
    ("彭", 4),
    ("曾", 4),
    ("肖", 4),
    ("田", 4),
    ("董", 4),
    ("潘", 4),
    ("袁", 4),
    ("蔡", 3),
    ("蒋", 3),
    ("余", 3),
    ("于", 3),
    ("杜", 3),
    ("叶", 3),
    ("程", 3),
    ("魏", 3),
    ("苏", 3),
    ("吕", 3),
    ("丁", 3),
    ("任", 3),
    ("卢", 2),
    ("姚", 2),
    ("沈", 2),
    ("钟", 2),
    ("姜", 2),
    ("崔", 2),
    ("谭", 2),
    ("陆", 2),
    ("范", 2),
    ("汪", 2),
    ("廖", 2),
    ("石", 2),
    ("金", 2),
    ("韦", 2),
    ("贾", 2),
    ("夏", 2),
    ("付", 2),
    ("方", 2),
    ("邹", 1),
    ("熊", 1),
    ("白", 1),
    ("孟", 1),
    ("秦", 1),
    ("邱", 1),
    ("侯", 1),
    ("江", 1),
    ("尹", 1),
    ("薛", 1),
    ("闫", 1),
    ("段", 1),
    ("雷", 1),
    ("龙", 1),
    ("黎", 1),
    ("史", 1),
    ("陶", 1),
    ("贺", 1),
    ("毛", 1),
    ("郝", 1),
    ("顾", 1),
    ("龚", 1),
    ("邵", 1),
    ("万", 1),
    ("覃", 1),
    ("武", 1),
    ("钱", 1),
    ("戴", 1),
    ("严", 1),
    ("莫", 1),
    ("孔", 1),
    ("向", 1),
    ("常", 1),
    ("单", 0.5),
    ("欧阳", 0.5),
    ("司马", 0.2),
    ("诸葛", 0.1),
    ("上官", 0.1),
    ("尉迟", 0.05),
)
_MALE_GIVEN = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国志文海东峰成亮晨博"
    "轩睿泽然天宏彬振家永德兴荣新毅坤锋"
)
_FEMALE_GIVEN = (
    "芳娜敏静丽艳娟霞秀英燕玲桂兰萍红玉梅莉婷雪琳晶倩颖欣怡佳慧璐洁琴云丹蕾薇梦涵萱悦诗雨思婉月彤淑"
)
_SHARED_GIVEN = "小晓子一文嘉思雨宇安"
# Uyghur names are written as given name · father's name (with the middle dot).
_MINORITY_FEMALE = ("阿依古丽", "热依拉", "古丽娜尔", "迪丽娜尔", "帕提古丽", "米热古丽")
_MINORITY_MALE = ("买买提", "艾尔肯", "努尔艾力", "阿布都", "吐尔洪", "艾合买提")
_MINORITY_FATHER = ("买买提", "艾力", "吐尔逊", "阿不都拉", "依明", "库尔班", "热合曼", "玉素甫")
_MINORITY_SHARE = 0.004
_UYGHUR = "05"
_HAN = "01"
# Other ethnic groups (GB 3304) among people with Han-style names: 回 壮 满 苗 土家 蒙古.
_OTHER_ETHNICITIES = ("03", "08", "11", "06", "15", "02")

_MOBILE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "155",
    "157", "158", "159", "166", "176", "177", "180", "181", "183", "186", "187", "188", "189",
    "191", "199",
)  # fmt: skip
_STREETS = (
    "人民路", "解放路", "建设路", "中山路", "和平街", "胜利路", "新华街", "文化路", "长江路",
    "光明街", "青年路", "朝阳路", "幸福里", "滨河路", "东风路",
)  # fmt: skip
# Bank names with a real debit-card BIN of theirs.
_BANKS = (
    ("中国工商银行", "622202"),
    ("中国农业银行", "622848"),
    ("中国银行", "621661"),
    ("中国建设银行", "621700"),
    ("交通银行", "622262"),
    ("中国邮政储蓄银行", "621799"),
    ("招商银行", "622588"),
)

# Birth years and how many sequence numbers each day of the year offers: the capacity follows a
# rough population pyramid (more people born 1962-1990), so uniform positions in the number space
# give a plausible age mix. Sequences stay below 900: 900-999 are left for the counter business.
FIRST_BIRTH_YEAR = 1940
LAST_BIRTH_YEAR = 2024
_BUSINESS_SEQUENCE_START = 900


def _year_capacity(year: int) -> int:
    if year < 1950:
        return 100
    if year < 1962:
        return 300
    if year < 1976:
        return 800
    if year < 1991:
        return 700
    if year < 2010:
        return 500
    return 400


@dataclass(frozen=True)
class _NumberSpace:
    """A bijection from row id to an (area, birth date, sequence) triple: ids never collide."""

    cumulative: tuple[int, ...]  # positions before each year, per area
    years: tuple[int, ...]
    capacities: tuple[int, ...]
    days: tuple[tuple[tuple[date, str], ...], ...]  # per year: (date, "YYYYMMDD")
    size: int
    multiplier: int

    @classmethod
    def build(cls) -> _NumberSpace:
        years = tuple(range(FIRST_BIRTH_YEAR, LAST_BIRTH_YEAR + 1))
        capacities = tuple(_year_capacity(y) for y in years)
        days: list[tuple[tuple[date, str], ...]] = []
        cumulative = []
        total = 0
        for year, capacity in zip(years, capacities, strict=True):
            first = date(year, 1, 1)
            count = (date(year + 1, 1, 1) - first).days
            days.append(
                tuple(
                    (d, f"{d.year}{d.month:02d}{d.day:02d}")
                    for d in (first + timedelta(days=i) for i in range(count))
                )
            )
            cumulative.append(total)
            total += count * capacity
        size = total * len(_AREAS)
        # A large odd multiplier coprime with the size spreads consecutive ids over the space.
        multiplier = 2_654_435_761
        while math.gcd(multiplier, size) != 1:
            multiplier += 2
        return cls(tuple(cumulative), years, capacities, tuple(days), size, multiplier)

    def locate(self, row_id: int) -> tuple[int, date, str, int]:
        """(area index, birth date, "YYYYMMDD", sequence) of the person with ``row_id``."""
        position = (row_id * self.multiplier) % self.size
        area, rest = divmod(position, self.size // len(_AREAS))
        year_index = bisect_right(self.cumulative, rest) - 1
        day_index, sequence = divmod(
            rest - self.cumulative[year_index], self.capacities[year_index]
        )
        birth, text = self.days[year_index][day_index]
        return area, birth, text, sequence


@lru_cache(maxsize=1)
def _number_space() -> _NumberSpace:
    return _NumberSpace.build()


# 卡号: a letter, seven digits and the check character. Demo cards use letters from M on, one
# letter per ten million row ids; 卡识别码 is the issuing region, D156000005 and 16 hex digits
# from a bijection of the row id.
_CARD_LETTERS = "MNPQRSTUVW"
_CARD_DIGITS = 10_000_000
_CARD_ID_MULTIPLIER = 0x9E3779B97F4A7C15  # odd: a bijection of 64-bit integers


def demo_card_number(row_id: int) -> str:
    letter = _CARD_LETTERS[(row_id // _CARD_DIGITS) % len(_CARD_LETTERS)]
    first8 = f"{letter}{row_id % _CARD_DIGITS:07d}"
    return first8 + card_number_check_character(first8)


def demo_card_id_code(region_code: str, row_id: int) -> str:
    return f"{region_code}D156000005{(row_id * _CARD_ID_MULTIPLIER) & 0xFFFF_FFFF_FFFF_FFFF:016X}"


class _Population:
    """Generates persons and their records, batch by batch, from one seeded generator."""

    def __init__(self, rng: random.Random, today: date, region_code: str, now: datetime) -> None:
        self.rng = rng
        self.today = today
        self.region_code = region_code
        self.now = now
        self.space = _number_space()
        names = [name for name, _ in _SURNAMES]
        weights = [weight for _, weight in _SURNAMES]
        total = sum(weights)
        running = 0.0
        self.surname_cumulative = []
        for weight in weights:
            running += weight / total
            self.surname_cumulative.append(running)
        self.surnames = names
        self.male_given = _MALE_GIVEN + _SHARED_GIVEN
        self.female_given = _FEMALE_GIVEN + _SHARED_GIVEN
        self.employers = self._employers(rng, 400)
        self.addresses = [
            (f"{city}{street}", postcode) for _, city, postcode in _AREAS for street in _STREETS
        ]
        self.moments: dict[date, datetime] = {}

    @staticmethod
    def _employers(rng: random.Random, count: int) -> list[str]:
        """Valid 统一社会信用代码 of made-up employers (企业 91 + a region + a body code)."""
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        codes = []
        for _ in range(count):
            area = rng.choice(_AREAS)[0]
            body = "".join(rng.choice(alphabet) for _ in range(9))
            first17 = f"91{area}{body}"
            codes.append(first17 + uscc.calc_check_digit(first17))
        return codes

    def _moment(self, day: date) -> datetime:
        # Registration moments are shared per day: one datetime object per day, not per row.
        moment = self.moments.get(day)
        if moment is None:
            moment = self.moments[day] = datetime(day.year, day.month, day.day, 9, 30)
        return moment

    def name(self, male: bool) -> tuple[str, str]:
        """(name, GB 3304 ethnicity code)."""
        rng = self.rng
        if rng.random() < _MINORITY_SHARE:
            given = rng.choice(_MINORITY_MALE if male else _MINORITY_FEMALE)
            return f"{given}·{rng.choice(_MINORITY_FATHER)}", _UYGHUR
        surname = self.surnames[bisect_right(self.surname_cumulative, rng.random())]
        pool = self.male_given if male else self.female_given
        given = rng.choice(pool)
        if rng.random() < 0.7:
            given += rng.choice(pool)
        ethnicity = _HAN if rng.random() < 0.93 else rng.choice(_OTHER_ETHNICITIES)
        return surname + given, ethnicity

    def phone(self) -> str:
        return f"{self.rng.choice(_MOBILE_PREFIXES)}{self.rng.randrange(100_000_000):08d}"

    def rows(
        self, first_id: int, count: int
    ) -> tuple[
        list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]
    ]:
        """Persons with ids ``first_id``.. and their enrollment, card and bank account rows."""
        rng = self.rng
        random_ = rng.random
        randrange = rng.randrange
        space = self.space
        today = self.today
        today_ordinal = today.toordinal()
        region = self.region_code
        now = self.now
        persons: list[dict[str, Any]] = []
        enrollments: list[dict[str, Any]] = []
        cards: list[dict[str, Any]] = []
        banks: list[dict[str, Any]] = []
        for row_id in range(first_id, first_id + count):
            area_index, birth, birth_text, sequence = space.locate(row_id)
            area = _AREAS[area_index]
            first17 = f"{area[0]}{birth_text}{sequence:03d}"
            male = sequence % 2 == 1
            name, ethnicity = self.name(male)
            age = (today_ordinal - birth.toordinal()) // 365
            address: str | None = None
            postcode: str | None = None
            if random_() < 0.6:
                street, postcode = self.addresses[randrange(len(self.addresses))]
                address = (
                    f"{street}{randrange(1, 300)}号{randrange(1, 30)}栋{randrange(101, 2400)}室"
                )
            enrollment = self._enrollment(row_id, birth, age, male)
            created = self._moment(enrollment["start_date"])
            persons.append(
                {
                    "id": row_id,
                    "id_number": first17 + check_character(first17),
                    "id_kind": IdentityKind.RESIDENT,
                    "passport_country": None,
                    "name": name,
                    "name_initials": name_initials(name),
                    "sex": "1" if male else "2",
                    "birth_date": birth,
                    "ethnicity": ethnicity,
                    "phone": self.phone() if age >= 10 and random_() < 0.9 else None,
                    "address": address,
                    "postcode": postcode,
                    "created_at": created,
                    "updated_at": created,
                }
            )
            enrollment["updated_at"] = created
            enrollments.append(enrollment)
            if random_() < 0.93:
                # Issued some time after birth and after 2012, valid for ten years.
                earliest = max(birth.toordinal(), 734_503)  # 2012-01-01
                issued = date.fromordinal(
                    randrange(earliest, max(earliest + 1, today_ordinal - 30))
                )
                cards.append(
                    {
                        "person_id": row_id,
                        "card_number": demo_card_number(row_id),
                        "card_id_code": demo_card_id_code(region, row_id),
                        "state": CardState.ACTIVE,
                        "region_code": region,
                        "issue_date": issued,
                        "expiry_date": card_expiry_date(issued),
                        "temp_loss_expires_at": None,
                        "state_changed_at": self._moment(issued),
                    }
                )
            if random_() < 0.25 and age >= 1:
                banks.append(self._bank_account(row_id, age, name, address, postcode, now))
        return persons, enrollments, cards, banks

    def _enrollment(self, row_id: int, birth: date, age: int, male: bool) -> dict[str, Any]:
        rng = self.rng
        today = self.today
        retirement_age = 60 if male else 55
        employee = age >= 18 and rng.random() < (0.65 if age < retirement_age else 0.45)
        deemed = 0
        balance = 0
        credit_code = None
        if employee:
            # Work from 18-25; the employee scheme began in December 1998.
            started_work = date(birth.year + rng.randint(18, 25), rng.randint(1, 12), 1)
            start = max(started_work, date(1998, 12, 1))
            if started_work < start:
                deemed = min(
                    480, (start.year - started_work.year) * 12 + start.month - started_work.month
                )
            retired = date(birth.year + retirement_age, birth.month, 1)
            end = min(today, retired) if retired > start else start
            months = _months(start, end)
            balance = rng.randrange(0, months * 8_000 + 1)  # up to 80 yuan a month kept
            credit_code = self.employers[rng.randrange(len(self.employers))]
            insurance = InsuranceType.EMPLOYEE
        else:
            # Urban and rural resident insurance from 2007, or from birth.
            start = max(date(birth.year, birth.month, 1), date(2007, 1, 1))
            months = _months(start, today)
            insurance = InsuranceType.RESIDENT
        return {
            "person_id": row_id,
            "insurance_type": insurance,
            "status": EnrollmentStatus.ACTIVE,
            "region_code": self.region_code,
            "employer_credit_code": credit_code,
            "start_date": start,
            "end_date": None,
            "actual_months": months,
            "deemed_months": deemed,
            "account_balance_fen": balance,
        }

    def _bank_account(
        self,
        row_id: int,
        age: int,
        name: str,
        address: str | None,
        postcode: str | None,
        now: datetime,
    ) -> dict[str, Any]:
        rng = self.rng
        bank, bin_ = _BANKS[rng.randrange(len(_BANKS))]
        first18 = f"{bin_}{rng.randrange(10**11):011d}{row_id % 10}"
        account = first18 + luhn.calc_check_digit(first18)
        holder: dict[str, Any] = {
            "holder_relation": DebitHolderRelation.SELF.value,
            "holder_name": None,
            "holder_sex": None,
            "holder_phone": None,
            "holder_address": None,
            "holder_postcode": None,
        }
        if age < 18:
            # A child's contributions are debited from a parent's account.
            parent_male = rng.random() < 0.5
            parent_name, _ = self.name(parent_male)
            holder = {
                "holder_relation": DebitHolderRelation.PARENT.value,
                "holder_name": parent_name,
                "holder_sex": "1" if parent_male else "2",
                "holder_phone": self.phone(),
                "holder_address": address or f"{_AREAS[0][1]}{_STREETS[0]}1号",
                "holder_postcode": postcode or _AREAS[0][2],
            }
        return {
            "person_id": row_id,
            "bank_name": bank,
            "account_number": account,
            "updated_at": now,
            **holder,
        }


# ---------------------------------------------------------------------------------------------
# Bulk load


@dataclass(frozen=True)
class _Loaded:
    persons: int
    cards: int
    seconds: float
    first_id: int

    @property
    def ids(self) -> range:
        return range(self.first_id, self.first_id + self.persons)


def _load_population(
    sessions: sessionmaker[Session],
    *,
    persons: int,
    rng: random.Random,
    counter: Counter,
    now: datetime,
    progress: Callable[[str], None],
) -> _Loaded:
    """Insert ``persons`` people (ids after the existing ones) with Core executemany."""
    started = time.perf_counter()
    with sessions() as session:
        engine = session.get_bind().engine
    cards = 0
    with engine.connect() as connection:
        sqlite = connection.dialect.name == "sqlite"
        previous_cache = _enlarge_sqlite_cache(connection) if sqlite else None
        try:
            first_id = (connection.scalar(select(func.max(Person.id))) or 0) + 1
            population = _Population(rng, now.date(), counter.agency.region_code, now)
            done = since_commit = 0
            for person_rows, enrollment_rows, card_rows, bank_rows in _generated(
                population, first_id, persons
            ):
                connection.execute(insert(Person), person_rows)
                connection.execute(insert(Enrollment), enrollment_rows)
                if card_rows:
                    connection.execute(insert(Card), card_rows)
                if bank_rows:
                    connection.execute(insert(BankDebitAccount), bank_rows)
                done += len(person_rows)
                since_commit += len(person_rows)
                cards += len(card_rows)
                if since_commit >= COMMIT_EVERY or done == persons:
                    if not sqlite:
                        _advance_person_sequence(connection)
                    connection.commit()
                    since_commit = 0
                elapsed = time.perf_counter() - started
                rate = done / max(elapsed, 1e-9)
                progress(
                    f"已写入参保人 {done:,} / {persons:,}"
                    f"（每秒 {rate:,.0f} 人，已用 {elapsed:.0f} 秒）"
                )
        finally:
            if previous_cache is not None:
                connection.rollback()
                connection.exec_driver_sql(f"PRAGMA cache_size={int(previous_cache)}")
    return _Loaded(persons, cards, time.perf_counter() - started, first_id)


_Batch = tuple[
    list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]
]


def _generated(population: _Population, first_id: int, persons: int) -> Iterator[_Batch]:
    # One thread on purpose: generating in a second thread was slower (the driver takes and
    # releases the GIL for every row, so the threads convoy on it).
    for done in range(0, persons, BATCH):
        yield population.rows(first_id + done, min(BATCH, persons - done))


def _enlarge_sqlite_cache(connection: Connection) -> int:
    previous = int(connection.exec_driver_sql("PRAGMA cache_size").scalar_one())
    connection.exec_driver_sql(f"PRAGMA cache_size=-{_SQLITE_SEED_CACHE_KIB}")
    connection.commit()
    return previous


def _advance_person_sequence(connection: Connection) -> None:
    """PostgreSQL: rows inserted with explicit ids leave the serial behind; move it past them."""
    connection.execute(
        text(
            "SELECT setval(pg_get_serial_sequence('persons', 'id'), (SELECT max(id) FROM persons))"
        )
    )


# ---------------------------------------------------------------------------------------------
# The demo photo


@lru_cache(maxsize=4)
def demo_photo(policy: Policy | None = None) -> bytes:
    """A GA 461 card photo (358 x 441 JPEG, white background, within the size limits): a plain
    head-and-shoulders silhouette with slight sensor-like noise, so it compresses like a photo."""
    width, height = 358, 441
    image = Image.new("RGB", (width, height), (255, 255, 255))
    draw = ImageDraw.Draw(image)
    # Shoulders and a dark jacket, a white collar, the neck, the face and the hair.
    draw.ellipse((22, 318, 336, 600), fill=(46, 58, 88))
    draw.polygon(((150, 330), (208, 330), (179, 392)), fill=(246, 246, 246))
    draw.rectangle((152, 262, 206, 336), fill=(222, 184, 156))
    draw.ellipse((108, 92, 250, 282), fill=(236, 200, 172))
    draw.chord((104, 78, 254, 222), start=180, end=360, fill=(38, 30, 28))
    draw.ellipse((140, 168, 158, 178), fill=(60, 44, 40))
    draw.ellipse((200, 168, 218, 178), fill=(60, 44, 40))
    draw.arc((156, 220, 202, 246), start=20, end=160, fill=(170, 90, 90), width=3)
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    # Noise of a few grey levels: enough texture for a real photo's file size, still a white
    # background to the checker. Seeded, so the photo is the same on every run.
    levels = random.Random(461).randbytes(width * height)
    noise = Image.frombytes("L", (width, height), levels).point(lambda v: 124 + v % 9)
    # subtract(band, noise, offset=128) moves each pixel by 128 - noise: -4..+4 levels.
    image = Image.merge(
        "RGB", [ImageChops.subtract(band, noise, offset=128) for band in image.split()]
    )
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    limits = policy or Policy()
    photo = fit_photo(buffer.getvalue(), limits)
    problems = check_photo(photo, limits)
    if problems:  # a bug here, not the user's: the builder must make a valid photo
        raise AssertionError("; ".join(p.message for p in problems))
    return photo


# ---------------------------------------------------------------------------------------------
# Demo users


def _ensure_users(
    sessions: sessionmaker[Session], counter: Counter, clock: Callable[[], datetime]
) -> tuple[dict[str, Actor], tuple[str, ...]]:
    """The demo accounts, created through the user service where absent; their actors."""
    with sessions() as session:
        console = console_actor(session, counter, clock)
        existing = set(
            session.scalars(
                select(User.username).where(User.username.in_([u.username for u in DEMO_USERS]))
            )
        )
    created = []
    for demo_user in DEMO_USERS:
        if demo_user.username in existing:
            continue
        with sessions() as session:
            create_user(
                session, console, username=demo_user.username,
                display_name=demo_user.display_name, role=demo_user.role, password=DEMO_PASSWORD,
            )  # fmt: skip
        created.append(demo_user.username)
    actors: dict[str, Actor] = {}
    with sessions() as session:
        for demo_user in DEMO_USERS:
            user = session.scalars(select(User).where(User.username == demo_user.username)).one()
            counter_no = demo_user.counter_no or counter.counter_no
            at = dataclasses.replace(
                counter,
                counter_no=counter_no,
                has_card_printer=counter.has_card_printer or counter_no == _CARD_PRINTER_COUNTER,
            )
            actors[user.username] = Actor(
                user.id, user.username, user.display_name, user.role, at, clock
            )
    return actors, tuple(created)


def fresh_identity_number(
    session: Session, rng: random.Random, *, birth: date, male: bool, area: str
) -> str:
    """An identity number nobody in the store has, for someone registered at the counter.

    Counter registrations use sequences 900-999, which the bulk population never does, and the
    store is asked, so numbers stay unique however often the demo is seeded.
    """
    day = birth
    while True:
        sequences = [s for s in range(_BUSINESS_SEQUENCE_START, 1000) if s % 2 == int(male)]
        rng.shuffle(sequences)
        for sequence in sequences:
            first17 = f"{area}{day:%Y%m%d}{sequence:03d}"
            number = first17 + check_character(first17)
            if session.scalar(select(Person.id).where(Person.id_number == number)) is None:
                return number
        day -= timedelta(days=1)  # every sequence of the day is taken: the day before


# ---------------------------------------------------------------------------------------------
# Seeding


@dataclass(frozen=True)
class DemoSummary:
    """What ``demo seed`` did, for the console (演示数据摘要)."""

    skipped: bool
    persons_added: int
    persons_total: int
    cards_added: int
    seconds: float
    users_created: tuple[str, ...]
    business_day: date | None
    transactions: tuple[TransactionInfo, ...]
    pending_reviews: int
    overdue_transfers: int
    users: tuple[DemoUser, ...] = DEMO_USERS
    password: str = DEMO_PASSWORD

    def describe(self) -> str:
        if self.skipped:
            return (
                f"库中已有 {self.persons_total:,} 名参保人，未生成演示数据（--if-empty）。\n"
                + self._users_text()
            )
        rate = self.persons_added / self.seconds if self.seconds else 0.0
        lines = ["演示数据已生成："]
        if self.persons_added:
            lines.append(
                f"  新增参保人 {self.persons_added:,} 人（含社保卡 {self.cards_added:,} 张），"
                f"用时 {self.seconds:.1f} 秒（每秒 {rate:,.0f} 人）；"
                f"库中共 {self.persons_total:,} 人"
            )
        else:
            lines.append(f"  未新增批量参保人；库中共 {self.persons_total:,} 人")
        if self.business_day is not None:
            voided = sum(1 for t in self.transactions if t.status is TransactionStatus.VOID)
            kinds = {t.kind for t in self.transactions}
            lines.append(
                f"  今日（{self.business_day:%Y-%m-%d}）经办业务 {self.transactions_today} 笔，"
                f"涵盖 {len(kinds)} 类业务，其中作废 {voided} 笔；另有往日转入业务 "
                f"{len(self.transactions) - self.transactions_today} 笔"
            )
            lines.append(
                f"  待复核的信息更正 {self.pending_reviews} 件，超期未办结的转移接续 "
                f"{self.overdue_transfers} 件；今日未日结"
            )
        return "\n".join([*lines, self._users_text()])

    @property
    def transactions_today(self) -> int:
        return sum(1 for t in self.transactions if t.business_day == self.business_day)

    def _users_text(self) -> str:
        lines = [f"演示用户（密码均为 {self.password}）："]
        for user in self.users:
            where = f"{user.counter_no} 号窗口" if user.counter_no else "后台"
            created = "（新建）" if user.username in self.users_created else ""
            lines.append(
                f"  {user.username:<8}{user.display_name}  {user.role.label}  {where}{created}"
            )
        return "\n".join(lines)


def seed_demo(
    sessions: sessionmaker[Session],
    *,
    persons: int,
    counter: Counter,
    random_seed: int,
    if_empty: bool,
    progress: Callable[[str], None] = lambda _: None,
    clock: Callable[[], datetime] = datetime.now,
) -> DemoSummary:
    """演示数据: demo users, ``persons`` people in bulk, and today's business at three counters.

    With ``if_empty`` nothing happens when the store already holds persons.
    """
    if persons < 0:
        raise ValidationError("persons", "参保人数不能为负数")
    with sessions() as session:
        existing = session.scalar(select(func.count()).select_from(Person)) or 0
    if if_empty and existing:
        progress(f"库中已有 {existing:,} 名参保人，跳过演示数据")
        return DemoSummary(
            skipped=True, persons_added=0, persons_total=existing, cards_added=0, seconds=0.0,
            users_created=(), business_day=None, transactions=(), pending_reviews=0,
            overdue_transfers=0,
        )  # fmt: skip
    rng = random.Random(random_seed)
    progress("创建演示用户……")
    actors, created = _ensure_users(sessions, counter, clock)
    loaded = _Loaded(0, 0, 0.0, existing + 1)
    if persons:
        progress(f"生成 {persons:,} 名参保人……")
        loaded = _load_population(
            sessions, persons=persons, rng=rng, counter=counter, now=clock(), progress=progress
        )
    progress("登记演示卡的持卡人……")
    _register_demo_card_holders(sessions, counter.agency.region_code, clock())
    progress("办理今日演示业务……")
    business = _today_business(sessions, actors, rng, clock=clock, bulk_ids=loaded.ids)
    with sessions() as session:
        total = session.scalar(select(func.count()).select_from(Person)) or 0
    return DemoSummary(
        skipped=False,
        persons_added=loaded.persons,
        persons_total=total,
        cards_added=loaded.cards,
        seconds=loaded.seconds,
        users_created=created,
        business_day=business.day,
        transactions=business.transactions,
        pending_reviews=business.pending_reviews,
        overdue_transfers=business.overdue_transfers,
    )


def _register_demo_card_holders(
    sessions: sessionmaker[Session], region: str, now: datetime
) -> None:
    """The holders of the 培训/演示 menu's cards are on record with those very cards, so a demo
    card inserted at the counter opens its holder like any citizen's card. Their card numbers
    use a letter neither issued here nor used by the bulk population (X)."""
    with sessions() as session:
        for path in sorted(demo_profile_dir().glob("*.toml")):
            profile = load_profile(path)
            known = session.scalar(
                select(Person.id).where(Person.id_number == profile.ssn).limit(1)
            ) or session.scalar(
                select(Card.id).where(Card.card_number == profile.card_number).limit(1)
            )
            if known is not None:
                continue
            issued = datetime.combine(profile.issue_date, datetime.min.time()).replace(hour=10)
            person = Person(
                id_number=profile.ssn, id_kind=IdentityKind.RESIDENT, passport_country=None,
                name=profile.name, name_initials=name_initials(profile.name),
                sex=profile.sex.value, birth_date=profile.birth_date,
                ethnicity=profile.ethnicity, created_at=issued, updated_at=issued,
            )  # fmt: skip
            start = max(profile.birth_date, date(2007, 1, 1))
            person.enrollments.append(
                Enrollment(
                    insurance_type=InsuranceType.RESIDENT, status=EnrollmentStatus.ACTIVE,
                    region_code=region, start_date=start, actual_months=_months(start, now),
                    updated_at=issued,
                )
            )  # fmt: skip
            person.cards.append(
                Card(
                    card_number=profile.card_number, card_id_code=profile.card_id_code,
                    state=CardState.ACTIVE, region_code=profile.card_id_code[:6],
                    issue_date=profile.issue_date, expiry_date=profile.expiry_date,
                    state_changed_at=issued,
                )
            )  # fmt: skip
            session.add(person)
        session.commit()


def _months(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


# ---------------------------------------------------------------------------------------------
# Today's business at three counters


class _CounterClock:
    """The counters' wall clock during the demo day, moved on before each act."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


@dataclass(frozen=True)
class _Business:
    day: date
    transactions: tuple[TransactionInfo, ...]
    pending_reviews: int
    overdue_transfers: int


class _DemoDay:
    """Clerks serving citizens one after another, a few minutes apart, through the services.

    Notices that need confirming are confirmed, as the clerk would after checking with the
    citizen. One transfer case is opened some working days back so that it is overdue now.
    """

    ACTS = 44  # the most acts of the day: they are spaced to end at the present moment

    def __init__(
        self,
        sessions: sessionmaker[Session],
        actors: dict[str, Actor],
        rng: random.Random,
        now: datetime,
        bulk_ids: range,
    ) -> None:
        self.sessions = sessions
        self.rng = rng
        self.now = now.replace(microsecond=0)
        self.today = self.now.date()
        midnight = datetime.combine(self.today, datetime.min.time())
        self.step = min(timedelta(minutes=9), (self.now - midnight) / (self.ACTS + 1))
        self.clock = _CounterClock(self.now - self.step * self.ACTS)
        self.actors = {
            name: dataclasses.replace(actor, clock=self.clock) for name, actor in actors.items()
        }
        self.region = next(iter(actors.values())).counter.agency.region_code
        self.bulk_ids = bulk_ids
        self.photo = demo_photo(next(iter(actors.values())).policy)
        self.registered = 0
        self.taken: set[int] = set()

    # -- plumbing --------------------------------------------------------------------------

    def act(self, username: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
        """One service call by ``username`` a few minutes after the previous one."""
        self.clock.moment = min(self.clock.moment + self.step, self.now)
        return self._call(username, fn, **kwargs)

    def _call(self, username: str, fn: Callable[..., Any], **kwargs: Any) -> Any:
        actor = self.actors[username]
        with self.sessions() as session:
            try:
                return fn(session, actor, **kwargs)
            except ConfirmationRequired as asked:
                codes = asked.codes
        with self.sessions() as session:
            return fn(session, actor, **kwargs, acknowledged=codes)

    def back_then(self, working_days: int) -> datetime:
        """10 o'clock on the working day ``working_days`` before today that is still open."""
        day = self.today
        with self.sessions() as session:
            hall = next(iter(self.actors.values())).counter.hall_code
            while True:
                counted = 0
                while counted < working_days:
                    day -= timedelta(days=1)
                    counted += is_working_day(day)
                closed = session.scalar(
                    select(DayClose.id).where(
                        DayClose.hall_code == hall, DayClose.business_day == day
                    )
                )
                if closed is None:
                    return datetime.combine(day, datetime.min.time()).replace(hour=10)
                working_days = 1

    def people(self, count: int, *, insurance: InsuranceType | None = None) -> list[int]:
        """Adults of this run's population with an active card and enrollment (begun before
        today, of ``insurance`` when given), in random order, none chosen twice in the day;
        stand-ins registered (with an instant card) when the population is too small."""
        chosen: list[int] = []
        if self.bulk_ids:
            sample = self.rng.sample(self.bulk_ids, min(len(self.bulk_ids), count * 8))
            youngest = self.today.replace(year=self.today.year - 18)
            oldest = self.today.replace(year=self.today.year - 59)
            query = (
                select(Person.id)
                .join(Card, Card.person_id == Person.id)
                .join(Enrollment, Enrollment.person_id == Person.id)
                .where(
                    Person.id.in_(sample),
                    Person.birth_date.between(oldest, youngest),
                    Card.state == CardState.ACTIVE,
                    Enrollment.status == EnrollmentStatus.ACTIVE,
                    Enrollment.start_date < self.today,
                )
            )
            if insurance is not None:
                query = query.where(Enrollment.insurance_type == insurance)
            with self.sessions() as session:
                eligible = set(session.scalars(query)) - self.taken
            chosen = [pid for pid in sample if pid in eligible][:count]
        while len(chosen) < count:
            chosen.append(self.stand_in())
        self.taken.update(chosen)
        return chosen

    def stand_in(self) -> int:
        male = self.rng.random() < 0.5
        population = _Population(self.rng, self.today, self.region, self.now)
        name, ethnicity = population.name(male)
        birth = date(self.rng.randint(1970, 2000), self.rng.randint(1, 12), self.rng.randint(1, 28))
        person_id = self.register(
            "clerk3",
            name=name,
            birth=birth,
            male=male,
            ethnicity=ethnicity,
            insurance=InsuranceType.EMPLOYEE,
            phone=population.phone(),
        )
        self.act(
            "clerk3",
            apply_for_card,
            person_id=person_id,
            kind=CardApplicationKind.FIRST,
            photo=self.photo,
            instant=True,
        )
        return person_id

    def register(
        self,
        username: str,
        *,
        name: str,
        birth: date,
        male: bool,
        insurance: InsuranceType,
        ethnicity: str = _HAN,
        phone: str | None = None,
        address: str | None = None,
        postcode: str | None = None,
    ) -> int:
        with self.sessions() as session:
            number = fresh_identity_number(
                session, self.rng, birth=birth, male=male, area=self.region
            )
        start = (
            max(date(birth.year + 20, 7, 1), date(2010, 1, 1))
            if insurance is InsuranceType.EMPLOYEE
            else max(birth, date(2007, 1, 1))
        )
        start = min(start, self.clock().date())
        result = self.act(
            username,
            register_person,
            id_number=number,
            name=name,
            ethnicity=ethnicity,
            phone=phone,
            address=address,
            postcode=postcode,
            enrollment=EnrollmentInput(insurance, start, self.region),
        )
        self.registered += 1
        return int(result.person.id)

    def newest_card(self, person_id: int) -> int:
        with self.sessions() as session:
            card_id = session.scalar(select(func.max(Card.id)).where(Card.person_id == person_id))
        if card_id is None:
            raise AssertionError(f"person {person_id} has no card")  # a bug in the script
        return int(card_id)

    def newest_request(self, person_id: int) -> int:
        with self.sessions() as session:
            request_id = session.scalar(
                select(func.max(CorrectionRequest.id)).where(
                    CorrectionRequest.person_id == person_id
                )
            )
        if request_id is None:
            raise AssertionError(f"person {person_id} has no correction request")
        return int(request_id)

    def phone_of(self, person_id: int) -> str | None:
        with self.sessions() as session:
            return session.scalar(select(Person.phone).where(Person.id == person_id))

    def elsewhere(self, person_id: int) -> tuple[str, str, str]:
        """An area whose postcode is not the person's: a move always changes it."""
        with self.sessions() as session:
            current = session.scalar(select(Person.postcode).where(Person.id == person_id))
        return next(area for area in _AREAS[2:] + _AREAS[:2] if area[2] != current)

    # -- the day ---------------------------------------------------------------------------

    def run(self) -> None:
        rng = self.rng
        (
            lost_briefly,
            lost_for_now,
            lost_for_good,
            lost_by_agent,
            lost_then_found,
            damaged,
            renamed,
            moved,
            new_phone,
            new_bank,
            name_typo,
            ethnicity_fix,
            name_fix,
            mistyped,
        ) = self.people(14)
        (leaving,) = self.people(1, insurance=InsuranceType.EMPLOYEE)  # a resident waits a year

        # A card applied for three weeks ago is ready: the citizen collects it today.
        with self._at(self.back_then(15)):
            collector = self.register(
                "clerk1",
                name="张伟",
                birth=date(1988, 3, 14),
                male=True,
                insurance=InsuranceType.EMPLOYEE,
                phone="13911862045",
            )
            self._call(
                "clerk1",
                apply_for_card,
                person_id=collector,
                kind=CardApplicationKind.FIRST,
                photo=self.photo,
            )
        # A transfer-in accepted some working days back, its 信息表 still awaited: overdue now.
        with self._at(self.back_then(14)):
            arrived = self.register(
                "clerk3",
                name="周婷",
                birth=date(1991, 9, 2),
                male=False,
                insurance=InsuranceType.EMPLOYEE,
                phone="13607551928",
            )
            self._start_transfer_in("clerk3", arrived, "广东省深圳市南山区医疗保障局", "440305")
        # Another accepted a week back: its 信息表 arrives today and the case is closed.
        with self._at(self.back_then(5)):
            returning = self.register(
                "clerk2",
                name="黄志刚",
                birth=date(1976, 5, 21),
                male=True,
                insurance=InsuranceType.EMPLOYEE,
                phone="13312095587",
            )
            letter = self._start_transfer_in(
                "clerk2", returning, "江苏省南京市医疗保障局", "320102"
            )

        # Morning: new people, first cards, a card collected.
        rare = self.register(
            "clerk1",
            name="王𠮷",
            birth=date(1979, 11, 23),
            male=True,
            insurance=InsuranceType.EMPLOYEE,
            phone="13801126734",
        )
        self.act(
            "clerk1",
            apply_for_card,
            person_id=rare,
            kind=CardApplicationKind.FIRST,
            photo=self.photo,
        )
        child = self.register(
            "clerk2",
            name="刘子涵",
            birth=date(self.today.year - 7, 4, 18),
            male=False,
            insurance=InsuranceType.RESIDENT,
        )
        guardian = self._guardian(
            "刘建华", date(1986, 6, 9), male=True, relation="父亲", phone="13522871406"
        )
        # At the counter with the card printer the child leaves with the card.
        self.act(
            "clerk3",
            apply_for_card,
            person_id=child,
            kind=CardApplicationKind.FIRST,
            photo=self.photo,
            instant=True,
            representative=guardian,
        )
        uyghur = self.register(
            "clerk2",
            name="阿依古丽·买买提",
            birth=date(1995, 2, 11),
            male=False,
            ethnicity=_UYGHUR,
            insurance=InsuranceType.RESIDENT,
            phone="13999120853",
        )
        self.act(
            "clerk2",
            apply_for_card,
            person_id=uyghur,
            kind=CardApplicationKind.FIRST,
            photo=self.photo,
        )
        collected = self.newest_card(collector)
        self.act("clerk1", record_card_produced, card_id=collected)
        self.act("clerk1", hand_over_card, card_id=collected)

        # Loss reports (挂失), an unfreeze and reissues.
        self.act("clerk2", report_loss, card_id=self.newest_card(lost_briefly), formal=False)
        self.act("clerk3", report_loss, card_id=self.newest_card(lost_for_now), formal=False)
        self.act("clerk1", report_loss, card_id=self.newest_card(lost_for_good), formal=True)
        self.act(
            "clerk1",
            apply_for_card,
            person_id=lost_for_good,
            kind=CardApplicationKind.REISSUE,
            photo=self.photo,
        )
        agent = self._agent(
            "赵丽", date(1990, 1, 5), male=False, relation="配偶", phone="13766120985"
        )
        self.act(
            "clerk2",
            report_loss,
            card_id=self.newest_card(lost_by_agent),
            formal=True,
            representative=agent,
        )
        self.act("clerk2", unfreeze_card, card_id=self.newest_card(lost_briefly))
        card = self.newest_card(lost_then_found)
        self.act("clerk3", report_loss, card_id=card, formal=False)
        self.act("clerk3", report_loss, card_id=card, formal=True)
        self.act(
            "clerk3",
            apply_for_card,
            person_id=lost_then_found,
            kind=CardApplicationKind.REISSUE,
            photo=self.photo,
            instant=True,
        )
        # Replacements (换领): a damaged card (paid) and one after a change of data (free).
        self.act(
            "clerk1",
            apply_for_card,
            person_id=damaged,
            kind=CardApplicationKind.REPLACEMENT,
            photo=self.photo,
            replacement_reason=ReplacementReason.DAMAGED,
            old_card_returned=True,
        )
        self.act(
            "clerk2",
            apply_for_card,
            person_id=renamed,
            kind=CardApplicationKind.REPLACEMENT,
            photo=self.photo,
            replacement_reason=ReplacementReason.DATA_CHANGED,
            old_card_returned=True,
        )

        # Corrections: contact data at once, identity data for the supervisor.
        self.act(
            "clerk1",
            submit_correction,
            person_id=new_phone,
            changes={CorrectionField.PHONE: f"1{rng.choice('3578')}{rng.randrange(10**9):09d}"},
            reason="本人更换手机号码",
        )
        _, city, postcode = self.elsewhere(moved)
        self.act(
            "clerk2",
            submit_correction,
            person_id=moved,
            changes={
                CorrectionField.ADDRESS: (
                    f"{city}朝阳北路{rng.randint(1, 200)}号院{rng.randint(1, 20)}号楼"
                ),
                CorrectionField.POSTCODE: postcode,
            },
            reason="搬家，更新联系地址",
        )
        self._change_bank_account("clerk3", new_bank)
        self.act(
            "clerk1",
            submit_correction,
            person_id=name_typo,
            changes={CorrectionField.NAME: self._corrected_name(name_typo)},
            reason="姓名登记有误，与户口簿不符",
            documents=(SupportingDocument.HOUSEHOLD_REGISTER, SupportingDocument.ID_CARD),
        )
        self.act(
            "clerk2",
            submit_correction,
            person_id=ethnicity_fix,
            changes={CorrectionField.ETHNICITY: "03"},
            reason="民族登记错误",
            documents=(SupportingDocument.HOUSEHOLD_REGISTER,),
        )
        self.act(
            "clerk3",
            submit_correction,
            person_id=name_fix,
            changes={CorrectionField.NAME: self._corrected_name(name_fix)},
            reason="公安机关已更正姓名",
            documents=(SupportingDocument.POLICE_CERTIFICATE,),
        )
        self.act(
            "super1",
            approve_correction,
            request_id=self.newest_request(name_fix),
            comment="材料齐全，同意更正",
        )

        # A phone number typed wrong, voided by the supervisor, then entered again.
        right = self.phone_of(mistyped) or "13691027745"
        wrong = (
            right[:-2] + right[-1] + right[-2]
            if right[-1] != right[-2]
            else right[:-1] + str((int(right[-1]) + 1) % 10)
        )
        typo = self.act(
            "clerk3",
            submit_correction,
            person_id=mistyped,
            changes={CorrectionField.PHONE: wrong},
            reason="本人更换手机号码",
        )
        self.act(
            "super2",
            void_transaction,
            serial=typo.transaction.serial,
            reason="手机号码录入错误，已重新办理",
        )
        self.act(
            "clerk3",
            submit_correction,
            person_id=mistyped,
            changes={CorrectionField.PHONE: _other_phone(rng, right)},
            reason="本人更换手机号码",
        )

        # Leaving for another region: suspend, 参保凭证, the new region's 联系函, the 信息表.
        self.act(
            "clerk2",
            suspend_enrollment,
            person_id=leaving,
            effective=self.today,
            reason="到外地就业，转移医保关系",
        )
        self._transfer_out("clerk2", leaving, "上海市医疗保障局", "310104")
        # Someone arriving: registered here, the origin's 参保凭证 recorded, the 联系函 sent.
        newcomer = self.register(
            "clerk1",
            name="欧阳明轩",
            birth=date(1984, 12, 30),
            male=True,
            insurance=InsuranceType.EMPLOYEE,
            phone="15011937264",
        )
        self._start_transfer_in("clerk1", newcomer, "四川省成都市医疗保障局", "510107")

        # The 信息表 from Nanjing came in the post: record it and close the case.
        self.act(
            "clerk2",
            record_info_form,
            case_id=letter.case_id,
            received_on=self.today,
            actual_months=letter.origin_actual_months,
            deemed_months=letter.origin_deemed_months,
            balance_fen=letter.origin_balance_fen,
        )
        self.act("clerk2", complete_transfer_in, case_id=letter.case_id)

        # Afternoon: more first registrations with cards.
        for username in ("clerk2", "clerk1"):
            person = self.stand_in_at(username)
            self.act(
                username,
                apply_for_card,
                person_id=person,
                kind=CardApplicationKind.FIRST,
                photo=self.photo,
            )

    @contextmanager
    def _at(self, moment: datetime) -> Iterator[None]:
        saved = self.clock.moment
        self.clock.moment = moment
        try:
            yield
        finally:
            self.clock.moment = saved

    def stand_in_at(self, username: str) -> int:
        """Someone registered at ``username``'s counter, with no card yet."""
        male = self.rng.random() < 0.5
        population = _Population(self.rng, self.today, self.region, self.now)
        name, ethnicity = population.name(male)
        birth = date(self.rng.randint(1960, 2004), self.rng.randint(1, 12), self.rng.randint(1, 28))
        return self.register(
            username,
            name=name,
            birth=birth,
            male=male,
            ethnicity=ethnicity,
            insurance=InsuranceType.RESIDENT,
            phone=population.phone(),
        )

    def _representative(
        self,
        role: RepresentativeRole,
        name: str,
        birth: date,
        *,
        male: bool,
        relation: str,
        phone: str,
    ) -> Representative:
        with self.sessions() as session:
            number = fresh_identity_number(
                session, self.rng, birth=birth, male=male, area=self.region
            )
        return Representative(
            role=role, id_number=number, name=name, relation=relation, phone=phone
        )

    def _guardian(
        self, name: str, birth: date, *, male: bool, relation: str, phone: str
    ) -> Representative:
        return self._representative(
            RepresentativeRole.GUARDIAN, name, birth, male=male, relation=relation, phone=phone
        )

    def _agent(
        self, name: str, birth: date, *, male: bool, relation: str, phone: str
    ) -> Representative:
        return self._representative(
            RepresentativeRole.AGENT, name, birth, male=male, relation=relation, phone=phone
        )

    def _transfer_out(self, username: str, person_id: int, agency: str, region: str) -> None:
        """转出 in full: the 参保凭证, the new region's 联系函 arriving, the 信息表."""
        certificate = self.act(
            username,
            start_transfer_out,
            person_id=person_id,
            destination_agency=agency,
            destination_region=region,
        )
        self.act(
            username,
            record_contact_letter,
            case_id=certificate.case_id,
            letter_date=self.clock().date(),
            from_agency=agency,
            letter_number=f"医保转函〔{self.today.year}〕{self.rng.randint(100, 999)}号",
        )
        self.act(username, issue_info_form, case_id=certificate.case_id)

    def _start_transfer_in(
        self, username: str, person_id: int, agency: str, region: str
    ) -> ContactLetter:
        """转入受理: the origin's 参保凭证 recorded, the 联系函 sent; the 信息表 is awaited."""
        with self.sessions() as session:
            local_start = session.scalars(
                select(Enrollment.start_date).where(Enrollment.person_id == person_id)
            ).one()
        origin_end = local_start - timedelta(days=1)
        origin_start = date(max(origin_end.year - self.rng.randint(3, 12), 1999), 7, 1)
        months = (origin_end.year - origin_start.year) * 12 + origin_end.month - origin_start.month
        return self.act(  # type: ignore[no-any-return]
            username,
            start_transfer_in,
            person_id=person_id,
            origin_agency=agency,
            origin_region=region,
            certificate_date=origin_end,
            origin_periods=[(origin_start, origin_end)],
            origin_actual_months=months,
            origin_deemed_months=0,
            origin_balance_fen=self.rng.randrange(50_000, 2_000_000),
        )

    def _change_bank_account(self, username: str, person_id: int) -> None:
        """A new debit card at another bank (变更银行扣款账户): takes effect at once."""
        with self.sessions() as session:
            current = session.scalar(
                select(BankDebitAccount.bank_name).where(BankDebitAccount.person_id == person_id)
            )
        bank, bin_ = self.rng.choice([b for b in _BANKS if b[0] != current])
        first18 = f"{bin_}{self.rng.randrange(10**12):012d}"
        self.act(
            username,
            submit_correction,
            person_id=person_id,
            changes={},
            bank_account=DebitAccountInput(
                bank_name=bank,
                account_number=first18 + luhn.calc_check_digit(first18),
                holder_relation=DebitHolderRelation.SELF,
            ),
            reason="原扣款银行卡已销户，改用新卡扣缴",
        )

    def _corrected_name(self, person_id: int) -> str:
        """The name with its last character corrected to a look- or sound-alike one."""
        with self.sessions() as session:
            name = session.scalars(select(Person.name).where(Person.id == person_id)).one()
        last = name[-1]
        replacement = _NAME_FIXES.get(last) or self.rng.choice(
            [ch for ch in _FEMALE_GIVEN + _MALE_GIVEN if ch != last]
        )
        return name[:-1] + replacement

    def summary(self, first_transaction_id: int) -> _Business:
        with self.sessions() as session:
            rows = session.scalars(
                select(Transaction)
                .where(Transaction.id >= first_transaction_id)
                .order_by(Transaction.id)
            ).all()
            transactions = tuple(transaction_info(t) for t in rows)
            pending = session.scalar(
                select(func.count())
                .select_from(CorrectionRequest)
                .where(CorrectionRequest.state == CorrectionState.PENDING)
            )
            overdue = session.scalar(
                select(func.count())
                .select_from(TransferCase)
                .where(
                    TransferCase.due_on < self.today,
                    TransferCase.stage.not_in([TransferStage.COMPLETED, TransferStage.CANCELLED]),
                )
            )
        return _Business(self.today, transactions, pending or 0, overdue or 0)


# Corrections of a name's last character as clerks meet them (同音/形近字).
_NAME_FIXES = {
    "伟": "玮",
    "丽": "俪",
    "明": "铭",
    "静": "婧",
    "华": "桦",
    "军": "君",
    "芳": "方",
    "玲": "琳",
    "杰": "洁",
    "涛": "韬",
    "斌": "彬",
    "婷": "亭",
    "娟": "鹃",
    "辉": "晖",
    "敏": "珉",
    "燕": "艳",
}


def _other_phone(rng: random.Random, current: str) -> str:
    while True:
        phone = f"{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(100_000_000):08d}"
        if phone != current:
            return phone


def _today_business(
    sessions: sessionmaker[Session],
    actors: dict[str, Actor],
    rng: random.Random,
    *,
    clock: Callable[[], datetime],
    bulk_ids: range,
) -> _Business:
    with sessions() as session:
        first = (session.scalar(select(func.max(Transaction.id))) or 0) + 1
    day = _DemoDay(sessions, actors, rng, clock(), bulk_ids)
    day.run()
    return day.summary(first)
