"""Generators of planted values (checksum-valid) and hard negatives.

Every generator takes a ``random.Random`` and returns a ``Value``: the text exactly as it is written into
the prompt, its entity and scoring class, and a few facts the templates use (a person's name, a country).
Nothing here reads global state, so a seeded ``Random`` gives the same values every time.
"""

from __future__ import annotations

import base64
import hashlib
import json
import random
import string
import unicodedata
from dataclasses import dataclass, field

from . import checksums as ck

# Scoring classes ----------------------------------------------------------------------------------
EMAIL = "email"
PHONE = "phone"
IDS = "ids_cards"
PREFIXED = "prefixed_secret"
GENERIC = "generic_secret"
CLASSES = (EMAIL, PHONE, IDS, PREFIXED, GENERIC)

IDS_ENTITIES = (
    "CREDIT_CARD", "IBAN_CODE", "UK_NHS", "CA_SIN", "IN_AADHAAR", "BR_CPF", "DE_TAX_ID", "NL_BSN",
    "ES_NIF", "IT_FISCAL_CODE", "FR_NIR", "PL_PESEL", "ABA_ROUTING_NUMBER", "US_NPI", "US_SSN",
)
PREFIXED_ENTITIES = (
    "AWS_ACCESS_KEY_ID", "GITHUB_TOKEN", "GITLAB_TOKEN", "SLACK_TOKEN", "STRIPE_SECRET_KEY", "OPENAI_API_KEY",
    "ANTHROPIC_API_KEY", "GOOGLE_API_KEY", "NPM_TOKEN", "SENDGRID_API_KEY", "PRIVATE_KEY", "JWT",
    "HUGGINGFACE_TOKEN",
)
GENERIC_ENTITIES = ("GENERIC_SECRET", "PASSWORD", "DB_CONNECTION_STRING")

# Entity -> class for findings. Entities not listed: category "secret" -> prefixed_secret, else unscored.
ENTITY_CLASS: dict[str, str] = {"EMAIL_ADDRESS": EMAIL, "PHONE_NUMBER": PHONE}
ENTITY_CLASS.update({e: IDS for e in IDS_ENTITIES})
ENTITY_CLASS.update({e: PREFIXED for e in PREFIXED_ENTITIES})
ENTITY_CLASS.update({e: GENERIC for e in GENERIC_ENTITIES})

# Hard-negative kinds; the first five must never be reported at high confidence.
HN_REQUIRED_ZERO = ("uuid", "git_sha", "hex_digest", "luhn_invalid_16", "ssn_invalid_area")
HN_KINDS = HN_REQUIRED_ZERO + ("order_number", "timestamp", "version", "placeholder", "sample_value")


@dataclass
class Value:
    """A value to write into a prompt."""

    text: str
    entity: str  # entity for planted values; hard-negative kind for hard negatives
    cls: str | None  # scoring class; None for hard negatives
    meta: dict = field(default_factory=dict)

    @property
    def is_hardneg(self) -> bool:
        return self.cls is None


# --------------------------------------------------------------------------------------------------
# People (names with accents, CJK) -- used for emails, codice fiscale and prompt text
# --------------------------------------------------------------------------------------------------

PEOPLE = {
    "en": [("James", "Whitfield"), ("Olivia", "Bennett"), ("Marcus", "O'Neill"), ("Hannah", "Crawford"),
           ("Ethan", "Palmer"), ("Grace", "Holloway"), ("Noah", "Fitzgerald"), ("Chloe", "Sutton"),
           ("Daniel", "Reyes"), ("Emily", "Thornton"), ("Samuel", "Okafor"), ("Megan", "Castillo")],
    "de": [("Jürgen", "Müller"), ("Anja", "Schäfer"), ("Lukas", "Weiß"), ("Sophie", "Krüger"),
           ("Maximilian", "Groß"), ("Lea", "Böhm"), ("Tobias", "Köhler"), ("Johanna", "Wagner")],
    "fr": [("François", "Dupont"), ("Hélène", "Lefèvre"), ("Loïc", "Moreau"), ("Amélie", "Girard"),
           ("Noël", "Fabre"), ("Céline", "Rousseau"), ("Jérôme", "Bérenger"), ("Inès", "Lambert")],
    "es": [("José", "García"), ("Lucía", "Fernández"), ("Andrés", "Muñoz"), ("Begoña", "Ibáñez"),
           ("Álvaro", "Peña"), ("María", "Gómez")],
    "it": [("Mario", "Rossi"), ("Giulia", "Bianchi"), ("Luca", "Ferrari"), ("Chiara", "Esposito"),
           ("Francesca", "Romano"), ("Marco", "Colombo"), ("Nicolò", "Ricci"), ("Sofia", "Marino"),
           ("Giorgio", "Greco"), ("Elena", "Bruno"), ("Matteo", "Gallo"), ("Martina", "Conti")],
    "pl": [("Łukasz", "Wąsowski"), ("Zofia", "Kowalska"), ("Paweł", "Zieliński"), ("Agnieszka", "Dąbrowska")],
    "nl": [("Sanne", "de Vries"), ("Daan", "Bakker"), ("Femke", "Visser"), ("Joris", "van Dijk")],
    "br": [("João", "Silva"), ("Ana", "Souza"), ("Thiago", "Araújo"), ("Beatriz", "Gonçalves")],
    "in": [("Priya", "Sharma"), ("Rahul", "Verma"), ("Ananya", "Iyer"), ("Vikram", "Nair"),
           ("Sneha", "Reddy"), ("Arjun", "Mehta")],
    "nordic": [("Søren", "Jørgensen"), ("Åsa", "Lindqvist"), ("Björn", "Ekström"), ("Sigrún", "Þórsdóttir")],
    "tr": [("Çağla", "Yılmaz"), ("Mehmet", "Öztürk")],
    "cn": [("王小明", "Wang Xiaoming"), ("李娜", "Li Na"), ("张伟", "Zhang Wei"), ("陈静", "Chen Jing")],
    "jp": [("田中太郎", "Tanaka Taro"), ("佐藤花子", "Sato Hanako"), ("鈴木一郎", "Suzuki Ichiro")],
    "kr": [("김민준", "Kim Minjun"), ("이서연", "Lee Seoyeon")],
    "ca": [("Étienne", "Tremblay"), ("Mélanie", "Gagnon"), ("Liam", "MacDonald")],
}
CJK_LOCALES = ("cn", "jp", "kr")


