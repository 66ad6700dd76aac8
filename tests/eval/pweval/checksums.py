"""Check-digit algorithms: compute functions (used by the generators) and independent validators.

The validators (``is_valid_*``) take the value as it is written (separators allowed) and are written
separately from the compute functions, so the unit tests can check one against the other and against
published sample values.
"""

from __future__ import annotations

import re

# --------------------------------------------------------------------------------------------------
# Luhn (cards, Canadian SIN, NPI with the 80840 prefix)
# --------------------------------------------------------------------------------------------------


def digits_of(value: str) -> str:
    """The ASCII digits of ``value``, in order."""
    return "".join(c for c in value if "0" <= c <= "9")


def luhn_sum_ok(digits: str) -> bool:
    """Luhn mod 10 over a string of digits."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        if i % 2 == 1:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return len(digits) >= 2 and total % 10 == 0


def luhn_check_digit(payload: str) -> str:
    """The digit that, appended to ``payload``, makes the whole Luhn-valid."""
    for c in "0123456789":
        if luhn_sum_ok(payload + c):
            return c
    raise AssertionError("unreachable")


CARD_PREFIXES = {
    # brand: (list of IIN prefixes as strings, or (lo, hi) inclusive integer ranges of given width), length
    "visa": ([("4", "4")], 16),
    "mastercard": ([("51", "55"), ("2221", "2720")], 16),
    "amex": ([("34", "34"), ("37", "37")], 15),
    "discover": ([("6011", "6011"), ("644", "649"), ("65", "65")], 16),
    "jcb": ([("3528", "3589")], 16),
}


def card_brand(digits: str) -> str | None:
    """The brand whose IIN range and length ``digits`` falls in, or None."""
    for brand, (ranges, length) in CARD_PREFIXES.items():
        if len(digits) != length:
            continue
        for lo, hi in ranges:
            head = digits[: len(lo)]
            if lo <= head <= hi:
                return brand
    return None


def is_valid_card(value: str) -> bool:
    d = digits_of(value)
    return card_brand(d) is not None and luhn_sum_ok(d)


# --------------------------------------------------------------------------------------------------
# IBAN (ISO 13616, ISO 7064 mod 97-10)
# --------------------------------------------------------------------------------------------------

IBAN_LENGTHS = {"DE": 22, "GB": 22, "FR": 27, "ES": 24, "NL": 18, "BE": 16, "AT": 20, "CH": 21, "IE": 22,
                "PL": 28}


def _iban_numeric(s: str) -> int:
    return int("".join(str(int(c, 36)) for c in s))


def iban_check_digits(country: str, bban: str) -> str:
    """The two IBAN check digits for ``country`` + ``bban``."""
    rem = _iban_numeric(bban + country + "00") % 97
    return "%02d" % (98 - rem)


def is_valid_iban(value: str) -> bool:
    s = value.replace(" ", "").upper()
    if not re.fullmatch(r"[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}", s):
        return False
    if IBAN_LENGTHS.get(s[:2], len(s)) != len(s):
        return False
    return _iban_numeric(s[4:] + s[:4]) % 97 == 1


def fr_rib_key(bank: str, branch: str, account: str) -> str:
    """French RIB key: 97 - ((89*bank + 15*branch + 3*account) mod 97) (digits only)."""
    return "%02d" % (97 - ((89 * int(bank) + 15 * int(branch) + 3 * int(account)) % 97))


def es_ccc_digit(ten: str) -> str:
    """One Spanish CCC check digit over 10 digits."""
    weights = (1, 2, 4, 8, 5, 10, 9, 7, 3, 6)
    d = 11 - sum(int(c) * w for c, w in zip(ten, weights)) % 11
    return "0" if d == 11 else "1" if d == 10 else str(d)


def be_account_check(first10: str) -> str:
    r = int(first10) % 97
    return "%02d" % (97 if r == 0 else r)


# --------------------------------------------------------------------------------------------------
# Verhoeff (Aadhaar)
# --------------------------------------------------------------------------------------------------

_VD = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 2, 3, 4, 0, 6, 7, 8, 9, 5], [2, 3, 4, 0, 1, 7, 8, 9, 5, 6],
    [3, 4, 0, 1, 2, 8, 9, 5, 6, 7], [4, 0, 1, 2, 3, 9, 5, 6, 7, 8], [5, 9, 8, 7, 6, 0, 4, 3, 2, 1],
    [6, 5, 9, 8, 7, 1, 0, 4, 3, 2], [7, 6, 5, 9, 8, 2, 1, 0, 4, 3], [8, 7, 6, 5, 9, 3, 2, 1, 0, 4],
    [9, 8, 7, 6, 5, 4, 3, 2, 1, 0],
]
_VP = [
    [0, 1, 2, 3, 4, 5, 6, 7, 8, 9], [1, 5, 7, 6, 2, 8, 3, 0, 9, 4], [5, 8, 0, 3, 7, 9, 6, 1, 4, 2],
    [8, 9, 1, 6, 0, 4, 3, 5, 2, 7], [9, 4, 5, 3, 1, 2, 6, 8, 7, 0], [4, 2, 8, 6, 5, 7, 3, 9, 0, 1],
    [2, 7, 9, 3, 8, 0, 6, 4, 1, 5], [7, 0, 4, 6, 9, 1, 3, 2, 5, 8],
]
_VINV = [0, 4, 3, 2, 1, 5, 6, 7, 8, 9]


def verhoeff_ok(digits: str) -> bool:
    c = 0
    for i, ch in enumerate(reversed(digits)):
        c = _VD[c][_VP[i % 8][int(ch)]]
    return c == 0


def verhoeff_check_digit(payload: str) -> str:
    c = 0
    for i, ch in enumerate(reversed(payload)):
        c = _VD[c][_VP[(i + 1) % 8][int(ch)]]
    return str(_VINV[c])


def is_valid_aadhaar(value: str) -> bool:
    d = digits_of(value)
    return len(d) == 12 and d[0] in "23456789" and d != d[::-1] and verhoeff_ok(d)


# --------------------------------------------------------------------------------------------------
# UK NHS (mod 11)
# --------------------------------------------------------------------------------------------------


def nhs_check_digit(nine: str) -> str | None:
    """The NHS check digit for nine digits, or None when the remainder makes the number invalid."""
    total = sum(int(c) * w for c, w in zip(nine, range(10, 1, -1)))
    check = 11 - total % 11
    if check == 11:
        return "0"
    if check == 10:
        return None
    return str(check)


def is_valid_nhs(value: str) -> bool:
    d = digits_of(value)
    if len(d) != 10:
        return False
    return sum(int(c) * w for c, w in zip(d, range(10, 0, -1))) % 11 == 0


# --------------------------------------------------------------------------------------------------
# Canada SIN (Luhn, first digit not 0 or 8)
# --------------------------------------------------------------------------------------------------


def is_valid_sin(value: str) -> bool:
    d = digits_of(value)
    return len(d) == 9 and d[0] not in "08" and luhn_sum_ok(d)


# --------------------------------------------------------------------------------------------------
# Brazil CPF (two mod-11 digits)
# --------------------------------------------------------------------------------------------------


def cpf_check_digits(nine: str) -> str:
    d1 = sum(int(c) * w for c, w in zip(nine, range(10, 1, -1))) * 10 % 11 % 10
    ten = nine + str(d1)
    d2 = sum(int(c) * w for c, w in zip(ten, range(11, 1, -1))) * 10 % 11 % 10
    return str(d1) + str(d2)


def is_valid_cpf(value: str) -> bool:
    d = digits_of(value)
    if len(d) != 11 or len(set(d)) == 1:
        return False
    s1 = sum(int(d[i]) * (10 - i) for i in range(9))
    r1 = (s1 * 10) % 11 % 10
    s2 = sum(int(d[i]) * (11 - i) for i in range(10))
    r2 = (s2 * 10) % 11 % 10
    return r1 == int(d[9]) and r2 == int(d[10])


# --------------------------------------------------------------------------------------------------
# Germany Steuer-IdNr (ISO 7064 mod 11,10 + digit repetition rule)
# --------------------------------------------------------------------------------------------------


def mod_11_10_check_digit(payload: str) -> str:
    product = 10
    for ch in payload:
        s = (int(ch) + product) % 10
        if s == 0:
            s = 10
        product = (s * 2) % 11
    check = 11 - product
    return "0" if check == 10 else str(check % 10)


def mod_11_10_ok(digits: str) -> bool:
    check = 5
    for ch in digits:
        check = (((check or 10) * 2) % 11 + int(ch)) % 10
    return check == 1


def steuer_id_repetition_ok(first10: str) -> bool:
    """In the first ten digits exactly one digit occurs two or three times and no other digit repeats
    (a digit occurring three times may not do so in three consecutive positions)."""
    counts = {c: first10.count(c) for c in first10}
    multi = [c for c, n in counts.items() if n > 1]
    if len(multi) != 1 or counts[multi[0]] not in (2, 3):
        return False
    if counts[multi[0]] == 3 and multi[0] * 3 in first10:
        return False
    return True


def is_valid_steuer_id(value: str) -> bool:
    d = digits_of(value)
    return (len(d) == 11 and d[0] != "0" and steuer_id_repetition_ok(d[:10]) and mod_11_10_ok(d))


# --------------------------------------------------------------------------------------------------
# Netherlands BSN (11-proof)
# --------------------------------------------------------------------------------------------------


def is_valid_bsn(value: str) -> bool:
    d = digits_of(value)
    if len(d) != 9 or d == "000000000":
        return False
    total = sum(int(c) * w for c, w in zip(d[:8], range(9, 1, -1))) - int(d[8])
    return total % 11 == 0


# --------------------------------------------------------------------------------------------------
# Spain DNI (mod 23 letter)
# --------------------------------------------------------------------------------------------------

DNI_LETTERS = "TRWAGMYFPDXBNJZSQVHLCKE"


def is_valid_dni(value: str) -> bool:
    s = value.replace("-", "").replace(".", "").replace(" ", "").upper()
    m = re.fullmatch(r"([0-9]{8})([A-Z])", s)
    return bool(m) and DNI_LETTERS[int(m.group(1)) % 23] == m.group(2)


# --------------------------------------------------------------------------------------------------
# Italy codice fiscale (check letter)
# --------------------------------------------------------------------------------------------------

_CF_ODD = {
    "0": 1, "1": 0, "2": 5, "3": 7, "4": 9, "5": 13, "6": 15, "7": 17, "8": 19, "9": 21,
    "A": 1, "B": 0, "C": 5, "D": 7, "E": 9, "F": 13, "G": 15, "H": 17, "I": 19, "J": 21,
    "K": 2, "L": 4, "M": 18, "N": 20, "O": 11, "P": 3, "Q": 6, "R": 8, "S": 12, "T": 14,
    "U": 16, "V": 10, "W": 22, "X": 25, "Y": 24, "Z": 23,
}


def _cf_even(c: str) -> int:
    return int(c) if c.isdigit() else ord(c) - 65


def cf_check_letter(first15: str) -> str:
    total = sum(_CF_ODD[c] if i % 2 == 0 else _cf_even(c) for i, c in enumerate(first15))
    return chr(65 + total % 26)


CF_MONTHS = "ABCDEHLMPRST"


def is_valid_codice_fiscale(value: str) -> bool:
    s = value.upper()
    if not re.fullmatch(r"[A-Z]{6}[0-9]{2}[ABCDEHLMPRST][0-9]{2}[A-Z][0-9]{3}[A-Z]", s):
        return False
    return cf_check_letter(s[:15]) == s[15]


# --------------------------------------------------------------------------------------------------
# France NIR (key = 97 - n mod 97, Corsica 2A/2B)
# --------------------------------------------------------------------------------------------------


def nir_key(thirteen: str) -> str:
    n = int(thirteen.replace("2A", "19").replace("2B", "18"))
    return "%02d" % (97 - n % 97)


def is_valid_nir(value: str) -> bool:
    s = value.replace(" ", "").upper()
    if not re.fullmatch(r"[12][0-9]{4}(?:[0-9]{2}|2A|2B)[0-9]{8}", s):
        return False
    return nir_key(s[:13]) == s[13:]


# --------------------------------------------------------------------------------------------------
# Poland PESEL (weights 1,3,7,9)
# --------------------------------------------------------------------------------------------------

PESEL_WEIGHTS = (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)


def pesel_check_digit(ten: str) -> str:
    return str((10 - sum(int(c) * w for c, w in zip(ten, PESEL_WEIGHTS)) % 10) % 10)


def is_valid_pesel(value: str) -> bool:
    d = digits_of(value)
    if len(d) != 11:
        return False
    total = sum(int(c) * w for c, w in zip(d, PESEL_WEIGHTS + (1,)))
    return total % 10 == 0


# --------------------------------------------------------------------------------------------------
# US ABA routing number (3-7-1, prefix ranges)
# --------------------------------------------------------------------------------------------------


def aba_prefix_ok(two: str) -> bool:
    n = int(two)
    return 0 <= n <= 12 or 21 <= n <= 32 or 61 <= n <= 72 or n == 80


def aba_check_digit(eight: str) -> str:
    w = (3, 7, 1, 3, 7, 1, 3, 7)
    return str((10 - sum(int(c) * x for c, x in zip(eight, w)) % 10) % 10)


def is_valid_aba(value: str) -> bool:
    d = digits_of(value)
    if len(d) != 9 or not aba_prefix_ok(d[:2]):
        return False
    return sum(int(c) * w for c, w in zip(d, (3, 7, 1) * 3)) % 10 == 0


# --------------------------------------------------------------------------------------------------
# US NPI (Luhn over 80840 + number)
# --------------------------------------------------------------------------------------------------


def is_valid_npi(value: str) -> bool:
    d = digits_of(value)
    return len(d) == 10 and d[0] in "12" and luhn_sum_ok("80840" + d)


# --------------------------------------------------------------------------------------------------
# US SSN (structure only)
# --------------------------------------------------------------------------------------------------

SSN_SAMPLES = {"078051120", "219099999", "457555462"}


def is_valid_ssn(value: str) -> bool:
    d = digits_of(value)
    if len(d) != 9:
        return False
    area, group, serial = d[:3], d[3:5], d[5:]
    if area in ("000", "666") or area[0] == "9" or group == "00" or serial == "0000":
        return False
    return d not in SSN_SAMPLES


def is_itin_like(value: str) -> bool:
    """9XX-GG-XXXX with the group in an ITIN range (so an ITIN rule may rightly fire)."""
    d = digits_of(value)
    if len(d) != 9 or d[0] != "9":
        return False
    g = int(d[3:5])
    return 50 <= g <= 65 or 70 <= g <= 88 or 90 <= g <= 92 or 94 <= g <= 99
