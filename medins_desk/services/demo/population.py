"""The bulk population of the demo (演示参保人): synthetic people written in large batches.

The population is generated in plain Python from a seeded ``random.Random`` and written with
SQLAlchemy Core ``insert()`` executemany in large batches inside a few transactions: a million
persons (with enrollments, cards and bank debit accounts) must load in minutes, so no ORM object
and no service call is made per person. Uniqueness comes from arithmetic, not from look-ups: a
person's identity number, card number and 卡识别码 are bijections of the person's row id, so
seeding again (ids continue after the existing rows) never collides with earlier demo rows.
"""

from __future__ import annotations

import math
import random
import time
from bisect import bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, func, insert, select, text
from sqlalchemy.orm import Session, sessionmaker
from stdnum import luhn
from stdnum.cn import uscc

from medins_desk.domain.card import CardState, card_expiry_date, card_number_check_character
from medins_desk.domain.contact import DebitHolderRelation
from medins_desk.domain.contributions import ContributionSource, format_month
from medins_desk.domain.enrollment import EnrollmentStatus, InsuranceType
from medins_desk.domain.identity import IdentityKind, check_character
from medins_desk.domain.names import name_initials
from medins_desk.services.context import Counter
from medins_desk.store.models import BankDebitAccount, Card, ContributionMonth, Enrollment, Person

# Rows per executemany; a commit after every COMMIT_EVERY persons keeps the WAL bounded.
BATCH = 20_000
COMMIT_EVERY = 250_000
# The first 20 persons of every 10,000 have the 缴费月份 of all their years on record (a few
# months missed): about 230 rows each, so enough to show and certify (a small demo store has
# some too) and few enough that a million persons load barely slower (2,000 persons).
MONTHS_BLOCK = 10_000
MONTHS_PER_BLOCK = 20
# The seeding connection's page cache (KiB, negative as SQLite wants it): index inserts in
# random key order thrash the default 2 MB cache.
_SQLITE_SEED_CACHE_KIB = 512 * 1024


# ---------------------------------------------------------------------------------------------
# Synthetic people