@dataclass
class Person:
    display: str  # as written in text (may be CJK or accented)
    first: str  # ASCII
    last: str  # ASCII
    locale: str


def ascii_fold(s: str) -> str:
    special = {"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "ß": "ss", "æ": "ae", "Þ": "Th", "þ": "th", "ð": "d",
               "ı": "i", "'": "", " ": ""}
    s = "".join(special.get(c, c) for c in s)
    return "".join(c for c in unicodedata.normalize("NFKD", s) if c in string.ascii_letters)


def person(rng: random.Random, locale: str | None = None) -> Person:
    if locale is None:
        locale = rng.choice(sorted(PEOPLE))
    first, last = rng.choice(PEOPLE[locale])
    if locale in CJK_LOCALES:
        latin = last.split()
        return Person(first, ascii_fold(latin[1]), ascii_fold(latin[0]), locale)
    return Person(f"{first} {last}", ascii_fold(first), ascii_fold(last), locale)


# --------------------------------------------------------------------------------------------------
# Random helpers
# --------------------------------------------------------------------------------------------------

ALNUM = string.ascii_letters + string.digits
B32 = string.ascii_uppercase + "234567"
URLSAFE = ALNUM + "-_"
HEX = "0123456789abcdef"


def rand_str(rng: random.Random, alphabet: str, n: int) -> str:
    return "".join(rng.choice(alphabet) for _ in range(n))


def rand_digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(string.digits) for _ in range(n))


def rand_token(rng: random.Random, alphabet: str, n: int) -> str:
    """Random token whose last character is alphanumeric (so a trailing word boundary holds)."""
    if n <= 1:
        return rand_str(rng, ALNUM, n)
    return rand_str(rng, alphabet, n - 1) + rng.choice(ALNUM)


def group(s: str, sizes: list[int], sep: str) -> str:
    """``s`` split into chunks of the given sizes (the rest as a last chunk), joined by ``sep``."""
    out, i = [], 0
    for n in sizes:
        if i < len(s):
            out.append(s[i:i + n])
        i += n
    if i < len(s):
        out.append(s[i:])
    return sep.join(out)


# --------------------------------------------------------------------------------------------------
# Email and phone
# --------------------------------------------------------------------------------------------------

PERSONAL_DOMAINS = ["gmail.com", "outlook.com", "yahoo.com", "icloud.com", "proton.me", "hotmail.co.uk",
                    "web.de", "gmx.de", "orange.fr", "libero.it", "yahoo.co.in", "uol.com.br", "wp.pl",
                    "naver.com", "qq.com", "live.nl", "telus.net"]
WORK_DOMAINS = ["acme-corp.com", "globex.io", "initech.co", "northwind-traders.com", "umbrella-health.org",
                "hooli.xyz", "piedpiper.dev", "stark-industries.net", "wayne-enterprises.com", "vandelay.co.uk",
                "cyberdyne.ai", "tyrell-systems.de", "soylent.fr", "massive-dynamic.com", "aperture-labs.eu",
                "cs.ucl.ac.uk", "tum.de", "iitb.ac.in", "blueriver-clinic.org", "fintrust-bank.com"]


def email(rng: random.Random, p: Person | None = None) -> Value:
    p = p or person(rng)
    f, l_ = p.first.lower(), p.last.lower()
    style = rng.randrange(8)
    if style == 0:
        local = f"{f}.{l_}"
    elif style == 1:
        local = f"{f[0]}{l_}"
    elif style == 2:
        local = f"{f}_{l_}{rng.randint(1, 99)}"
    elif style == 3:
        local = f"{f}.{l_}+{rng.choice(['billing', 'news', 'work', 'shop', 'github'])}"
    elif style == 4:
        local = f"{f}{l_}{rng.randint(70, 99)}"
    elif style == 5:
        local = f"{f[0]}.{l_}"
    elif style == 6:
        local = f"{f}-{l_}"
    else:
        local = rng.choice(["support", "billing", "hr", "it-helpdesk", "accounts", "noreply", "ops"]) \
            if rng.random() < 0.5 else f
    domain = rng.choice(WORK_DOMAINS if rng.random() < 0.55 else PERSONAL_DOMAINS)
    return Value(f"{local}@{domain}", "EMAIL_ADDRESS", EMAIL, {"person": p})


