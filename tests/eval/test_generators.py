"""Unit tests for the evaluation harness: generators, corpus labels, scorer, and the CLI end to end.

Run from the repository root:  python3 -m unittest discover -s tests/eval
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import json
import os
import random
import re
import stat
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import evaluate  # noqa: E402
from pweval import checksums as ck  # noqa: E402
from pweval import corpus as C  # noqa: E402
from pweval import scoring as S  # noqa: E402
from pweval import values as V  # noqa: E402

VALIDATORS = {
    "CREDIT_CARD": ck.is_valid_card, "IBAN_CODE": ck.is_valid_iban, "UK_NHS": ck.is_valid_nhs,
    "CA_SIN": ck.is_valid_sin, "IN_AADHAAR": ck.is_valid_aadhaar, "BR_CPF": ck.is_valid_cpf,
    "DE_TAX_ID": ck.is_valid_steuer_id, "NL_BSN": ck.is_valid_bsn, "ES_NIF": ck.is_valid_dni,
    "IT_FISCAL_CODE": ck.is_valid_codice_fiscale, "FR_NIR": ck.is_valid_nir, "PL_PESEL": ck.is_valid_pesel,
    "ABA_ROUTING_NUMBER": ck.is_valid_aba, "US_NPI": ck.is_valid_npi, "US_SSN": ck.is_valid_ssn,
}

SHAPES = {
    "AWS_ACCESS_KEY_ID": r"AKIA[A-Z2-7]{16}",
    "GITHUB_TOKEN": r"(?:gh[pos]_[A-Za-z0-9]{36}|github_pat_[A-Za-z0-9_]{82})",
    "GITLAB_TOKEN": r"glpat-[A-Za-z0-9_-]{20}",
    "SLACK_TOKEN": r"xoxb-[0-9]{10,13}-[0-9]{10,13}-[A-Za-z0-9]{24}",
    "STRIPE_SECRET_KEY": r"sk_live_[A-Za-z0-9]{24,99}",
    "OPENAI_API_KEY": r"(?:sk-(?:proj|svcacct)-[A-Za-z0-9_-]{74,164}|sk-[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})",
    "ANTHROPIC_API_KEY": r"sk-ant-api03-[A-Za-z0-9_-]{93}AA",
    "GOOGLE_API_KEY": r"AIza[0-9A-Za-z_-]{35}",
    "NPM_TOKEN": r"npm_[A-Za-z0-9]{36}",
    "SENDGRID_API_KEY": r"SG\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}",
    "HUGGINGFACE_TOKEN": r"hf_[A-Za-z]{34}",
    "PRIVATE_KEY": r"-----BEGIN RSA PRIVATE KEY-----\n(?:[A-Za-z0-9+/=]{1,64}\n)+-----END RSA PRIVATE KEY-----",
    "JWT": r"eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{43}",
    "EMAIL_ADDRESS": r"[a-z0-9._+-]+@[a-z0-9.-]+\.[a-z]{2,}",
}


class KnownValues(unittest.TestCase):
    """The validators accept published valid samples and reject altered ones."""

    def test_published_samples(self):
        good = {
            ck.is_valid_card: ["4111 1111 1111 1111", "378282246310005", "5555555555554444", "6011111111111117",
                               "3530111333300000"],
            ck.is_valid_iban: ["GB82 WEST 1234 5698 7654 32", "DE89370400440532013000", "FR1420041010050500013M02606",
                               "NL91ABNA0417164300", "BE68539007547034"],
            ck.is_valid_nhs: ["943 476 5919"], ck.is_valid_aadhaar: ["234123412346"],
            ck.is_valid_cpf: ["390.533.447-05"], ck.is_valid_steuer_id: ["36 574 261 809", "86095742719"],
            ck.is_valid_bsn: ["111222333"], ck.is_valid_dni: ["54362315K"],
            ck.is_valid_codice_fiscale: ["RCCMNL83S18D969H"], ck.is_valid_nir: ["2 95 10 99 126 111 93"],
            ck.is_valid_pesel: ["44051401359"], ck.is_valid_aba: ["111000025"], ck.is_valid_npi: ["1234567893"],
            ck.is_valid_sin: ["130 692 544"], ck.is_valid_ssn: ["123-45-6789"],
        }
        bad = {
            ck.is_valid_card: ["4111 1111 1111 1112"], ck.is_valid_iban: ["DE89370400440532013001"],
            ck.is_valid_nhs: ["943 476 5918"], ck.is_valid_aadhaar: ["234123412347"],
            ck.is_valid_cpf: ["390.533.447-06", "111.111.111-11"], ck.is_valid_steuer_id: ["86095742718"],
            ck.is_valid_bsn: ["111222334"], ck.is_valid_dni: ["54362315A"],
            ck.is_valid_codice_fiscale: ["RCCMNL83S18D969A"], ck.is_valid_nir: ["2 95 10 99 126 111 94"],
            ck.is_valid_pesel: ["44051401358"], ck.is_valid_aba: ["111000026"], ck.is_valid_npi: ["1234567890"],
            ck.is_valid_sin: ["046 454 286"],  # Luhn-valid but starts with 0
            ck.is_valid_ssn: ["000-12-3456", "666-12-3456", "912-34-5678", "078-05-1120"],
        }
        for fn, vals in good.items():
            for v in vals:
                self.assertTrue(fn(v), f"{fn.__name__}({v!r}) should be valid")
        for fn, vals in bad.items():
            for v in vals:
                self.assertFalse(fn(v), f"{fn.__name__}({v!r}) should be invalid")

    def test_check_digit_functions(self):
        self.assertEqual(ck.verhoeff_check_digit("236"), "3")
        self.assertEqual(ck.mod_11_10_check_digit("8609574271"), "9")
        self.assertEqual(ck.cf_check_letter("RCCMNL83S18D969"), "H")
        self.assertEqual(ck.nir_key("2951099126111"), "93")
        self.assertEqual(ck.iban_check_digits("GB", "WEST12345698765432"), "82")
        self.assertEqual(ck.luhn_check_digit("7992739871"), "3")


class Generators(unittest.TestCase):
    N = 300

    def test_ids_and_cards_are_checksum_valid(self):
        rng = random.Random(1)
        for entity, validate in VALIDATORS.items():
            for _ in range(self.N):
                v = V.make(rng, entity)
                self.assertEqual(v.cls, V.IDS)
                self.assertTrue(validate(v.text), f"{entity} {v.text!r} fails its checksum")

    def test_every_card_passes_luhn_and_iin(self):
        rng = random.Random(2)
        brands = set()
        for _ in range(1000):
            v = V.credit_card(rng)
            d = ck.digits_of(v.text)
            self.assertTrue(ck.luhn_sum_ok(d), v.text)
            brands.add(ck.card_brand(d))
        self.assertEqual(brands, {"visa", "mastercard", "amex", "discover", "jcb"})

    def test_every_iban_is_mod97_and_several_countries(self):
        rng = random.Random(3)
        countries, spaced = set(), 0
        for _ in range(1000):
            v = V.iban(rng)
            s = v.text.replace(" ", "")
            n = int("".join(str(int(c, 36)) for c in s[4:] + s[:4]))
            self.assertEqual(n % 97, 1, v.text)
            self.assertEqual(len(s), ck.IBAN_LENGTHS[s[:2]])
            countries.add(s[:2])
            spaced += " " in v.text
        self.assertGreaterEqual(len(countries), 8)
        self.assertTrue(100 < spaced < 900)

    def test_fiscal_code_matches_person(self):
        rng = random.Random(4)
        v = V.it_fiscal_code(rng, V.Person("Mario Rossi", "Mario", "Rossi", "it"))
        self.assertTrue(v.text.startswith("RSSMRA"), v.text)

    def test_prefixed_secret_shapes(self):
        rng = random.Random(5)
        for entity in V.PREFIXED_ENTITIES:
            for _ in range(100):
                v = V.make(rng, entity)
                self.assertRegex(v.text, "^" + SHAPES[entity] + "$", entity)

    def test_emails_and_phones(self):
        rng = random.Random(6)
        for _ in range(500):
            self.assertRegex(V.email(rng).text, "^" + SHAPES["EMAIL_ADDRESS"] + "$")
            p = V.phone(rng).text
            self.assertTrue(7 <= len(ck.digits_of(p)) <= 15, p)

    def test_generic_secrets(self):
        rng = random.Random(7)
        for _ in range(300):
            s = V.generic_secret(rng).text
            self.assertTrue(20 <= len(s) <= 64, s)
            pw = V.password(rng).text
            self.assertFalse(set(pw) & set("\"'\\$`#"), pw)
            self.assertIn("@", V.db_connection(rng).text)

    def test_hard_negatives_fail_validation(self):
        rng = random.Random(8)
        for _ in range(500):
            self.assertFalse(ck.luhn_sum_ok(ck.digits_of(V.hn_luhn_invalid(rng).text)))
            ssn = V.hn_ssn_invalid(rng).text
            self.assertRegex(ssn, r"^(000|666|9\d\d)-\d\d-\d{4}$")
            self.assertFalse(ck.is_valid_ssn(ssn))
            self.assertFalse(ck.is_itin_like(ssn))
            self.assertRegex(V.hn_uuid(rng).text, r"^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$")
            self.assertRegex(V.hn_git_sha(rng).text, r"^[0-9a-f]{40}$")
            self.assertRegex(V.hn_hex_digest(rng).text, r"^(?:[0-9a-f]{32}|[0-9a-f]{64})$")


class Corpus(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.TemporaryDirectory()
        cls.dir = cls.tmp.name
        cls.manifest = C.generate_corpus(cls.dir, 400, seed=11)
        cls.labels = C.load_labels(cls.dir)

    @classmethod
    def tearDownClass(cls):
        cls.tmp.cleanup()

    def test_span_text_equals_value(self):
        files = {}
        for lab in self.labels:
            if lab["file"] not in files:
                with open(os.path.join(self.dir, lab["file"]), "rb") as f:
                    files[lab["file"]] = f.read()
            data = files[lab["file"]]
            self.assertEqual(data[lab["start"]:lab["end"]].decode("utf-8"), lab["value"], lab)

    def test_planted_ids_are_valid_and_classes_covered(self):
        classes = set()
        for lab in self.labels:
            if lab["kind"] == "planted":
                classes.add(lab["class"])
                if lab["entity"] in VALIDATORS:
                    self.assertTrue(VALIDATORS[lab["entity"]](lab["value"]), lab)
        self.assertEqual(classes, set(V.CLASSES))

    def test_plant_counts_and_hard_negatives(self):
        per_file = {}
        for lab in self.labels:
            if lab["kind"] == "planted":
                per_file[lab["file"]] = per_file.get(lab["file"], 0) + 1
        self.assertLessEqual(max(per_file.values()), 4)
        self.assertLess(len(per_file), 400)  # some prompts have nothing planted
        kinds = {lab["hn_kind"] for lab in self.labels if lab["kind"] == "hard_negative"}
        self.assertTrue(set(V.HN_REQUIRED_ZERO) <= kinds, kinds)

    def test_non_ascii_present(self):
        text = b"".join(text_of(self.dir, "synthetic/" + f)
                        for f in sorted(os.listdir(os.path.join(self.dir, "synthetic"))))
        s = text.decode("utf-8")
        self.assertTrue(re.search(r"[\u00c0-\u017f]", s))  # accents
        self.assertTrue(re.search(r"[\u4e00-\u9fff]", s))  # CJK
        self.assertTrue(re.search(r"[\U0001F300-\U0001FAFF]", s))  # emoji
        # Some planted values come after a multi-byte character, so byte and character offsets differ.
        after_multibyte = sum(1 for lab in self.labels if lab["kind"] == "planted"
                              and max(text_of(self.dir, lab["file"])[:lab["start"]], default=0) >= 0x80)
        self.assertGreater(after_multibyte, 50)

    def test_deterministic(self):
        with tempfile.TemporaryDirectory() as a, tempfile.TemporaryDirectory() as b, \
                tempfile.TemporaryDirectory() as c:
            C.generate_corpus(a, 60, seed=5)
            C.generate_corpus(b, 60, seed=5)
            C.generate_corpus(c, 60, seed=6)
            self.assertEqual(tree_hash(a), tree_hash(b))
            self.assertNotEqual(tree_hash(a), tree_hash(c))


def text_of(root: str, rel: str) -> bytes:
    with open(os.path.join(root, rel), "rb") as f:
        return f.read()


def tree_hash(root: str) -> str:
    h = hashlib.sha256()
    for dp, dns, fns in os.walk(root):
        dns.sort()
        for fn in sorted(fns):
            p = os.path.join(dp, fn)
            h.update(os.path.relpath(p, root).encode())
            h.update(text_of(root, os.path.relpath(p, root)))
    return h.hexdigest()


def finding(file, start, end, entity, category, conf="high", rule=None):
    return {"file": file, "path": file, "start": start, "end": end, "entity": entity, "category": category,
            "rule": rule or entity.lower().replace("_", "-"), "confidence": conf, "score": 0.5}


class Scorer(unittest.TestCase):
    LABELS = [
        {"file": "a", "start": 0, "end": 10, "kind": "planted", "class": "email", "entity": "EMAIL_ADDRESS",
         "context": "phrase", "value": "x"},
        {"file": "a", "start": 20, "end": 39, "kind": "planted", "class": "ids_cards", "entity": "CREDIT_CARD",
         "context": "none", "value": "x"},
        {"file": "a", "start": 50, "end": 86, "kind": "hard_negative", "hn_kind": "uuid", "value": "x"},
        {"file": "a", "start": 90, "end": 109, "kind": "hard_negative", "hn_kind": "sample_value", "value": "x"},
        {"file": "b", "start": 5, "end": 25, "kind": "planted", "class": "generic_secret", "entity": "PASSWORD",
         "context": "key", "value": "x"},
        {"file": "b", "start": 40, "end": 60, "kind": "planted", "class": "prefixed_secret",
         "entity": "GITHUB_TOKEN", "context": "key", "value": "x"},
    ]
    FINDINGS = [
        finding("a", 0, 10, "EMAIL_ADDRESS", "pii"),  # TP
        finding("a", 25, 30, "EMAIL_ADDRESS", "pii", "medium"),  # FP on the card (cross class)
        finding("a", 50, 60, "CREDIT_CARD", "financial"),  # FP on the UUID; hard-negative hit at high
        finding("b", 0, 6, "GENERIC_SECRET", "secret", "low"),  # TP (touches 5..6 of the password)
        finding("b", 25, 30, "GENERIC_SECRET", "secret", "low"),  # FP: starts where the password ends
        finding("b", 40, 60, "SOME_NEW_TOKEN", "secret"),  # unknown secret entity -> prefixed, TP
        finding("b", 100, 110, "PHONE_NUMBER", "pii", "low"),  # FP unlabelled
        finding("a", 20, 39, "US_ITIN", "gov_id"),  # outside the classes: counted, not scored
        finding("a", 90, 100, "CREDIT_CARD", "financial", "low"),  # published sample at low: ignored
        finding("a", 90, 100, "CREDIT_CARD", "financial", "high"),  # published sample at high: FP
    ]

    def test_hand_example(self):
        r = S.score_synthetic(self.LABELS, self.FINDINGS, "low")
        cl = r["classes"]
        self.assertEqual((cl["email"]["tp"], cl["email"]["fp"], cl["email"]["found"]), (1, 1, 1))
        self.assertAlmostEqual(cl["email"]["precision"], 0.5)
        self.assertAlmostEqual(cl["email"]["recall"], 1.0)
        self.assertEqual(cl["email"]["fp_cross_class"], 1)
        self.assertEqual((cl["ids_cards"]["findings"], cl["ids_cards"]["tp"]), (2, 0))
        self.assertAlmostEqual(cl["ids_cards"]["precision"], 0.0)
        self.assertAlmostEqual(cl["ids_cards"]["recall"], 0.0)
        self.assertEqual(cl["ids_cards"]["fp_hard_negative"], 2)
        self.assertEqual(r["hard_negatives"]["sample_value"]["hits_high"], 1)
        self.assertEqual(r["hard_negatives"]["sample_value"]["hits_any"], 1)
        self.assertAlmostEqual(cl["generic_secret"]["precision"], 0.5)
        self.assertAlmostEqual(cl["generic_secret"]["recall"], 1.0)
        self.assertAlmostEqual(cl["prefixed_secret"]["precision"], 1.0)
        self.assertAlmostEqual(cl["prefixed_secret"]["recall"], 1.0)
        self.assertEqual(r["entities"]["GITHUB_TOKEN"]["found_exact"], 0)
        self.assertEqual(r["entities"]["PASSWORD"]["found_exact"], 0)
        self.assertEqual((cl["phone"]["fp_unlabelled"], cl["phone"]["planted"]), (1, 0))
        self.assertIsNone(cl["phone"]["recall"])
        self.assertEqual(r["other_entities"], {"US_ITIN": 1})
        self.assertEqual(r["other_entities_on_planted"], {"US_ITIN": {"ids_cards": 1}})
        self.assertEqual(r["hard_negatives"]["uuid"]["hits_high"], 1)
        self.assertEqual(r["hard_negatives"]["git_sha"]["hits_high"], 0)

    def test_min_tier_filters(self):
        r = S.score_synthetic(self.LABELS, self.FINDINGS, "medium")
        cl = r["classes"]
        self.assertIsNone(cl["generic_secret"]["precision"])
        self.assertEqual(cl["generic_secret"]["recall"], 0.0)
        self.assertEqual(cl["email"]["findings"], 2)
        r = S.score_synthetic(self.LABELS, self.FINDINGS, "high")
        self.assertEqual(r["classes"]["email"]["findings"], 1)

    def test_class_override(self):
        r = S.score_synthetic(self.LABELS, self.FINDINGS, "low", overrides={"US_ITIN": "ids_cards"})
        self.assertEqual(r["classes"]["ids_cards"]["tp"], 1)
        self.assertAlmostEqual(r["classes"]["ids_cards"]["recall"], 1.0)

    def test_targets(self):
        r = S.score_synthetic(self.LABELS, self.FINDINGS, "low")
        missed = S.check_targets(r, None)
        self.assertTrue(any("email precision" in m for m in missed))
        self.assertTrue(any("'uuid'" in m for m in missed))
        b = S.score_benign([finding("benign/man/x.1", 0, 3, "EMAIL_ADDRESS", "pii")], 2_000_000)
        self.assertAlmostEqual(b["high_per_mb"], 0.5)
        self.assertEqual(S.check_targets(None, b), [])
        b = S.score_benign([finding("benign/man/x.1", 0, 3, "EMAIL_ADDRESS", "pii")] * 2, 2_000_000)
        self.assertEqual(len(S.check_targets(None, b)), 1)
        b = S.score_benign([finding("benign/man/x.1", 0, 3, "EMAIL_ADDRESS", "pii")] * 2, 2_000_000,
                           ignore_entities=("EMAIL_ADDRESS",))
        self.assertEqual(b["findings"], 0)

    def test_parse_paths_and_contract(self):
        with tempfile.TemporaryDirectory() as d:
            os.makedirs(os.path.join(d, "synthetic"))
            with open(os.path.join(d, "synthetic", "p1.txt"), "wb") as f:
                f.write("é@x".encode())
            cache = S.FileCache(d)
            lines = [
                json.dumps({"path": "synthetic/p1.txt", "start": 0, "end": 2, "entity": "E", "category": "pii",
                            "rule": "r", "confidence": "high", "score": 1}),
                json.dumps({"path": os.path.join(d, "synthetic", "p1.txt"), "start": 1, "end": 4, "entity": "E",
                            "category": "pii", "rule": "r", "confidence": "low", "score": 1}),
                json.dumps({"path": "synthetic/p1.txt", "start": 0, "end": 9, "entity": "E", "category": "pii",
                            "rule": "r", "confidence": "high", "score": 1}),
                json.dumps({"path": "synthetic/p1.txt", "start": 0, "end": 1, "entity": "E", "category": "pii",
                            "rule": "r", "confidence": "certain", "score": 1}),
                "scanned 1 file",
            ]
            p = S.parse_findings("\n".join(lines), d, d, cache)
            self.assertEqual([f["file"] for f in p.findings], ["synthetic/p1.txt"] * 2)
            self.assertEqual(p.problems["offset not on a UTF-8 character boundary"], 1)
            self.assertEqual(p.problems["offset past end of file"], 1)
            self.assertEqual(p.problems["unknown confidence value"], 1)
            self.assertEqual(p.problems["non-JSON line on stdout"], 1)


FAKE_WARDEN = r'''#!{python}
# TEST FIXTURE ONLY: a stand-in for `warden scan --format jsonl` that finds e-mail addresses, AWS key ids and
# Luhn-valid 16-digit numbers with a few regexes, so the harness can be exercised without the real engine.
import json, os, re, sys
args = sys.argv[1:]
assert args[:3] == ["scan", "--format", "jsonl"], args
paths = [a for a in args[3:] if not a.startswith("--") and a not in ("low", "medium", "high")]
RULES = [
    ("email", "EMAIL_ADDRESS", "pii", re.compile(rb"[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{{2,}}")),
    ("aws", "AWS_ACCESS_KEY_ID", "secret", re.compile(rb"\bAKIA[A-Z2-7]{{16}}\b")),
    ("card", "CREDIT_CARD", "financial", re.compile(rb"\b\d{{4}}[ -]?\d{{4}}[ -]?\d{{4}}[ -]?\d{{4}}\b")),
]
def luhn(s):
    d = [int(c) for c in s if c.isdigit()]
    return sum(x if i % 2 == 0 else (x * 2 - 9 if x > 4 else x * 2) for i, x in enumerate(reversed(d))) % 10 == 0
n = 0
for root in paths:
    for dp, dns, fns in os.walk(root):
        dns.sort()
        for fn in sorted(fns):
            p = os.path.join(dp, fn)
            data = open(p, "rb").read()
            for rule, ent, cat, rx in RULES:
                for m in rx.finditer(data):
                    if rule == "card" and not luhn(m.group().decode()):
                        continue
                    print(json.dumps({{"path": p, "start": m.start(), "end": m.end(), "entity": ent,
                                      "category": cat, "rule": rule, "confidence": "high", "score": 0.9}}))
                    n += 1
sys.exit(1 if n else 0)
'''


class EndToEnd(unittest.TestCase):
    def test_cli_with_fake_warden(self):
        with tempfile.TemporaryDirectory() as d:
            fake = os.path.join(d, "fake-warden")
            with open(fake, "w") as f:
                f.write(FAKE_WARDEN.format(python=sys.executable))
            os.chmod(fake, os.stat(fake).st_mode | stat.S_IXUSR)
            out = os.path.join(d, "run")
            md = os.path.join(d, "eval.md")
            buf = io.StringIO()
            with contextlib.redirect_stdout(buf):
                rc = evaluate.main(["--warden", fake, "--prompts", "150", "--benign-mb", "0.3", "--out", out,
                                    "--markdown", md, "--check", "--quiet"])
            self.assertEqual(rc, 1)  # most classes are not detected by the fixture
            text = buf.getvalue()
            self.assertIn("ids_cards", text)
            self.assertIn("Hard negatives", text)
            with open(os.path.join(out, "results.json")) as f:
                res = json.load(f)
            syn = res["synthetic"]["low"]["classes"]
            self.assertEqual(syn["email"]["recall"], 1.0)
            self.assertEqual(syn["phone"]["recall"], 0.0)
            self.assertGreater(res["synthetic"]["low"]["entities"]["CREDIT_CARD"]["recall"], 0.7)
            self.assertEqual(res["synthetic"]["low"]["entities"]["AWS_ACCESS_KEY_ID"]["recall"], 1.0)
            self.assertEqual(res["synthetic"]["low"]["hard_negatives"]["luhn_invalid_16"]["hits_high"], 0)
            self.assertEqual(res["contract_problems"], {})
            self.assertTrue(res["targets_missed"])
            with open(md) as f:
                self.assertIn("| class | planted |", f.read())

    def test_missing_binary_message(self):
        err = io.StringIO()
        with contextlib.redirect_stderr(err):
            rc = evaluate.main(["--warden", "/nonexistent/warden", "--prompts", "5"])
        self.assertEqual(rc, 2)
        self.assertIn("not found", err.getvalue())

    def test_default_binary_hint(self):
        args = evaluate.parse_args(["--prompts", "5"])
        args.warden = None
        old = evaluate.REPO_ROOT
        try:
            evaluate.REPO_ROOT = tempfile.gettempdir() + "/no-such-repo"
            with self.assertRaises(evaluate.EvalError) as cm:
                evaluate.resolve_warden(args)
            self.assertIn("cargo build --release -p warden-cli", str(cm.exception))
        finally:
            evaluate.REPO_ROOT = old


if __name__ == "__main__":
    unittest.main()