# Real county-level division codes: (code, city and district as an address starts, postcode).
AREAS: tuple[tuple[str, str, str], ...] = (
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
MALE_GIVEN = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宇浩凯健俊帆帅旭宁龙林阳建国志文海东峰成亮晨博"
    "轩睿泽然天宏彬振家永德兴荣新毅坤锋"
)
FEMALE_GIVEN = (
    "芳娜敏静丽艳娟霞秀英燕玲桂兰萍红玉梅莉婷雪琳晶倩颖欣怡佳慧璐洁琴云丹蕾薇梦涵萱悦诗雨思婉月彤淑"
)
_SHARED_GIVEN = "小晓子一文嘉思雨宇安"
# Uyghur names are written as given name · father's name (with the middle dot).
_MINORITY_FEMALE = ("阿依古丽", "热依拉", "古丽娜尔", "迪丽娜尔", "帕提古丽", "米热古丽")
_MINORITY_MALE = ("买买提", "艾尔肯", "努尔艾力", "阿布都", "吐尔洪", "艾合买提")
_MINORITY_FATHER = ("买买提", "艾力", "吐尔逊", "阿不都拉", "依明", "库尔班", "热合曼", "玉素甫")
_MINORITY_SHARE = 0.004
_COMPOUND_SURNAMES = frozenset(name for name, _ in _SURNAMES if len(name) > 1)
UYGHUR = "05"
HAN = "01"
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
BANKS = (
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
BUSINESS_SEQUENCE_START = 900


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
        size = total * len(AREAS)
        # A large odd multiplier coprime with the size spreads consecutive ids over the space.
        multiplier = 2_654_435_761
        while math.gcd(multiplier, size) != 1:
            multiplier += 2
        return cls(tuple(cumulative), years, capacities, tuple(days), size, multiplier)

    def locate(self, row_id: int) -> tuple[int, date, str, int]:
        """(area index, birth date, "YYYYMMDD", sequence) of the person with ``row_id``."""
        position = (row_id * self.multiplier) % self.size
        area, rest = divmod(position, self.size // len(AREAS))
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


_Rows = list[dict[str, Any]]
# Persons, enrollments, cards, bank accounts and contribution months of one batch.
_Batch = tuple[_Rows, _Rows, _Rows, _Rows, _Rows]


class Population:
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
        self.male_given = MALE_GIVEN + _SHARED_GIVEN
        self.female_given = FEMALE_GIVEN + _SHARED_GIVEN
        self.employers = self._employers(rng, 400)
        self.addresses = [
            (f"{city}{street}", postcode) for _, city, postcode in AREAS for street in _STREETS
        ]
        self.moments: dict[date, datetime] = {}

    @staticmethod
    def _employers(rng: random.Random, count: int) -> list[str]:
        """Valid 统一社会信用代码 of made-up employers (企业 91 + a region + a body code)."""
        alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
        codes = []
        for _ in range(count):
            area = rng.choice(AREAS)[0]
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
            return f"{given}·{rng.choice(_MINORITY_FATHER)}", UYGHUR
        surname = self.surnames[bisect_right(self.surname_cumulative, rng.random())]
        pool = self.male_given if male else self.female_given
        given = rng.choice(pool)
        if rng.random() < 0.7:
            given += rng.choice(pool)
        ethnicity = HAN if rng.random() < 0.93 else rng.choice(_OTHER_ETHNICITIES)
        return surname + given, ethnicity

    def phone(self) -> str:
        return f"{self.rng.choice(_MOBILE_PREFIXES)}{self.rng.randrange(100_000_000):08d}"

    def rows(self, first_id: int, count: int) -> _Batch:
        """Persons with ids ``first_id``.. and their enrollment, card, bank account and
        contribution month rows."""
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
        months: list[dict[str, Any]] = []
        for row_id in range(first_id, first_id + count):
            area_index, birth, birth_text, sequence = space.locate(row_id)
            area = AREAS[area_index]
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
            if has_months(row_id):
                enrollment["actual_months"] = self._months(row_id, enrollment, months)
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
        return persons, enrollments, cards, banks, months

    def _months(self, row_id: int, enrollment: dict[str, Any], out: list[dict[str, Any]]) -> int:
        """Every month from the enrollment's start to last month (to retirement), one run of
        1-6 months missed for some, the deemed months before; returns the months paid. A
        generator of the person's own keeps the population's stream as it was."""
        rng = random.Random(row_id)
        start: date = enrollment["start_date"]
        first = start.year * 12 + start.month - 1
        last = self.today.year * 12 + self.today.month - 2
        insurance: InsuranceType = enrollment["insurance_type"]
        employee = insurance is InsuranceType.EMPLOYEE
        if employee and enrollment["actual_months"] < last - first + 1:
            last = first + enrollment["actual_months"] - 1  # retired
        missed = range(0)
        if last - first > 24 and rng.random() < 0.3:
            gap = rng.randint(first + 1, last - 7)
            missed = range(gap, gap + rng.randint(1, 6))
        base = rng.randrange(400_000, 2_000_000, 10_000) if employee else None
        common = {
            "person_id": row_id,
            "insurance_type": insurance,
            "region_code": self.region_code,
            "transfer_case_id": None,
        }
        paid = 0
        for index in range(first, last + 1):
            if index in missed:
                continue
            out.append(
                {
                    **common,
                    "month": format_month(index),
                    "source": ContributionSource.LOCAL,
                    "base_fen": base,
                    "amount_fen": base // 50 if base else None,  # the employee's 2%
                }
            )
            paid += 1
        for index in range(first - enrollment["deemed_months"], first):
            out.append(
                {
                    **common,
                    "month": format_month(index),
                    "source": ContributionSource.DEEMED,
                    "base_fen": None,
                    "amount_fen": None,
                }
            )
        return paid

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
            months = whole_months(start, end)
            balance = rng.randrange(0, months * 8_000 + 1)  # up to 80 yuan a month kept
            credit_code = self.employers[rng.randrange(len(self.employers))]
            insurance = InsuranceType.EMPLOYEE
        else:
            # Urban and rural resident insurance from 2007, or from birth.
            start = max(date(birth.year, birth.month, 1), date(2007, 1, 1))
            months = whole_months(start, today)
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
        bank, bin_ = BANKS[rng.randrange(len(BANKS))]
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
                "holder_address": address or f"{AREAS[0][1]}{_STREETS[0]}1号",
                "holder_postcode": postcode or AREAS[0][2],
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
class Loaded:
    persons: int
    cards: int
    seconds: float
    first_id: int

    @property
    def ids(self) -> range:
        return range(self.first_id, self.first_id + self.persons)


def load_population(
    sessions: sessionmaker[Session],
    *,
    persons: int,
    rng: random.Random,
    counter: Counter,
    now: datetime,
    progress: Callable[[str], None],
) -> Loaded:
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
            population = Population(rng, now.date(), counter.agency.region_code, now)
            done = since_commit = 0
            for person_rows, enrollment_rows, card_rows, bank_rows, month_rows in _generated(
                population, first_id, persons
            ):
                connection.execute(insert(Person), person_rows)
                connection.execute(insert(Enrollment), enrollment_rows)
                if card_rows:
                    connection.execute(insert(Card), card_rows)
                if bank_rows:
                    connection.execute(insert(BankDebitAccount), bank_rows)
                if month_rows:
                    connection.execute(insert(ContributionMonth), month_rows)
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
    return Loaded(persons, cards, time.perf_counter() - started, first_id)


def _generated(population: Population, first_id: int, persons: int) -> Iterator[_Batch]:
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


def has_months(row_id: int) -> bool:
    """Whether the bulk person with this row id has their 缴费月份 on record."""
    return row_id % MONTHS_BLOCK < MONTHS_PER_BLOCK


def child_name(rng: random.Random, parent_name: str, *, male: bool) -> str:
    """A newborn's name after a parent's: the surname (复姓 too) and a given name; for a Uyghur
    parent, a Uyghur given name with the parent's given name after the dot."""
    if "·" in parent_name:
        given = rng.choice(_MINORITY_MALE if male else _MINORITY_FEMALE)
        return f"{given}·{parent_name.split('·', 1)[0]}"
    surname = parent_name[:2] if parent_name[:2] in _COMPOUND_SURNAMES else parent_name[0]
    pool = MALE_GIVEN if male else FEMALE_GIVEN
    return surname + rng.choice(pool) + rng.choice(pool)


def whole_months(start: date, end: date) -> int:
    """Whole calendar months from ``start`` to ``end`` (0 when ``end`` is earlier)."""
    return max(0, (end.year - start.year) * 12 + end.month - start.month)


def other_phone(rng: random.Random, current: str) -> str:
    while True:
        phone = f"{rng.choice(_MOBILE_PREFIXES)}{rng.randrange(100_000_000):08d}"
        if phone != current:
            return phone