US_AREAS = ["212", "310", "415", "617", "312", "206", "512", "305", "404", "702", "303", "646", "718", "917",
            "213", "469", "602", "971", "858", "267"]


def _us_local(rng):
    ex = str(rng.randint(2, 9)) + rand_digits(rng, 2)
    while ex[1:] == "11":
        ex = str(rng.randint(2, 9)) + rand_digits(rng, 2)
    return ex, rand_digits(rng, 4)


def phone(rng: random.Random) -> Value:
    country = rng.choices(["US", "UK", "DE", "FR", "IN", "E164"], [30, 18, 15, 13, 12, 12])[0]
    if country == "E164":
        country = rng.choice(["US", "UK", "DE", "FR", "IN"])
        e164 = True
    else:
        e164 = False
    if country == "US":
        a, (ex, sub) = rng.choice(US_AREAS), _us_local(rng)
        if e164:
            text = f"+1{a}{ex}{sub}"
        else:
            text = rng.choice([f"({a}) {ex}-{sub}", f"{a}-{ex}-{sub}", f"{a}.{ex}.{sub}", f"+1 {a} {ex} {sub}",
                               f"+1 ({a}) {ex}-{sub}", f"1-{a}-{ex}-{sub}", f"+1-{a}-{ex}-{sub}"])
    elif country == "UK":
        kind = rng.randrange(3)
        if kind == 0:  # London 020 xxxx xxxx
            n = str(rng.choice([3, 7, 8])) + rand_digits(rng, 7)
            nat, intl, comp = f"020 {n[:4]} {n[4:]}", f"+44 20 {n[:4]} {n[4:]}", f"+4420{n}"
            alt = f"+44 (0)20 {n[:4]} {n[4:]}"
        elif kind == 1:  # geographic 01xx1 xxx xxxx
            code = rng.choice(["161", "131", "121", "113", "117", "141"])
            n = str(rng.randint(2, 9)) + rand_digits(rng, 6)
            nat, intl, comp = f"0{code} {n[:3]} {n[3:]}", f"+44 {code} {n[:3]} {n[3:]}", f"+44{code}{n}"
            alt = nat
        else:  # mobile 07xxx xxxxxx
            n = "7" + str(rng.randint(4, 9)) + rand_digits(rng, 8)
            nat, intl, comp = f"0{n[:4]} {n[4:]}", f"+44 {n[:4]} {n[4:]}", f"+44{n}"
            alt = f"+44 (0){n[:4]} {n[4:]}"
        text = comp if e164 else rng.choice([nat, intl, alt])
    elif country == "DE":
        if rng.random() < 0.5:
            area = rng.choice(["30", "40", "89", "69", "221", "211", "711"])
            n = str(rng.randint(2, 9)) + rand_digits(rng, 7 if len(area) == 2 else 6)
            opts = [f"0{area} {n}", f"+49 {area} {n}", f"0{area}/{n}", f"+49 (0){area} {n}", f"0{area}-{n}"]
            comp = f"+49{area}{n}"
        else:
            pre = rng.choice(["151", "152", "160", "170", "171", "176", "179"])
            n = rand_digits(rng, 8)
            opts = [f"0{pre} {n}", f"+49 {pre} {n}", f"0{pre}-{n}", f"+49 {pre} {n[:4]} {n[4:]}"]
            comp = f"+49{pre}{n}"
        text = comp if e164 else rng.choice(opts)
    elif country == "FR":
        lead = rng.choice(["1", "2", "3", "4", "5", "6", "7", "9"])
        n = lead + rand_digits(rng, 8)
        pairs = [n[1:3], n[3:5], n[5:7], n[7:9]]
        opts = ["0" + lead + " " + " ".join(pairs), "+33 " + lead + " " + " ".join(pairs),
                "0" + lead + "." + ".".join(pairs), "+33 (0)" + lead + " " + " ".join(pairs)]
        text = f"+33{n}" if e164 else rng.choice(opts)
    else:  # IN
        n = str(rng.randint(6, 9)) + rand_digits(rng, 9)
        opts = [f"+91 {n[:5]} {n[5:]}", f"+91-{n[:5]}-{n[5:]}", f"+91 {n}", f"0{n[:5]} {n[5:]}",
                f"+91-{n}"]
        text = f"+91{n}" if e164 else rng.choice(opts)
    return Value(text, "PHONE_NUMBER", PHONE, {"country": country})


# --------------------------------------------------------------------------------------------------
# Checksum-validated identifiers and cards
# --------------------------------------------------------------------------------------------------

def _card_digits(rng: random.Random, brand: str) -> str:
    ranges, length = ck.CARD_PREFIXES[brand]
    lo, hi = rng.choice(ranges)
    prefix = str(rng.randint(int(lo), int(hi))).zfill(len(lo))
    body = prefix + rand_digits(rng, length - len(prefix) - 1)
    return body + ck.luhn_check_digit(body)


KNOWN_TEST_CARDS = {"4111111111111111", "4242424242424242", "5555555555554444", "378282246310005",
                    "6011111111111117", "4012888888881881", "5105105105105100"}


def credit_card(rng: random.Random) -> Value:
    brand = rng.choices(["visa", "mastercard", "amex", "discover", "jcb"], [40, 30, 12, 10, 8])[0]
    d = _card_digits(rng, brand)
    while d in KNOWN_TEST_CARDS or len(set(d[6:-1])) < 3:
        d = _card_digits(rng, brand)
    sep = rng.choices([" ", "-", ""], [50, 20, 30])[0]
    text = group(d, [4, 6, 5], sep) if brand == "amex" else group(d, [4, 4, 4, 4], sep)
    return Value(text, "CREDIT_CARD", IDS, {"brand": brand})


def _iban_bban(rng: random.Random, cc: str) -> str:
    if cc == "DE":
        return rand_digits(rng, 8) + rand_digits(rng, 10)
    if cc == "GB":
        return rng.choice(["NWBK", "BARC", "LOYD", "HBUK", "MIDL", "NAIA"]) + rand_digits(rng, 6) + rand_digits(rng, 8)
    if cc == "IE":
        return rng.choice(["AIBK", "BOFI", "IPBS"]) + rand_digits(rng, 6) + rand_digits(rng, 8)
    if cc == "FR":
        bank, branch, acct = rand_digits(rng, 5), rand_digits(rng, 5), rand_digits(rng, 11)
        return bank + branch + acct + ck.fr_rib_key(bank, branch, acct)
    if cc == "ES":
        bank, branch, acct = rand_digits(rng, 4), rand_digits(rng, 4), rand_digits(rng, 10)
        return bank + branch + ck.es_ccc_digit("00" + bank + branch) + ck.es_ccc_digit(acct) + acct
    if cc == "NL":
        return rng.choice(["ABNA", "RABO", "INGB", "TRIO", "SNSB", "KNAB"]) + rand_digits(rng, 10)
    if cc == "BE":
        first10 = rand_digits(rng, 10)
        return first10 + ck.be_account_check(first10)
    if cc == "AT":
        return rand_digits(rng, 16)
    if cc == "CH":
        return rand_digits(rng, 17)
    if cc == "PL":
        return rand_digits(rng, 24)
    raise ValueError(cc)


def iban(rng: random.Random) -> Value:
    cc = rng.choices(["DE", "GB", "FR", "ES", "NL", "BE", "AT", "CH", "IE", "PL"],
                     [18, 16, 12, 10, 10, 6, 6, 8, 6, 8])[0]
    bban = _iban_bban(rng, cc)
    s = cc + ck.iban_check_digits(cc, bban) + bban
    text = group(s, [4] * 8, " ") if rng.random() < 0.55 else s
    return Value(text, "IBAN_CODE", IDS, {"country": cc})


def uk_nhs(rng: random.Random) -> Value:
    while True:
        nine = str(rng.randint(4, 7)) + rand_digits(rng, 8)
        c = ck.nhs_check_digit(nine)
        if c is not None:
            break
    d = nine + c
    text = rng.choices([group(d, [3, 3, 4], " "), d, group(d, [3, 3, 4], "-")], [60, 30, 10])[0]
    return Value(text, "UK_NHS", IDS)


def ca_sin(rng: random.Random) -> Value:
    body = rng.choice("1234567") + rand_digits(rng, 7)
    d = body + ck.luhn_check_digit(body)
    text = rng.choices([group(d, [3, 3, 3], " "), group(d, [3, 3, 3], "-"), d], [45, 35, 20])[0]
    return Value(text, "CA_SIN", IDS)


def in_aadhaar(rng: random.Random) -> Value:
    while True:
        p = str(rng.randint(2, 9)) + rand_digits(rng, 10)
        d = p + ck.verhoeff_check_digit(p)
        if d != d[::-1]:
            break
    text = rng.choices([group(d, [4, 4, 4], " "), d, group(d, [4, 4, 4], "-")], [60, 30, 10])[0]
    return Value(text, "IN_AADHAAR", IDS)


def br_cpf(rng: random.Random) -> Value:
    nine = rand_digits(rng, 9)
    while len(set(nine)) == 1:
        nine = rand_digits(rng, 9)
    d = nine + ck.cpf_check_digits(nine)
    text = f"{d[:3]}.{d[3:6]}.{d[6:9]}-{d[9:]}" if rng.random() < 0.8 else d
    return Value(text, "BR_CPF", IDS)


def de_tax_id(rng: random.Random) -> Value:
    while True:
        digits = list("0123456789")
        rng.shuffle(digits)
        nine = digits[:9]  # nine distinct digits; one of them appears twice
        dup = rng.choice(nine)
        ten = nine + [dup]
        rng.shuffle(ten)
        s = "".join(ten)
        if s[0] != "0" and ck.steuer_id_repetition_ok(s):
            break
    d = s + ck.mod_11_10_check_digit(s)
    text = d if rng.random() < 0.6 else f"{d[:2]} {d[2:5]} {d[5:8]} {d[8:]}"
    return Value(text, "DE_TAX_ID", IDS)


def nl_bsn(rng: random.Random) -> Value:
    while True:
        eight = str(rng.randint(1, 9)) + rand_digits(rng, 7)
        c = sum(int(x) * w for x, w in zip(eight, range(9, 1, -1))) % 11
        if c < 10:
            break
    d = eight + str(c)
    text = d if rng.random() < 0.8 else f"{d[:4]}.{d[4:6]}.{d[6:]}"
    return Value(text, "NL_BSN", IDS)


def es_nif(rng: random.Random) -> Value:
    n = rand_digits(rng, 8)
    letter = ck.DNI_LETTERS[int(n) % 23]
    text = rng.choices([f"{n}{letter}", f"{n}-{letter}", f"{n[:2]}.{n[2:5]}.{n[5:]}-{letter}"], [65, 25, 10])[0]
    return Value(text, "ES_NIF", IDS)


CF_PLACES = ["H501", "F205", "F839", "L219", "G273", "D612", "A944", "L736", "D969", "A662", "L424", "C351"]


def _cf_part(name: str, is_first: bool) -> str:
    s = ascii_fold(name).upper()
    cons = [c for c in s if c not in "AEIOU"]
    vows = [c for c in s if c in "AEIOU"]
    if is_first and len(cons) >= 4:
        return cons[0] + cons[2] + cons[3]
    return ("".join(cons + vows) + "XXX")[:3]


def it_fiscal_code(rng: random.Random, p: Person | None = None) -> Value:
    p = p or person(rng, "it")
    first, last = p.display.split(" ", 1) if p.locale == "it" else (p.first, p.last)
    female = rng.random() < 0.5
    year = rng.randint(1950, 2004)
    month = rng.randint(1, 12)
    day = rng.randint(1, 28)
    code = (_cf_part(last, False) + _cf_part(first, True) + "%02d" % (year % 100) + ck.CF_MONTHS[month - 1]
            + "%02d" % (day + (40 if female else 0)) + rng.choice(CF_PLACES))
    code += ck.cf_check_letter(code)
    return Value(code, "IT_FISCAL_CODE", IDS, {"person": p})


def fr_nir(rng: random.Random) -> Value:
    sex = rng.choice("12")
    yy = "%02d" % rng.randint(0, 99)
    mm = "%02d" % rng.randint(1, 12)
    r = rng.random()
    if r < 0.05:
        dept = rng.choice(["2A", "2B"])
    else:
        dept = "%02d" % rng.choice([x for x in range(1, 96) if x != 20])
    commune = "%03d" % rng.randint(1, 990)
    order = "%03d" % rng.randint(1, 999)
    thirteen = sex + yy + mm + dept + commune + order
    key = ck.nir_key(thirteen)
    if rng.random() < 0.6:
        text = f"{sex} {yy} {mm} {dept} {commune} {order} {key}"
    else:
        text = thirteen + key
    return Value(text, "FR_NIR", IDS)


def pl_pesel(rng: random.Random) -> Value:
    year = rng.randint(1940, 2012)
    month = rng.randint(1, 12) + (20 if year >= 2000 else 0)
    day = rng.randint(1, 28)
    ten = "%02d%02d%02d" % (year % 100, month, day) + rand_digits(rng, 4)
    d = ten + ck.pesel_check_digit(ten)
    return Value(d, "PL_PESEL", IDS)


def aba_routing(rng: random.Random) -> Value:
    while True:
        two = "%02d" % rng.choice(list(range(1, 13)) + list(range(21, 33)) + list(range(61, 73)))
        eight = two + rand_digits(rng, 6)
        d = eight + ck.aba_check_digit(eight)
        if len(set(d)) > 2:
            break
    return Value(d, "ABA_ROUTING_NUMBER", IDS)


def us_npi(rng: random.Random) -> Value:
    nine = rng.choice("12") + rand_digits(rng, 8)
    full = "80840" + nine
    d = nine + ck.luhn_check_digit(full)
    return Value(d, "US_NPI", IDS)


def us_ssn(rng: random.Random) -> Value:
    while True:
        area = rng.randint(1, 899)
        if area == 666:
            continue
        d = "%03d%02d%04d" % (area, rng.randint(1, 99), rng.randint(1, 9999))
        if d not in ck.SSN_SAMPLES and len(set(d)) > 2:
            break
    text = rng.choices([f"{d[:3]}-{d[3:5]}-{d[5:]}", f"{d[:3]} {d[3:5]} {d[5:]}", d], [75, 12, 13])[0]
    return Value(text, "US_SSN", IDS)


# --------------------------------------------------------------------------------------------------
# Prefixed secrets
# --------------------------------------------------------------------------------------------------

def aws_key_id(rng):
    return Value("AKIA" + rand_str(rng, B32, 16), "AWS_ACCESS_KEY_ID", PREFIXED)


def github_token(rng):
    if rng.random() < 0.25:
        t = "github_pat_" + rand_str(rng, ALNUM, 22) + "_" + rand_str(rng, ALNUM, 59)
    else:
        t = rng.choice(["ghp_", "ghp_", "gho_", "ghs_"]) + rand_str(rng, ALNUM, 36)
    return Value(t, "GITHUB_TOKEN", PREFIXED)


def gitlab_token(rng):
    return Value("glpat-" + rand_token(rng, ALNUM + "_-", 20), "GITLAB_TOKEN", PREFIXED)


def slack_token(rng):
    t = "xoxb-" + rand_digits(rng, rng.choice([11, 12, 13])) + "-" + rand_digits(rng, 13) + "-" \
        + rand_str(rng, ALNUM, 24)
    return Value(t, "SLACK_TOKEN", PREFIXED)


def stripe_key(rng):
    return Value("sk_live_" + rand_str(rng, ALNUM, rng.choice([24, 34, 99])), "STRIPE_SECRET_KEY", PREFIXED)


def openai_key(rng):
    r = rng.random()
    if r < 0.6:
        t = "sk-proj-" + rand_str(rng, URLSAFE, 74) + "T3BlbkFJ" + rand_token(rng, URLSAFE, 74)
    elif r < 0.75:
        t = "sk-svcacct-" + rand_str(rng, URLSAFE, 58) + "T3BlbkFJ" + rand_token(rng, URLSAFE, 58)
    else:
        t = "sk-" + rand_str(rng, ALNUM, 20) + "T3BlbkFJ" + rand_str(rng, ALNUM, 20)
    return Value(t, "OPENAI_API_KEY", PREFIXED)


def anthropic_key(rng):
    return Value("sk-ant-api03-" + rand_str(rng, URLSAFE, 93) + "AA", "ANTHROPIC_API_KEY", PREFIXED)


def google_key(rng):
    return Value("AIza" + rand_token(rng, URLSAFE, 35), "GOOGLE_API_KEY", PREFIXED)


def npm_token(rng):
    return Value("npm_" + rand_str(rng, ALNUM, 36), "NPM_TOKEN", PREFIXED)


def sendgrid_key(rng):
    return Value("SG." + rand_token(rng, URLSAFE, 22) + "." + rand_token(rng, URLSAFE, 43), "SENDGRID_API_KEY",
                 PREFIXED)


def hf_token(rng):
    return Value("hf_" + rand_str(rng, string.ascii_letters, 34), "HUGGINGFACE_TOKEN", PREFIXED)


def _b64url(b: bytes) -> str:
    return base64.urlsafe_b64encode(b).decode().rstrip("=")


def jwt(rng):
    header = _b64url(b'{"alg":"HS256","typ":"JWT"}')
    p = person(rng, rng.choice(["en", "de", "fr", "in"]))
    iat = rng.randint(1_690_000_000, 1_730_000_000)
    payload = {"sub": str(rng.randint(10_000, 9_999_999)), "name": f"{p.first} {p.last}", "iat": iat,
               "exp": iat + rng.choice([900, 3600, 86400]), "role": rng.choice(["user", "admin", "service"])}
    body = _b64url(json.dumps(payload, separators=(",", ":")).encode())
    sig = _b64url(bytes(rng.getrandbits(8) for _ in range(32)))
    return Value(f"{header}.{body}.{sig}", "JWT", PREFIXED)


def pem_lines(rng: random.Random) -> list[str]:
    """Lines of an RSA private key PEM block (BEGIN line, base64 body, END line)."""
    n_bytes = rng.choice([1190, 1192, 1193, 1217, 1218, 1675])
    der = bytes.fromhex("308204a40201000282010100") + bytes(rng.getrandbits(8) for _ in range(n_bytes - 12))
    b64 = base64.b64encode(der).decode()
    body = [b64[i:i + 64] for i in range(0, len(b64), 64)]
    return ["-----BEGIN RSA PRIVATE KEY-----"] + body + ["-----END RSA PRIVATE KEY-----"]


def private_key(rng):
    lines = pem_lines(rng)
    return Value("\n".join(lines), "PRIVATE_KEY", PREFIXED, {"pem_lines": lines})


# --------------------------------------------------------------------------------------------------
# Generic secrets
# --------------------------------------------------------------------------------------------------

WORDS = ["Summer", "Winter", "Falcon", "Purple", "Monkey", "Dragon", "Coffee", "Rocket", "Sunset", "Tiger",
         "Harbor", "Maple", "Orchid", "Velvet", "Cobalt", "Marble", "Pepper", "Lantern", "Granite", "Willow"]
PW_SYMBOLS = "!@%^&*-_+=.?~"


def password_text(rng: random.Random, uri_safe: bool = False) -> str:
    symbols = "!*-_.~" if uri_safe else PW_SYMBOLS
    kind = rng.randrange(4)
    if kind == 0:
        w = rng.choice(WORDS) + rng.choice(WORDS).lower()
        return w + str(rng.randint(10, 9999)) + rng.choice(symbols)
    if kind == 1:  # leetspeak passphrase
        w = rng.choice(["Tr0ub4dor", "P4ssw0rd", "S3cur1ty", "H0rs3B4tt3ry", "Gr33nT34", "M0nk3yBus1n3ss"])
        return w + rng.choice(symbols) + str(rng.randint(1, 99)) + rng.choice(string.ascii_lowercase)
    n = rng.randint(12, 24)
    alphabet = ALNUM + symbols
    while True:
        s = rand_str(rng, alphabet, n)
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
            return s


def generic_secret_text(rng: random.Random) -> str:
    kind = rng.choices(["hex", "alnum", "b64", "urlsafe"], [30, 35, 20, 15])[0]
    while True:
        if kind == "hex":
            s = rand_str(rng, HEX, rng.choice([32, 40, 48, 64]))
        elif kind == "alnum":
            s = rand_str(rng, ALNUM, rng.randint(20, 64))
        elif kind == "b64":
            n = rng.choice([24, 32, 40, 48])
            s = base64.b64encode(bytes(rng.getrandbits(8) for _ in range(n))).decode()
        else:
            s = rand_token(rng, URLSAFE, rng.randint(24, 48))
        if any(c.isdigit() for c in s) and any(c.isalpha() for c in s):
            return s


def generic_secret(rng):
    return Value(generic_secret_text(rng), "GENERIC_SECRET", GENERIC)


def password(rng):
    return Value(password_text(rng), "PASSWORD", GENERIC)


def db_connection(rng):
    user = rng.choice(["app", "admin", "svc_orders", "postgres", "reporting", "etl_user", "django", "api"])
    pw = password_text(rng, uri_safe=True) if rng.random() < 0.6 else rand_str(rng, ALNUM, rng.randint(16, 32))
    scheme = rng.choices(["postgres", "postgresql", "mysql", "mongodb+srv", "mongodb", "redis", "amqp"],
                         [25, 15, 20, 12, 8, 12, 8])[0]
    host = rng.choice(["db.internal", "10.0.4.17", "prod-db-01.eu-west-1.rds.amazonaws.com", "localhost",
                       "pg.acme-corp.com", "mysql-primary.svc.cluster.local", "cluster0.x7k2p.mongodb.net"])
    if scheme == "postgres" or scheme == "postgresql":
        text = f"{scheme}://{user}:{pw}@{host}:5432/{rng.choice(['orders', 'app', 'analytics', 'crm'])}"
    elif scheme == "mysql":
        text = f"mysql://{user}:{pw}@{host}:3306/{rng.choice(['shop', 'wordpress', 'billing'])}"
    elif scheme.startswith("mongodb"):
        text = f"{scheme}://{user}:{pw}@{host}/{rng.choice(['prod', 'events'])}?retryWrites=true&w=majority"
    elif scheme == "redis":
        text = f"redis://default:{pw}@{host}:6379/0"
    else:
        text = f"amqp://{user}:{pw}@{host}:5672/{rng.choice(['%2F', 'jobs'])}"
    return Value(text, "DB_CONNECTION_STRING", GENERIC, {"password": pw})


# --------------------------------------------------------------------------------------------------
# Registry
# --------------------------------------------------------------------------------------------------

GENERATORS = {
    "EMAIL_ADDRESS": email, "PHONE_NUMBER": phone,
    "CREDIT_CARD": credit_card, "IBAN_CODE": iban, "UK_NHS": uk_nhs, "CA_SIN": ca_sin, "IN_AADHAAR": in_aadhaar,
    "BR_CPF": br_cpf, "DE_TAX_ID": de_tax_id, "NL_BSN": nl_bsn, "ES_NIF": es_nif, "IT_FISCAL_CODE": it_fiscal_code,
    "FR_NIR": fr_nir, "PL_PESEL": pl_pesel, "ABA_ROUTING_NUMBER": aba_routing, "US_NPI": us_npi, "US_SSN": us_ssn,
    "AWS_ACCESS_KEY_ID": aws_key_id, "GITHUB_TOKEN": github_token, "GITLAB_TOKEN": gitlab_token,
    "SLACK_TOKEN": slack_token, "STRIPE_SECRET_KEY": stripe_key, "OPENAI_API_KEY": openai_key,
    "ANTHROPIC_API_KEY": anthropic_key, "GOOGLE_API_KEY": google_key, "NPM_TOKEN": npm_token,
    "SENDGRID_API_KEY": sendgrid_key, "PRIVATE_KEY": private_key, "JWT": jwt, "HUGGINGFACE_TOKEN": hf_token,
    "GENERIC_SECRET": generic_secret, "PASSWORD": password, "DB_CONNECTION_STRING": db_connection,
}

# Relative frequency of each entity inside its class.
ENTITY_WEIGHTS = {
    EMAIL: {"EMAIL_ADDRESS": 1},
    PHONE: {"PHONE_NUMBER": 1},
    IDS: {"CREDIT_CARD": 18, "IBAN_CODE": 13, "US_SSN": 11, **{e: 4.5 for e in IDS_ENTITIES[2:-1]}},
    PREFIXED: {e: (6 if e in ("PRIVATE_KEY", "JWT") else 8) for e in PREFIXED_ENTITIES},
    GENERIC: {"GENERIC_SECRET": 50, "PASSWORD": 35, "DB_CONNECTION_STRING": 15},
}


def pick_entity(rng: random.Random, cls: str) -> str:
    w = ENTITY_WEIGHTS[cls]
    names = list(w)
    return rng.choices(names, [w[n] for n in names])[0]


def make(rng: random.Random, entity: str) -> Value:
    return GENERATORS[entity](rng)


# --------------------------------------------------------------------------------------------------
# Hard negatives
# --------------------------------------------------------------------------------------------------

def hn_uuid(rng):
    h = "%032x" % rng.getrandbits(128)
    h = h[:12] + "4" + h[13:16] + rng.choice("89ab") + h[17:]
    return Value(f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}", "uuid", None)


def hn_git_sha(rng):
    return Value(hashlib.sha1(rng.getrandbits(64).to_bytes(8, "big")).hexdigest(), "git_sha", None)


def hn_hex_digest(rng):
    data = rng.getrandbits(64).to_bytes(8, "big")
    if rng.random() < 0.8:
        return Value(hashlib.sha256(data).hexdigest(), "hex_digest", None, {"algo": "sha256"})
    return Value(hashlib.md5(data).hexdigest(), "hex_digest", None, {"algo": "md5"})


def hn_luhn_invalid(rng):
    brand = rng.choice(["visa", "visa", "mastercard", "discover", "jcb"])
    d = _card_digits(rng, brand)
    bad = str((int(d[-1]) + rng.randint(1, 9)) % 10)
    d = d[:-1] + bad
    assert not ck.luhn_sum_ok(d)
    sep = rng.choice([" ", "-", ""])
    return Value(group(d, [4, 4, 4, 4], sep), "luhn_invalid_16", None)


def hn_ssn_invalid(rng):
    kind = rng.choice(["000", "666", "9xx"])
    if kind == "9xx":
        area = "9%02d" % rng.randint(0, 99)
        grp = "%02d" % rng.choice(list(range(1, 50)) + [66, 67, 68, 69, 89, 93])  # outside ITIN groups
    else:
        area = kind
        grp = "%02d" % rng.randint(1, 99)
    d = area + grp + "%04d" % rng.randint(1, 9999)
    assert not ck.is_valid_ssn(d) and not ck.is_itin_like(d)
    return Value(f"{d[:3]}-{d[3:5]}-{d[5:]}", "ssn_invalid_area", None)


def hn_order_number(rng):
    k = rng.randrange(6)
    if k == 0:
        t = f"{rand_digits(rng, 3)}-{rand_digits(rng, 7)}-{rand_digits(rng, 7)}"
    elif k == 1:
        t = f"ORD-{rng.randint(2019, 2025)}-{rand_digits(rng, 6)}"
    elif k == 2:
        t = f"INV-{rng.randint(2019, 2025)}{rand_digits(rng, 5)}"
    elif k == 3:
        t = rand_digits(rng, rng.choice([8, 9, 10]))
    elif k == 4:
        t = f"#{rng.randint(100000, 9999999)}"
    else:
        t = f"PO-{rand_str(rng, string.ascii_uppercase, 2)}{rand_digits(rng, 7)}"
    return Value(t, "order_number", None)


def hn_timestamp(rng):
    epoch = rng.randint(1_600_000_000, 1_760_000_000)
    import datetime as _dt
    t = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc)
    k = rng.randrange(5)
    if k == 0:
        s = t.strftime("%Y-%m-%dT%H:%M:%SZ")
    elif k == 1:
        s = t.strftime("%Y-%m-%d %H:%M:%S.") + "%06d" % rng.randint(0, 999999)
    elif k == 2:
        s = str(epoch)
    elif k == 3:
        s = str(epoch * 1000 + rng.randint(0, 999))
    else:
        s = t.strftime("%d/%b/%Y:%H:%M:%S +0000")
    return Value(s, "timestamp", None)


def hn_version(rng):
    k = rng.randrange(5)
    if k == 0:
        s = f"v{rng.randint(0, 9)}.{rng.randint(0, 40)}.{rng.randint(0, 30)}"
    elif k == 1:
        s = f"{rng.randint(1, 5)}.{rng.randint(0, 99)}.{rng.randint(0, 20)}"
    elif k == 2:
        s = f"{rng.randint(4, 6)}.{rng.randint(0, 19)}.0-{rng.randint(10, 200)}-generic"
    elif k == 3:
        s = f"{rng.randint(100, 130)}.0.{rng.randint(1000, 6999)}.{rng.randint(10, 250)}"
    else:
        s = f"{rng.randint(1, 3)}.{rng.randint(0, 12)}.{rng.randint(0, 9)}-rc.{rng.randint(1, 5)}"
    return Value(s, "version", None)


PLACEHOLDERS = ["your-api-key-here", "YOUR_API_KEY", "xxxxxxxxxxxxxxxxxxxxxxxx", "changeme", "${API_KEY}",
                "<YOUR_TOKEN>", "REPLACE_ME", "********", "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx", "${{ secrets.API_TOKEN }}",
                "{{ .Values.apiKey }}", "<redacted>", "dummy-secret", "$DB_PASSWORD", "%(password)s",
                "insert-token-here", "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", "AKIAXXXXXXXXXXXXXXXX",
                "sk-...", "TODO"]


def hn_placeholder(rng):
    return Value(rng.choice(PLACEHOLDERS), "placeholder", None)


SAMPLE_VALUES = ["AKIAIOSFODNN7EXAMPLE", "4111 1111 1111 1111", "4242 4242 4242 4242", "078-05-1120",
                 "5555555555554444"]


def hn_sample_value(rng):
    return Value(rng.choice(SAMPLE_VALUES), "sample_value", None)


HN_GENERATORS = {
    "uuid": hn_uuid, "git_sha": hn_git_sha, "hex_digest": hn_hex_digest, "luhn_invalid_16": hn_luhn_invalid,
    "ssn_invalid_area": hn_ssn_invalid, "order_number": hn_order_number, "timestamp": hn_timestamp,
    "version": hn_version, "placeholder": hn_placeholder, "sample_value": hn_sample_value,
}
HN_WEIGHTS = {"uuid": 14, "git_sha": 12, "hex_digest": 12, "luhn_invalid_16": 12, "ssn_invalid_area": 10,
              "order_number": 12, "timestamp": 12, "version": 8, "placeholder": 14, "sample_value": 3}


def make_hardneg(rng: random.Random, kind: str | None = None) -> Value:
    if kind is None:
        kinds = list(HN_WEIGHTS)
        kind = rng.choices(kinds, [HN_WEIGHTS[k] for k in kinds])[0]
    return HN_GENERATORS[kind](rng)
