"""Synthetic labelled corpus: realistic chat prompts with planted values and hard negatives.

A prompt is assembled from segments by a ``Doc``; a segment that carries a ``Value`` becomes a label whose
span is the exact UTF-8 byte range of the segment in the written file.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass

from . import values as V
from .values import EMAIL, GENERIC, IDS, PHONE, PREFIXED, Value

GENERATOR_VERSION = 1

# --------------------------------------------------------------------------------------------------
# Document builder
# --------------------------------------------------------------------------------------------------


class Doc:
    """Text built from segments; labelled segments become spans."""

    def __init__(self) -> None:
        self.parts: list[tuple[str, tuple[Value, str] | None]] = []

    def add(self, *texts: str) -> None:
        for t in texts:
            if t:
                self.parts.append((t, None))

    def val(self, value: Value, ctx: str = "none", text: str | None = None) -> None:
        self.parts.append((value.text if text is None else text, (value, ctx)))

    def fmt(self, template: str, value: Value | None = None, ctx: str = "none", **kw: str) -> None:
        """Write ``template`` (str.format syntax) with ``{v}`` replaced by the labelled ``value``."""
        if value is None:
            self.add(template.format(**kw))
            return
        if template.count("{v}") != 1:
            raise ValueError("template needs exactly one {v}: " + template)
        before, after = template.split("{v}", 1)
        self.add(before.format(**kw))
        self.val(value, ctx)
        self.add(after.format(**kw))

    def build(self) -> tuple[bytes, list[dict]]:
        out = bytearray()
        labels = []
        for text, lab in self.parts:
            b = text.encode("utf-8")
            if lab is not None:
                value, ctx = lab
                rec = {"start": len(out), "end": len(out) + len(b), "value": text}
                if value.is_hardneg:
                    rec.update(kind="hard_negative", hn_kind=value.entity)
                else:
                    rec.update(kind="planted", **{"class": value.cls}, entity=value.entity, context=ctx)
                labels.append(rec)
            out += b
        return bytes(out), labels


# --------------------------------------------------------------------------------------------------
# Vocabulary
# --------------------------------------------------------------------------------------------------

ENTITY_KEYS = {
    "EMAIL_ADDRESS": ["email", "contact_email", "support_email", "owner_email", "billing_email", "notify_email",
                      "admin_email", "reply_to"],
    "PHONE_NUMBER": ["phone", "mobile", "contact_phone", "phone_number", "tel", "oncall_phone", "sms_to"],
    "CREDIT_CARD": ["card_number", "cc_number", "card_no", "pan", "credit_card"],
    "IBAN_CODE": ["iban", "payout_iban", "bank_iban", "account_iban"],
    "UK_NHS": ["nhs_number", "nhs_no", "patient_nhs_number"],
    "CA_SIN": ["sin", "social_insurance_number", "sin_number"],
    "IN_AADHAAR": ["aadhaar", "aadhaar_no", "aadhaar_number"],
    "BR_CPF": ["cpf", "cpf_cliente", "customer_cpf"],
    "DE_TAX_ID": ["steuer_id", "steuerid", "tax_id", "steuer_idnr"],
    "NL_BSN": ["bsn", "burgerservicenummer", "bsn_nummer"],
    "ES_NIF": ["dni", "nif", "dni_nif"],
    "IT_FISCAL_CODE": ["codice_fiscale", "cod_fiscale", "fiscal_code"],
    "FR_NIR": ["nir", "num_secu", "numero_securite_sociale"],
    "PL_PESEL": ["pesel", "nr_pesel"],
    "ABA_ROUTING_NUMBER": ["routing_number", "aba_routing", "aba", "bank_routing_number"],
    "US_NPI": ["npi", "provider_npi", "npi_number"],
    "US_SSN": ["ssn", "customer_ssn", "social_security_number"],
    "AWS_ACCESS_KEY_ID": ["aws_access_key_id", "access_key_id", "aws_access_key"],
    "GITHUB_TOKEN": ["github_token", "gh_token", "github_pat"],
    "GITLAB_TOKEN": ["gitlab_token", "gl_token", "gitlab_private_token"],
    "SLACK_TOKEN": ["slack_bot_token", "slack_token", "bot_token"],
    "STRIPE_SECRET_KEY": ["stripe_secret_key", "stripe_key", "stripe_api_key"],
    "OPENAI_API_KEY": ["openai_api_key", "openai_key", "llm_api_key"],
    "ANTHROPIC_API_KEY": ["anthropic_api_key", "claude_api_key", "anthropic_key"],
    "GOOGLE_API_KEY": ["google_api_key", "maps_api_key", "gemini_api_key", "firebase_api_key"],
    "NPM_TOKEN": ["npm_token", "npm_auth_token", "node_auth_token"],
    "SENDGRID_API_KEY": ["sendgrid_api_key", "sendgrid_key", "mail_api_key"],
    "PRIVATE_KEY": ["private_key", "tls_private_key", "ssh_private_key", "signing_key_pem"],
    "JWT": ["jwt", "access_token", "id_token", "session_token"],
    "HUGGINGFACE_TOKEN": ["hf_token", "huggingface_token", "hugging_face_hub_token"],
    "GENERIC_SECRET": ["api_key", "client_secret", "secret_key", "auth_token", "api_token", "app_secret",
                       "signing_secret", "secret", "service_token", "session_secret", "encryption_key",
                       "jwt_secret", "webhook_secret", "api_secret", "consumer_secret", "access_token"],
    "PASSWORD": ["password", "db_password", "passwd", "pwd", "admin_password", "smtp_password", "redis_password",
                 "db_pass", "mysql_root_password", "postgres_password", "ldap_bind_password"],
}
CONN_KEYS = {"redis": ["redis_url", "cache_url"], "amqp": ["broker_url", "amqp_url", "rabbitmq_url"],
             "mongodb": ["mongo_uri", "mongodb_uri", "mongo_url"],
             "sql": ["database_url", "db_url", "dsn", "sqlalchemy_database_uri", "connection_string"]}

HN_KEYS = {
    "uuid": ["request_id", "tenant_id", "correlation_id", "instance_id", "client_id", "trace_id",
             "idempotency_key", "workspace_id"],
    "git_sha": ["commit", "git_sha", "build_sha", "revision", "source_version"],
    "hex_digest": ["checksum", "sha256", "digest", "content_hash", "file_hash"],
    "luhn_invalid_16": ["card_number", "test_card_number", "card"],
    "ssn_invalid_area": ["ssn", "test_ssn", "placeholder_ssn"],
    "order_number": ["order_id", "order_number", "invoice_no", "po_number", "reference"],
    "timestamp": ["created_at", "updated_at", "last_login", "expires_at", "timestamp"],
    "version": ["version", "app_version", "image_tag", "node_version", "release"],
    "sample_value": ["example"],
}
PLACEHOLDER_KEYS = {
    "sk_live_xxxxxxxxxxxxxxxxxxxxxxxx": ["stripe_secret_key"], "AKIAXXXXXXXXXXXXXXXX": ["aws_access_key_id"],
    "ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx": ["github_token"], "$DB_PASSWORD": ["db_password"],
    "%(password)s": ["password"], "sk-...": ["openai_api_key"],
}
SAMPLE_KEYS = {"AKIAIOSFODNN7EXAMPLE": "aws_access_key_id", "078-05-1120": "ssn"}

FILLER_KV = [
    ("port", "8080", False), ("log_level", "info", True), ("region", "eu-west-1", True), ("timeout_seconds", "30", False),
    ("max_connections", "50", False), ("environment", "production", True), ("feature_new_checkout", "true", False),
    ("cache_ttl", "3600", False), ("app_name", "orders-api", True), ("base_url", "https://api.acme-corp.com/v2", True),
    ("retry_count", "3", False), ("worker_concurrency", "4", False), ("tz", "Europe/Berlin", True),
    ("s3_bucket", "acme-prod-uploads", True), ("default_locale", "de-DE", True), ("enable_metrics", "false", False),
    ("queue_name", "invoices", True), ("smtp_host", "smtp.mailgun.org", True), ("smtp_port", "587", False),
    ("redis_host", "redis", True), ("db_host", "db.internal", True), ("db_name", "orders", True),
    ("db_user", "app", True), ("cors_origin", "https://app.acme-corp.com", True), ("page_size", "25", False),
    ("sentry_sample_rate", "0.2", False), ("upload_limit_mb", "20", False), ("theme", "dark", True),
    ("otel_exporter", "otlp", True), ("node_env", "production", True), ("session_cookie_name", "sid", True),
    ("currency", "EUR", True), ("model", "gpt-4o-mini", True), ("temperature", "0.2", False),
]

APPS = ["orders-api", "billing-service", "checkout", "crm-sync", "notifier", "patient-portal", "payroll",
        "search-indexer", "auth-gateway", "reporting"]
CITIES = ["München", "Kraków", "São Paulo", "Zürich", "Besançon", "東京", "Málaga", "Montréal", "Köln",
          "Bengaluru", "Leeds", "Austin", "Lyon", "Utrecht", "Göteborg", "Milano", "北京", "İstanbul"]
COMPANIES = ["Acme Corp", "Globex", "Initech", "Northwind Traders", "Umbrella Health", "Hooli", "Vandelay Industries",
             "Blue River Clinic", "FinTrust Bank", "Müller & Söhne GmbH", "Société Générale d'Études"]
EMOJI = ["🙏", "😅", "🚀", "👍", "🔥", "😭", "✅", "🤔", "💳", "📎", "🎉", "😬"]

PROVIDER = {"AWS_ACCESS_KEY_ID": "AWS", "GITHUB_TOKEN": "GitHub", "GITLAB_TOKEN": "GitLab", "SLACK_TOKEN": "Slack",
            "STRIPE_SECRET_KEY": "Stripe", "OPENAI_API_KEY": "OpenAI", "ANTHROPIC_API_KEY": "Anthropic",
            "GOOGLE_API_KEY": "Google Maps", "NPM_TOKEN": "npm", "SENDGRID_API_KEY": "SendGrid",
            "HUGGINGFACE_TOKEN": "Hugging Face", "JWT": "auth", "PRIVATE_KEY": "SSH"}

# Prose sentences per entity: (with a context word, without one). {v} is the value.
PROSE: dict[str, tuple[list[str], list[str]]] = {
    "EMAIL_ADDRESS": (
        ["You can reach me at {v}.", "Please send the invoice to {v}.", "My email is {v} if you need anything else.",
         "Please cc {v} on the reply.", "The customer's email address is {v}.", "Email: {v}",
         "Meine E-Mail-Adresse ist {v}.", "我的邮箱是 {v}，谢谢。"],
        ["{name} <{v}> says the export is broken again.", "Forward it to {v} pls {emoji}", "(reply to {v})",
         "Ask {v} about the migration.", "{v} wants a refund for the March invoice."]),
    "PHONE_NUMBER": (
        ["Call me at {v}.", "My phone number is {v}.", "Mobile: {v}", "Tel.: {v}", "You can WhatsApp me on {v}.",
         "Reach the on-call engineer by phone on {v}.", "Mein Handy: {v}", "Mon portable : {v}",
         "電話番号は {v} です。"],
        ["{name}, {v}", "Ring {v} after 5pm, she's in meetings all morning.", "{v} (ask for {first})",
         "He left {v} as the best number to get him."]),
    "CREDIT_CARD": (
        ["My card number is {v}, expiry {exp}.", "Could you check why the charge on card {v} was declined?",
         "The customer's {brand} is {v}.", "I paid with my credit card {v} and got charged twice 😕",
         "card: {v} exp {exp} cvv {cvv}", "Please update the card on file to {v}.",
         "Meine Kreditkartennummer: {v}"],
        ["{v} exp {exp}", "Use {v} for the retry and let me know.", "{name} · {v} · {exp}",
         "Why does {v} fail on the checkout page?"]),
    "IBAN_CODE": (
        ["Please transfer the refund to IBAN {v}.", "My IBAN is {v} ({bank}).", "Bank details: IBAN {v}, BIC {bic}",
         "Kontoverbindung: IBAN {v}", "Voici mon IBAN : {v}", "IBAN: {v}"],
        ["Send it to {v}, account holder {name}.", "{name} — {v}", "Payout account changed to {v} as of today."]),
    "UK_NHS": (
        ["My NHS number is {v}.", "Patient {name}, NHS no. {v}, was seen on {date}.", "NHS Number: {v}",
         "Her NHS number is {v} and she's registered at the Leeds practice."],
        ["Patient {name} ({v}) missed the appointment on {date}.", "{name}, {v}, DOB {dob}"]),
    "CA_SIN": (
        ["My SIN is {v}.", "Social Insurance Number: {v}", "Numéro d'assurance sociale : {v}",
         "the employee's social insurance number is {v}"],
        ["{name}, {v}, hired {date}", "{name} ({v}) starts Monday."]),
    "IN_AADHAAR": (
        ["My Aadhaar number is {v}.", "Aadhaar: {v}", "मेरा आधार नंबर {v} है।",
         "Please link Aadhaar {v} with the PAN on file."],
        ["{name} ({v}) has completed KYC ✅", "{name} / {v} / Bengaluru"]),
    "BR_CPF": (
        ["Meu CPF é {v}.", "CPF: {v}", "The customer's CPF is {v}."],
        ["{name} - {v} - São Paulo", "Cliente {name}, {v}, pedido pendente."]),
    "DE_TAX_ID": (
        ["Meine Steuer-ID lautet {v}.", "Steuerliche Identifikationsnummer: {v}",
         "My German tax ID (Steuer-IdNr) is {v}."],
        ["{name}, {v}, Lohnsteuerklasse 1", "{name} {v}"]),
    "NL_BSN": (
        ["Mijn BSN is {v}.", "BSN: {v}", "Burgerservicenummer {v}"],
        ["{name} ({v}) heeft de aanvraag ingediend.", "{name}, {v}, Utrecht"]),
    "ES_NIF": (
        ["Mi DNI es {v}.", "DNI/NIF: {v}", "NIF {v}"],
        ["{name}, {v}, Málaga", "{name} ({v}) firmó el contrato."]),
    "IT_FISCAL_CODE": (
        ["Il mio codice fiscale è {v}.", "Codice fiscale: {v}", "Fiscal code {v}"],
        ["{name} {v}", "Intestatario: {name} ({v})"]),
    "FR_NIR": (
        ["Mon numéro de sécurité sociale est {v}.", "N° de sécurité sociale : {v}", "NIR : {v}",
         "numéro de carte Vitale {v}"],
        ["{name} — {v} — né le {dob}", "{name}, {v}"]),
    "PL_PESEL": (
        ["Mój PESEL to {v}.", "PESEL: {v}", "nr PESEL {v}"],
        ["{name}, {v}, Kraków", "{name} ({v})"]),
    "ABA_ROUTING_NUMBER": (
        ["routing number {v}, account ending in {last4}", "ABA {v} (acct ending {last4})", "Routing (ABA): {v}",
         "Wire it to routing # {v}."],
        ["{bank_us} {v} / ****{last4}", "{name} banks with {bank_us}, {v}."]),
    "US_NPI": (
        ["Provider NPI: {v}", "The referring physician's NPI is {v}.", "NPI {v}"],
        ["Dr. {name} ({v}) signed the order.", "{name}, MD — {v}"]),
    "US_SSN": (
        ["My SSN is {v}.", "Social Security Number: {v}", "SSN {v}", "social security no. {v}"],
        ["{name} {v} DOB {dob}", "{name}: {v}"]),
    "GENERIC_SECRET": (
        ["The API key is {v}.", "client secret: {v}", "Our webhook signing secret is {v}.", "token={v}",
         "Here's the secret key I'm using: {v}", "api_key = {v}"],
        []),
    "PASSWORD": (
        ["The admin password is {v}.", "password: {v}", "My wifi password is {v} lol", "Login: {user} / Password: {v}",
         "Passwort: {v}", "mot de passe : {v}", "The DB password is {v}, is that strong enough?"],
        []),
    "DB_CONNECTION_STRING": (
        ["I'm connecting with {v} and it fails with 'password authentication failed'.",
         "DATABASE_URL={v}", "Connection string: {v}"],
        ["Tried {v} from my laptop, works; from the pod it times out.", "{v}"]),
}
PREFIXED_PROSE = (
    ["My {provider} key {v} stopped working — was it revoked?", "I accidentally pushed {v} to GitHub, how do I rotate it?",
     "Here's the {provider} token: {v}", "Using {v} as the {provider} token, still getting 401.",
     "{provider} API key: {v}"],
    ["Why does `{v}` give me a 403?", "tried {v} again, same error {emoji}"])

HN_PROSE = {
    "uuid": ["The request ID was {v}.", "It only happens for tenant {v}.", "trace id: {v}"],
    "git_sha": ["It broke after commit {v}.", "I reverted {v} but the test still fails.", "Deployed revision {v}."],
    "hex_digest": ["The sha256 of the tarball is {v}.", "Checksum mismatch: expected {v}.", "md5 {v}"],
    "luhn_invalid_16": ["The card number {v} is rejected by our form — is the validation wrong?",
                        "Customer typed {v}, I think they mistyped a digit.", "Reference {v} appears twice in the export."],
    "ssn_invalid_area": ["Our test fixtures use {v} as a fake SSN.",
                         "The form should reject SSN {v} since that area number is never issued."],
    "order_number": ["It's about order {v}.", "Invoice {v} is still unpaid.", "Ref: {v}"],
    "timestamp": ["It started at {v}.", "Last successful sync: {v}."],
    "version": ["After upgrading to {v} everything broke.", "We're running {v} in production."],
    "placeholder": ["In the README we tell people to set API_KEY={v} — is that clear enough?",
                    "The template still says password: {v}, should I leave it?", "token: {v}"],
    "sample_value": ["The docs use {v} as an example value.", "Is {v} a real number or just the sample from the docs?"],
}

FILLER_SENTENCES = [
    "Thanks in advance!", "Let me know if you need anything else 🙏", "We're migrating to the new billing system next week.",
    "The meeting moved to Thursday 3pm.", "I've attached the screenshot.", "Sorry for the long message 😅",
    "Our team in München will handle it.", "Deadline is end of Q3.", "お願いします。", "谢谢！",
    "This is blocking the release, so any help is appreciated.", "Not sure if this is the right place to ask.",
    "Merci d'avance pour votre aide.", "Vielen Dank und schöne Grüße!", "I'm on holiday from Friday 🏖️",
    "The client is pretty upset about it.", "No rush, whenever you get a chance.",
    "We already tried restarting the service twice.", "Let's discuss it in the stand-up tomorrow.",
    "He said the last payment was €1.249,00 but the statement shows less.", "Gracias, un saludo.",
]


# --------------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------------

def camel(key: str) -> str:
    parts = key.split("_")
    return parts[0] + "".join(p[:1].upper() + p[1:] for p in parts[1:])


def style_key(key: str, style: str) -> str:
    return {"upper": key.upper(), "camel": camel(key), "snake": key, "kebab": key.replace("_", "-"),
            "title": " ".join(p.capitalize() for p in key.split("_"))}[style]


@dataclass
class Item:
    """One entry to place in a structured block: a key and a labelled value, or a filler."""

    key: str
    value: Value | None = None
    raw: str = ""
    quoted: bool = True

    @property
    def text(self) -> str:
        return self.value.text if self.value is not None else self.raw

    @property
    def is_pem(self) -> bool:
        return self.value is not None and self.value.entity == "PRIVATE_KEY"


def key_for(rng: random.Random, v: Value) -> str:
    if v.is_hardneg:
        if v.entity == "placeholder":
            return rng.choice(PLACEHOLDER_KEYS.get(v.text) or (ENTITY_KEYS["GENERIC_SECRET"] + ENTITY_KEYS["PASSWORD"]))
        if v.entity == "sample_value":
            return SAMPLE_KEYS.get(v.text, "card_number")
        return rng.choice(HN_KEYS[v.entity])
    if v.entity == "DB_CONNECTION_STRING":
        scheme = v.text.split(":", 1)[0]
        kind = "redis" if scheme == "redis" else "amqp" if scheme == "amqp" else \
            "mongodb" if scheme.startswith("mongodb") else "sql"
        return rng.choice(CONN_KEYS[kind])
    if v.cls == PREFIXED and rng.random() < 0.12:
        # Sometimes a provider secret sits under a generic name.
        return rng.choice(["api_key", "token", "secret"])
    return rng.choice(ENTITY_KEYS[v.entity])


def items_for(rng: random.Random, values: list[Value], n_filler: tuple[int, int]) -> list[Item]:
    items = [Item(key_for(rng, v), v) for v in values]
    for k, raw, quoted in rng.sample(FILLER_KV, rng.randint(*n_filler)):
        items.append(Item(k, None, raw, quoted))
    rng.shuffle(items)
    return items


def put_value(doc: Doc, item: Item, ctx: str = "key", text: str | None = None) -> None:
    if item.value is None:
        doc.add(item.raw if text is None else text)
    else:
        doc.val(item.value, ctx, text)


def fill_kw(rng: random.Random, v: Value | None) -> dict:
    p = v.meta.get("person") if v is not None and "person" in v.meta else V.person(rng)
    brand = (v.meta.get("brand") if v is not None else None) or "card"
    return {
        "name": p.display, "first": p.display.split(" ")[0], "emoji": rng.choice(EMOJI),
        "exp": "%02d/%02d" % (rng.randint(1, 12), rng.randint(25, 31)), "cvv": "%03d" % rng.randint(100, 999),
        "brand": {"visa": "Visa", "mastercard": "Mastercard", "amex": "Amex", "discover": "Discover",
                  "jcb": "JCB"}.get(brand, "card"),
        "bank": rng.choice(["Deutsche Bank", "Barclays", "BNP Paribas", "ING", "Revolut", "N26", "Rabobank"]),
        "bic": rng.choice(["DEUTDEFF", "BARCGB22", "BNPAFRPP", "INGBNL2A", "REVOLT21", "NTSBDEB1"]),
        "bank_us": rng.choice(["Chase", "Wells Fargo", "Bank of America", "Citi", "US Bank"]),
        "last4": "%04d" % rng.randint(0, 9999),
        "date": "%d %s" % (rng.randint(1, 28), rng.choice(["March", "April", "June", "Sept", "Nov"])),
        "dob": "%02d/%02d/%d" % (rng.randint(1, 28), rng.randint(1, 12), rng.randint(1950, 2003)),
        "user": rng.choice(["admin", "jsmith", "ops", "root", "m.rossi"]),
        "provider": PROVIDER.get(v.entity, "API") if v is not None else "API",
    }


def prose_sentence(doc: Doc, rng: random.Random, v: Value) -> None:
    """One sentence that mentions ``v`` (planted or hard negative)."""
    kw = fill_kw(rng, v)
    if v.is_hardneg:
        doc.fmt(rng.choice(HN_PROSE[v.entity]), v, **kw)
        return
    if v.entity == "PRIVATE_KEY":
        doc.add(rng.choice(["Here's the key file I'm using:\n\n", "This is the deploy key from the server:\n\n",
                            "ssh keeps saying 'invalid format' for this key:\n\n"]))
        doc.val(v, "phrase")
        doc.add("\n\n" + rng.choice(["What's wrong with it?", "Can you tell which format this is?",
                                      "Is it safe to paste it here?"]))
        return
    with_ctx, without = PREFIXED_PROSE if v.cls == PREFIXED else PROSE[v.entity]
    if v.entity == "JWT":
        with_ctx = ["Decode this JWT for me: {v}", "Authorization: Bearer {v}",
                    "The id_token is {v} — why is exp in the past?"]
    use_ctx = not without or rng.random() < (0.5 if v.cls in (EMAIL, PHONE, PREFIXED) else 0.8)
    doc.fmt(rng.choice(with_ctx if use_ctx else without), v, "phrase" if use_ctx else "none", **kw)


# --------------------------------------------------------------------------------------------------
# Structured blocks
# --------------------------------------------------------------------------------------------------

def pem_text(item: Item, mode: str, indent: str = "") -> str:
    lines = item.value.meta["pem_lines"]
    if mode == "escaped":
        return "\\n".join(lines)
    if mode == "indented":
        return ("\n" + indent).join(lines)
    return "\n".join(lines)


def block_env(doc: Doc, rng: random.Random, items: list[Item]) -> None:
    doc.add(rng.choice(["# .env.production\n", "# local dev settings — DO NOT COMMIT\n", "# generated by setup.sh\n", ""]))
    for it in items:
        k = style_key(it.key, "upper")
        if it.is_pem:
            if rng.random() < 0.6:
                doc.add(f'{k}="')
                put_value(doc, it, text=pem_text(it, "raw"))
                doc.add('"\n')
            else:
                doc.add(f'{k}="')
                put_value(doc, it, text=pem_text(it, "escaped"))
                doc.add('"\n')
            continue
        q = '"' if (it.value is not None and rng.random() < 0.3) else ""
        doc.add(f"{k}={q}")
        put_value(doc, it)
        doc.add(f"{q}\n")
        if rng.random() < 0.1:
            doc.add("\n# " + rng.choice(["payments", "mail", "monitoring", "third-party APIs"]) + "\n")


def _yaml_scalar(doc: Doc, rng: random.Random, it: Item, indent: str) -> None:
    if it.is_pem:
        doc.add("|\n" + indent + "  ")
        put_value(doc, it, text=pem_text(it, "indented", indent + "  "))
        doc.add("\n")
        return
    needs_quote = it.value is not None and (it.value.cls in (GENERIC, None) or rng.random() < 0.5)
    if it.value is None:
        needs_quote = it.quoted and rng.random() < 0.3
    q = rng.choice(['"', "'"]) if needs_quote else ""
    doc.add(q)
    put_value(doc, it)
    doc.add(q + "\n")


def block_yaml_k8s_secret(doc, rng, items):
    app = rng.choice(APPS)
    doc.add(f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: {app}-secrets\n  namespace: "
            f"{rng.choice(['prod', 'staging', 'default', 'payments'])}\n  labels:\n    app: {app}\ntype: Opaque\n"
            "stringData:\n")
    style = rng.choice(["upper", "snake", "kebab"])
    for it in items:
        doc.add(f"  {style_key(it.key, style)}: ")
        _yaml_scalar(doc, rng, it, "  ")


def block_yaml_k8s_deploy(doc, rng, items):
    app = rng.choice(APPS)
    doc.add(f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {app}\nspec:\n  replicas: {rng.randint(1, 4)}\n"
            f"  selector:\n    matchLabels:\n      app: {app}\n  template:\n    metadata:\n      labels:\n        app: {app}\n"
            f"    spec:\n      containers:\n        - name: {app}\n          image: ghcr.io/acme/{app}:latest\n"
            "          env:\n")
    for it in items:
        doc.add(f"            - name: {style_key(it.key, 'upper')}\n              value: ")
        _yaml_scalar(doc, rng, it, "              ")


def block_yaml_compose(doc, rng, items):
    app = rng.choice(APPS)
    doc.add(f'services:\n  {app}:\n    image: acme/{app}:latest\n    ports:\n      - "8080:8080"\n'
            "    depends_on:\n      - db\n    environment:\n")
    list_form = rng.random() < 0.5 and not any(it.is_pem for it in items)
    for it in items:
        k = style_key(it.key, "upper")
        if list_form:
            doc.add(f"      - {k}=")
            put_value(doc, it)
            doc.add("\n")
        else:
            doc.add(f"      {k}: ")
            _yaml_scalar(doc, rng, it, "      ")
    doc.add("  db:\n    image: postgres:16\n    volumes:\n      - pgdata:/var/lib/postgresql/data\nvolumes:\n  pgdata:\n")


def block_yaml_gha(doc, rng, items):
    doc.add("name: Deploy\non:\n  push:\n    branches: [main]\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    env:\n")
    for it in items:
        doc.add(f"      {style_key(it.key, 'upper')}: ")
        _yaml_scalar(doc, rng, it, "      ")
    doc.add("    steps:\n      - uses: actions/checkout@v4\n      - uses: actions/setup-node@v4\n        with:\n"
            "          node-version: 20\n      - run: npm ci\n      - name: Deploy\n        run: ./scripts/deploy.sh\n")


def block_yaml_app(doc, rng, items):
    doc.add(f"# config/{rng.choice(['production', 'application', 'settings'])}.yml\n"
            f"{rng.choice(['app', 'service', 'settings'])}:\n")
    for it in items:
        doc.add(f"  {it.key}: ")
        _yaml_scalar(doc, rng, it, "  ")


def block_json(doc, rng, items):
    style = rng.choice(["camel", "snake"])
    nested = rng.random() < 0.4
    ind = "    " if nested else "  "
    doc.add("{\n")
    if nested:
        doc.add(f'  "name": "{rng.choice(APPS)}",\n  "{rng.choice(["config", "settings", "integrations"])}": {{\n')
    for i, it in enumerate(items):
        comma = "," if i < len(items) - 1 else ""
        doc.add(f'{ind}"{style_key(it.key, style)}": ')
        if it.value is None and not it.quoted:
            doc.add(it.raw + comma + "\n")
            continue
        doc.add('"')
        put_value(doc, it, text=pem_text(it, "escaped") + "\\n" if it.is_pem else None)
        doc.add('"' + comma + "\n")
    doc.add("  }\n}\n" if nested else "}\n")


def block_toml(doc, rng, items):
    doc.add(f"[{rng.choice(['app', 'service', 'secrets', 'default'])}]\n")
    for it in items:
        doc.add(f"{it.key} = ")
        if it.is_pem:
            doc.add('"""\n')
            put_value(doc, it, text=pem_text(it, "raw"))
            doc.add('\n"""\n')
        elif it.value is None and not it.quoted:
            doc.add(it.raw + "\n")
        else:
            doc.add('"')
            put_value(doc, it)
            doc.add('"\n')


def block_python(doc, rng, items):
    secrets = [it for it in items if it.value is None or it.value.cls not in (EMAIL, PHONE, IDS)]
    pii = [it for it in items if it not in secrets]
    doc.add("import os\nimport requests\n\n")
    for it in secrets:
        doc.add(f"{style_key(it.key, 'upper')} = ")
        if it.is_pem:
            doc.add('"""')
            put_value(doc, it, text=pem_text(it, "raw"))
            doc.add('\n"""\n')
        elif it.value is None and not it.quoted:
            doc.add(it.raw + "\n")
        else:
            q = rng.choice(['"', "'"])
            doc.add(q)
            put_value(doc, it)
            doc.add(q + "\n")
    if pii:
        doc.add("\n# TODO: move to fixtures/customers.json\nTEST_CUSTOMERS = [\n    {\n")
        doc.add(f'        "name": "{V.person(rng).display}",\n')
        for it in pii:
            doc.add(f'        "{it.key}": "')
            put_value(doc, it)
            doc.add('",\n')
        doc.add("    },\n]\n")
    doc.add(rng.choice([
        "\n\ndef fetch_orders(since):\n    resp = requests.get(\n        BASE_URL + \"/orders\",\n"
        "        params={\"since\": since},\n        timeout=30,\n    )\n    resp.raise_for_status()\n"
        "    return resp.json()[\"data\"]\n",
        "\n\ndef main():\n    client = Client(timeout=10)\n    for row in client.list_customers():\n"
        "        print(row[\"id\"], row[\"status\"])\n\n\nif __name__ == \"__main__\":\n    main()\n",
        "\n\nclass Settings:\n    debug = False\n    allowed_hosts = [\"*\"]\n",
    ]))


def block_js(doc, rng, items):
    if rng.random() < 0.5:
        doc.add("const config = {\n")
        for it in items:
            doc.add(f"  {style_key(it.key, 'camel')}: ")
            if it.is_pem:
                doc.add("`")
                put_value(doc, it, text=pem_text(it, "raw"))
                doc.add("`,\n")
            elif it.value is None and not it.quoted:
                doc.add(it.raw + ",\n")
            else:
                q = rng.choice(['"', "'"])
                doc.add(q)
                put_value(doc, it)
                doc.add(q + ",\n")
        doc.add("};\n\nmodule.exports = config;\n")
    else:
        for it in items:
            doc.add(f"const {style_key(it.key, rng.choice(['upper', 'camel']))} = ")
            if it.is_pem:
                doc.add("`")
                put_value(doc, it, text=pem_text(it, "raw"))
                doc.add("`;\n")
            elif it.value is None and not it.quoted:
                doc.add(it.raw + ";\n")
            else:
                doc.add("'")
                put_value(doc, it)
                doc.add("';\n")
        doc.add("\nasync function sync() {\n  const res = await fetch(`${BASE}/v1/sync`, { method: 'POST' });\n"
                "  if (!res.ok) throw new Error(`sync failed: ${res.status}`);\n  return res.json();\n}\n")


def block_go(doc, rng, items):
    doc.add('package main\n\nimport (\n\t"fmt"\n\t"net/http"\n)\n\nconst (\n')
    for it in items:
        doc.add(f"\t{camel(it.key)} = ")
        if it.is_pem:
            doc.add("`")
            put_value(doc, it, text=pem_text(it, "raw"))
            doc.add("`\n")
        elif it.value is None and not it.quoted:
            doc.add(it.raw + "\n")
        else:
            doc.add('"')
            put_value(doc, it)
            doc.add('"\n')
    doc.add(')\n\nfunc main() {\n\tresp, err := http.Get("https://api.acme-corp.com/health")\n\tif err != nil {\n'
            '\t\tpanic(err)\n\t}\n\tfmt.Println(resp.Status)\n}\n')


def block_rust(doc, rng, items):
    for it in items:
        k = style_key(it.key, "upper")
        if it.value is None and not it.quoted:
            ty = "f64" if "." in it.raw else "bool" if it.raw in ("true", "false") else "u32"
            doc.add(f"const {k}: {ty} = {it.raw};\n")
            continue
        doc.add(f"const {k}: &str = ")
        if it.is_pem:
            doc.add('r#"')
            put_value(doc, it, text=pem_text(it, "raw"))
            doc.add('"#;\n')
        else:
            doc.add('"')
            put_value(doc, it)
            doc.add('";\n')
    doc.add("\nfn main() -> anyhow::Result<()> {\n    let client = reqwest::blocking::Client::new();\n"
            "    let res = client.get(\"https://api.acme-corp.com/v1/me\").send()?;\n"
            "    println!(\"{}\", res.status());\n    Ok(())\n}\n")


LOG_MSG = {
    EMAIL: ["user={v} action=login status=failed reason=bad_password", "failed to deliver mail to <{v}>: 550 mailbox unavailable",
            "password reset requested for {v}"],
    PHONE: ["sms dispatch to={v} provider=twilio status=queued", "callback requested phone={v}"],
    "CREDIT_CARD": ["payment declined card={v} code=do_not_honor", "charge created card={v} amount=49.00 EUR"],
    IDS: ["record updated {key}={v}", "validation error field={key} value={v}", "kyc check {key}={v} result=pending"],
    PREFIXED: ["outgoing request headers={{'Authorization': 'Bearer {v}'}}", "loaded credentials token={v}",
               "config dump: api_key={v}"],
    GENERIC: ["config dump: {key}={v}", "connecting with {key}={v}", "auth ok secret={v}"],
    None: ["{key}={v}"],
}


def block_log(doc, rng, items):
    import datetime as _dt
    epoch = rng.randint(1_650_000_000, 1_760_000_000)
    levels = ["INFO", "INFO", "DEBUG", "WARN", "ERROR"]
    req = V.hn_uuid(rng)
    for i, it in enumerate(items):
        epoch += rng.randint(0, 40)
        ts = _dt.datetime.fromtimestamp(epoch, _dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + \
            ".%03dZ" % rng.randint(0, 999)
        doc.val(Value(ts, "timestamp", None), "none")
        doc.add(f" {rng.choice(levels):5} [{rng.choice(APPS)}] ")
        if i == 0:
            doc.add("req=")
            doc.val(req)
            doc.add(" ")
        if it.value is None:
            doc.add(f"{it.key}={it.raw}\n")
            continue
        if it.is_pem:
            doc.add("loaded signing key:\n")
            doc.val(it.value, "phrase")
            doc.add("\n")
            continue
        if it.value.entity == "DB_CONNECTION_STRING":
            doc.fmt("db connect failed url={v} err=timeout\n", it.value, "key")
            continue
        tmpl = rng.choice(LOG_MSG.get(it.value.entity) or LOG_MSG.get(it.value.cls) or LOG_MSG[None])
        doc.fmt(tmpl + "\n", it.value, "key", key=it.key)


def block_sql(doc, rng, items):
    rows = [it for it in items if it.value is not None and it.value.cls in (EMAIL, PHONE, IDS, None)
            and not (it.value.is_hardneg and it.value.entity == "placeholder")]
    stmts = [it for it in items if it not in rows and it.value is not None]
    if rows:
        cols = ["id", "full_name"] + [it.key for it in rows]
        doc.add(f"INSERT INTO customers ({', '.join(cols)})\nVALUES ({rng.randint(1000, 99999)}, "
                f"'{V.person(rng).display.replace(chr(39), chr(39) * 2)}'")
        for it in rows:
            doc.add(", '")
            put_value(doc, it)
            doc.add("'")
        doc.add(");\n")
    for it in stmts:
        v = it.value
        if v.entity == "PASSWORD":
            doc.add(rng.choice(["CREATE USER reporting WITH PASSWORD '", "ALTER USER app WITH PASSWORD '",
                                "ALTER USER 'etl'@'%' IDENTIFIED BY '"]))
            put_value(doc, it)
            doc.add("';\n")
        elif it.is_pem:
            doc.add("INSERT INTO tls_certs (name, private_key) VALUES ('api-gateway', '")
            put_value(doc, it, text=pem_text(it, "raw"))
            doc.add("');\n")
        else:
            doc.add(f"UPDATE integrations SET {it.key} = '")
            put_value(doc, it)
            doc.add(f"' WHERE id = {rng.randint(1, 40)};\n")
    if not items or rng.random() < 0.5:
        doc.add("SELECT id, status, created_at FROM orders WHERE status = 'failed' ORDER BY created_at DESC LIMIT 20;\n")


def block_curl(doc, rng, items):
    host = rng.choice(["api.acme-corp.com", "api.globex.io", "hooks.initech.co"])
    doc.add(f"curl -X POST https://{host}/v1/{rng.choice(['customers', 'charges', 'messages', 'sync'])} \\\n")
    body = []
    headers = ["X-Api-Key", "X-Auth-Token", "X-Client-Secret", "X-Service-Key"]
    bearer_used = False
    for it in items:
        v = it.value
        if v is not None and v.cls == PREFIXED and not it.is_pem and not bearer_used and (
                v.entity == "JWT" or rng.random() < 0.5):
            bearer_used = True
            doc.add('  -H "Authorization: Bearer ')
            put_value(doc, it)
            doc.add('" \\\n')
        elif v is not None and v.cls in (PREFIXED, GENERIC) and not it.is_pem and v.entity in (
                "GENERIC_SECRET",) + V.PREFIXED_ENTITIES:
            name = headers.pop(0) if len(headers) > 1 else headers[0]
            doc.add(f'  -H "{name}: ')
            put_value(doc, it)
            doc.add('" \\\n')
        elif v is not None and v.is_hardneg and v.entity == "uuid":
            doc.add('  -H "Idempotency-Key: ')
            put_value(doc, it)
            doc.add('" \\\n')
        else:
            body.append(it)
    doc.add('  -H "Content-Type: application/json" \\\n  -d \'{')
    for i, it in enumerate(body):
        doc.add(("" if i == 0 else ", ") + f'"{it.key}": ')
        if it.value is None and not it.quoted:
            doc.add(it.raw)
            continue
        doc.add('"')
        put_value(doc, it, text=pem_text(it, "escaped") if it.is_pem else None)
        doc.add('"')
    doc.add("}'\n")


BLOCKS = {
    "env": (block_env, "bash", 12), "yaml_k8s_secret": (block_yaml_k8s_secret, "yaml", 6),
    "yaml_k8s_deploy": (block_yaml_k8s_deploy, "yaml", 6), "yaml_compose": (block_yaml_compose, "yaml", 7),
    "yaml_gha": (block_yaml_gha, "yaml", 5), "yaml_app": (block_yaml_app, "yaml", 4), "json": (block_json, "json", 10),
    "toml": (block_toml, "toml", 3), "python": (block_python, "python", 10), "js": (block_js, "javascript", 9),
    "go": (block_go, "go", 5), "rust": (block_rust, "rust", 5), "log": (block_log, "", 9), "sql": (block_sql, "sql", 6),
    "curl": (block_curl, "bash", 5),
}
CONFIG_BLOCKS = {"env", "yaml_k8s_secret", "yaml_k8s_deploy", "yaml_compose", "yaml_gha", "yaml_app", "json", "toml",
                 "curl"}
CODE_BLOCKS = {"python", "js", "go", "rust"}

CLASS_WEIGHTS = {
    "prose": {EMAIL: 24, PHONE: 24, IDS: 42, PREFIXED: 6, GENERIC: 4},
    "tabular": {EMAIL: 30, PHONE: 25, IDS: 45, PREFIXED: 0, GENERIC: 0},
    "config": {EMAIL: 8, PHONE: 3, IDS: 3, PREFIXED: 46, GENERIC: 40},
    "code": {EMAIL: 8, PHONE: 4, IDS: 10, PREFIXED: 40, GENERIC: 38},
    "log": {EMAIL: 25, PHONE: 12, IDS: 18, PREFIXED: 25, GENERIC: 20},
    "sql": {EMAIL: 22, PHONE: 15, IDS: 38, PREFIXED: 8, GENERIC: 17},
}

DEBUG_INTROS = [
    "Can you help me debug this? The service won't start and I can't see why.\n\n",
    "Why is this config not being picked up in production?\n\n",
    "Here's my setup, what am I doing wrong? {emoji}\n\n",
    "Please review this before I open the PR:\n\n",
    "Getting 401 Unauthorized with the following. Any idea?\n\n",
    "Convert this to {target} for me:\n\n",
    "I keep getting a timeout when deploying. Relevant bits:\n\n",
    "Can you explain what this does line by line?\n\n",
    "Bitte hilf mir, diesen Fehler zu finden:\n\n",
    "请帮我看看这个配置有什么问题：\n\n",
    "Add error handling and logging to this:\n\n",
]
DEBUG_OUTROS = [
    "\nThanks!", "\nWhat should I change?", "\nIs there a cleaner way to do this?", "",
    "\nIt worked yesterday, nothing changed on our side {emoji}", "\nThe error is: connection reset by peer.",
    "\nCan you also add comments?",
]


# --------------------------------------------------------------------------------------------------
# Prompt templates
# --------------------------------------------------------------------------------------------------

def t_block(doc, rng, values, kind: str, bare: bool) -> None:
    fn, lang, _ = BLOCKS[kind]
    if not bare:
        intro = rng.choice(DEBUG_INTROS).format(emoji=rng.choice(EMOJI),
                                                target=rng.choice(["YAML", "TypeScript", "a .env file", "Go"]))
        doc.add(intro)
    fenced = not bare and rng.random() < 0.75
    if fenced:
        doc.add(f"```{lang}\n")
    fn(doc, rng, items_for(rng, values, (1, 5)))
    if fenced:
        doc.add("```\n")
    if not bare:
        doc.add(rng.choice(DEBUG_OUTROS).format(emoji=rng.choice(EMOJI)))
    elif rng.random() < 0.4:
        doc.add(rng.choice(["\nfix this", "\nwhat's wrong", "\n???", "\nexplain"]))


def _sentences(doc, rng, values, sep=" ", fillers=(1, 3)) -> None:
    parts: list = list(values) + rng.sample(FILLER_SENTENCES, rng.randint(*fillers))
    rng.shuffle(parts)
    for i, p in enumerate(parts):
        if i:
            # After a sentence that ends in a value (no closing punctuation) people usually break the line.
            prev = doc.parts[-1][0] if doc.parts else ""
            doc.add(sep if sep != " " or prev[-1:] in ".!?。！？)»\"…🙏😅🚀👍🔥😭✅🤔💳📎🎉😬🏖️" else "\n")
        if isinstance(p, str):
            doc.add(p)
        else:
            prose_sentence(doc, rng, p)


def t_chat(doc, rng, values) -> None:
    kind = rng.randrange(6)
    if kind == 0:
        doc.add("Can you help me write a reply to this customer? Here's what they sent:\n\n\"")
        _sentences(doc, rng, values)
        doc.add("\"\n\nKeep it short and friendly.")
    elif kind == 1:
        doc.add("Please summarize the following notes from today's call:\n\n- ")
        _sentences(doc, rng, values, sep="\n- ", fillers=(2, 4))
        doc.add("\n")
    elif kind == 2:
        doc.add(f"Translate this into {rng.choice(['German', 'French', 'Spanish', 'Japanese', 'English'])} please:\n\n")
        _sentences(doc, rng, values)
    elif kind == 3:
        doc.add("Rewrite this to sound more professional: ")
        _sentences(doc, rng, values)
    elif kind == 4:
        doc.add("Is this message a phishing attempt? I got it this morning:\n\n> ")
        _sentences(doc, rng, values, sep="\n> ")
        doc.add("\n\nShould I report it?")
    else:
        _sentences(doc, rng, values, fillers=(0, 2))
        doc.add(" " + rng.choice(["Can you fill in the form for me?", "What do I do now?", "Help!",
                                  "Please double-check these details."]))


def t_email(doc, rng, values) -> None:
    emails = [v for v in values if v.entity == "EMAIL_ADDRESS"]
    rest = [v for v in values if v not in emails]
    sender = emails[0].meta["person"] if emails else V.person(rng)
    to = V.person(rng)
    if rng.random() < 0.6:
        doc.add(rng.choice(["Help me polish this email:\n\n", "Can you make this email clearer?\n\n",
                            "Fix the grammar in this please:\n\n"]))
    doc.add(f"Subject: {rng.choice(['Refund for order', 'Updated bank details', 'Patient referral', 'Access request', 'Onboarding paperwork', 'Re: invoice question'])}\n")
    if emails:
        doc.add(f"From: {sender.display} <")
        doc.val(emails[0], "phrase")
        doc.add(">\n")
    for e in emails[1:]:
        doc.add("Cc: ")
        doc.val(e, "phrase")
        doc.add("\n")
    doc.add(f"\nHi {to.display.split(' ')[0]},\n\n")
    _sentences(doc, rng, rest, fillers=(1, 3))
    doc.add(f"\n\n{rng.choice(['Best', 'Thanks', 'Kind regards', 'Cheers', 'Viele Grüße'])},\n{sender.display}\n")


TICKET_LABELS = {
    "EMAIL_ADDRESS": ["Email", "E-mail", "Contact"], "PHONE_NUMBER": ["Phone", "Callback number", "Mobile"],
    "CREDIT_CARD": ["Card on file", "Card number", "Payment card"], "IBAN_CODE": ["IBAN", "Refund IBAN"],
    "UK_NHS": ["NHS number"], "CA_SIN": ["SIN"], "IN_AADHAAR": ["Aadhaar"], "BR_CPF": ["CPF"],
    "DE_TAX_ID": ["Steuer-ID"], "NL_BSN": ["BSN"], "ES_NIF": ["DNI"], "IT_FISCAL_CODE": ["Codice fiscale"],
    "FR_NIR": ["N° sécurité sociale"], "PL_PESEL": ["PESEL"], "ABA_ROUTING_NUMBER": ["Routing number"],
    "US_NPI": ["Provider NPI"], "US_SSN": ["SSN", "Social Security Number"],
}


def _field_lines(doc, rng, values):
    rest = []
    for v in values:
        labels = TICKET_LABELS.get(v.entity)
        if labels is None or rng.random() < 0.15:
            rest.append(v)
            continue
        doc.add(f"{rng.choice(labels)}: ")
        doc.val(v, "phrase")
        doc.add("\n")
    return rest


def t_ticket(doc, rng, values) -> None:
    p = next((v.meta["person"] for v in values if "person" in v.meta), None) or V.person(rng)
    doc.add(f"Ticket #{rng.randint(10000, 99999)} | Priority: {rng.choice(['High', 'Normal', 'Urgent'])} | "
            f"Channel: {rng.choice(['phone', 'email', 'chat'])}\nCustomer: {p.display} ({rng.choice(COMPANIES)})\n")
    pii = [v for v in values if not v.is_hardneg and v.cls in (EMAIL, PHONE, IDS)]
    rest = _field_lines(doc, rng, pii) + [v for v in values if v not in pii]
    doc.add("Description:\n")
    _sentences(doc, rng, rest, fillers=(1, 3))
    doc.add("\n\n" + rng.choice(["Draft a response to the customer.", "Which team should this go to?",
                                  "Summarize the issue in one line.", "Categorise this ticket."]))


def t_record(doc, rng, values) -> None:
    p = next((v.meta["person"] for v in values if "person" in v.meta), None) or V.person(rng)
    doc.add(rng.choice(["Here's the intake form, please check it for missing fields:\n\n",
                        "Fill in the remaining fields of this onboarding record:\n\n",
                        "Format this as a table:\n\n"]))
    doc.add(f"Name: {p.display}\nDate of birth: {fill_kw(rng, None)['dob']}\nCity: {rng.choice(CITIES)}\n")
    rest = _field_lines(doc, rng, [v for v in values if not v.is_hardneg])
    rest += [v for v in values if v.is_hardneg]
    if rest:
        doc.add("Notes: ")
        _sentences(doc, rng, rest, fillers=(0, 1))
        doc.add("\n")


CSV_HEADERS = {
    "EMAIL_ADDRESS": ["email", "Email", "e_mail"], "PHONE_NUMBER": ["phone", "Phone", "mobile"],
    "CREDIT_CARD": ["card_number", "Card Number"], "IBAN_CODE": ["iban", "IBAN"], "UK_NHS": ["nhs_number", "NHS Number"],
    "CA_SIN": ["sin", "SIN"], "IN_AADHAAR": ["aadhaar", "Aadhaar No"], "BR_CPF": ["cpf", "CPF"],
    "DE_TAX_ID": ["steuer_id", "Steuer-ID"], "NL_BSN": ["bsn", "BSN"], "ES_NIF": ["dni", "DNI"],
    "IT_FISCAL_CODE": ["codice_fiscale", "Codice Fiscale"], "FR_NIR": ["nir", "NIR"], "PL_PESEL": ["pesel", "PESEL"],
    "ABA_ROUTING_NUMBER": ["routing_number", "ABA Routing"], "US_NPI": ["npi", "NPI"], "US_SSN": ["ssn", "SSN"],
}


def t_csv(doc, rng, values, gen_value) -> list[Value]:
    """CSV with one or two sensitive columns; returns every value written (more rows than ``values``)."""
    cols = []
    for v in values:
        if not v.is_hardneg and v.entity not in [c.entity for c in cols]:
            cols.append(v)
    cols = cols[:2]
    if not cols:
        n_rows = rng.randint(2, 4)
    else:
        n_rows = 2 if len(cols) == 2 else rng.randint(2, 4)
    hn_col = None
    hn = [v for v in values if v.is_hardneg and v.entity in ("order_number", "timestamp", "uuid")]
    if hn:
        hn_col = hn[0].entity
    headers = ["customer_id", "name", "city"] + [rng.choice(CSV_HEADERS[c.entity]) for c in cols]
    if hn_col:
        headers.append({"order_number": "last_order", "timestamp": "created_at", "uuid": "account_uuid"}[hn_col])
    headers.append("plan")
    doc.add(rng.choice(["Clean up this CSV and find duplicates:\n\n", "Which of these customers are in Germany?\n\n",
                        "Convert this CSV to JSON:\n\n", "Sort this by city:\n\n", ""]))
    fenced = rng.random() < 0.5
    if fenced:
        doc.add("```csv\n")
    doc.add(",".join(headers) + "\n")
    written = []
    for r in range(n_rows):
        if cols and r == 0:
            row_vals = list(cols)
        else:
            row_vals = [gen_value(c.entity) for c in cols]
        p = next((v.meta["person"] for v in row_vals if "person" in v.meta), None) or V.person(rng)
        doc.add(f"C-{rng.randint(10000, 99999)},{p.display},{rng.choice(CITIES)}")
        for v in row_vals:
            doc.add(",")
            doc.val(v, "key")
            written.append(v)
        if hn_col:
            doc.add(",")
            hv = hn[0] if r == 0 else V.make_hardneg(rng, hn_col)
            doc.val(hv)
            written.append(hv)
        doc.add("," + rng.choice(["free", "pro", "enterprise", "trial"]) + "\n")
    if fenced:
        doc.add("```\n")
    return written


MULTI_INTROS = [
    ("de", "Kannst du mir helfen, diese Nachricht an den Kunden zu formulieren? "),
    ("fr", "Peux-tu m'aider à rédiger une réponse à ce client ? "),
    ("es", "¿Puedes ayudarme a responder a este cliente? "),
    ("pt", "Você pode me ajudar a responder este cliente? "),
    ("pl", "Czy możesz pomóc mi odpowiedzieć temu klientowi? "),
    ("zh", "你能帮我回复这位客户吗？"),
    ("ja", "このお客様への返信を手伝ってもらえますか？"),
    ("hi", "क्या आप इस ग्राहक को जवाब देने में मेरी मदद कर सकते हैं? "),
    ("nl", "Kun je me helpen deze klant te antwoorden? "),
]


def t_multilingual(doc, rng, values) -> None:
    _, intro = rng.choice(MULTI_INTROS)
    doc.add(intro + rng.choice(EMOJI) + "\n\n")
    _sentences(doc, rng, values, fillers=(1, 2))
    doc.add("\n")


TEMPLATES = {  # name: (weight, family)
    "chat": (14, "prose"), "email": (11, "prose"), "ticket": (9, "prose"), "record": (5, "tabular"),
    "csv": (8, "tabular"), "multilingual": (5, "prose"), "debug_block": (33, None), "bare_block": (15, None),
}
N_PLANTS_WEIGHTS = [14, 30, 26, 17, 13]
N_HARDNEG_WEIGHTS = [35, 35, 20, 10]


def _family_of_block(kind: str) -> str:
    if kind in CONFIG_BLOCKS:
        return "config"
    if kind in CODE_BLOCKS:
        return "code"
    return kind  # log, sql


def generate_prompt(rng: random.Random) -> tuple[bytes, list[dict], str]:
    names = list(TEMPLATES)
    tname = rng.choices(names, [TEMPLATES[n][0] for n in names])[0]
    family = TEMPLATES[tname][1]
    block_kind = None
    if family is None:
        kinds = list(BLOCKS)
        block_kind = rng.choices(kinds, [BLOCKS[k][2] for k in kinds])[0]
        family = _family_of_block(block_kind)
    cw = CLASS_WEIGHTS[family]
    classes = [c for c in V.CLASSES if cw[c] > 0]
    n = rng.choices(range(5), N_PLANTS_WEIGHTS)[0]
    values: list[Value] = []
    for _ in range(n):
        cls = rng.choices(classes, [cw[c] for c in classes])[0]
        values.append(V.make(rng, V.pick_entity(rng, cls)))
    n_hn = rng.choices(range(4), N_HARDNEG_WEIGHTS)[0]
    for _ in range(n_hn):
        hv = V.make_hardneg(rng)
        if family == "tabular" and hv.entity in ("placeholder", "version"):
            continue
        values.append(hv)
    rng.shuffle(values)
    doc = Doc()
    if tname in ("debug_block", "bare_block"):
        t_block(doc, rng, values, block_kind, tname == "bare_block")
        tname = f"{tname}:{block_kind}"
    elif tname == "csv":
        t_csv(doc, rng, values, lambda e: V.make(rng, e))
    else:
        {"chat": t_chat, "email": t_email, "ticket": t_ticket, "record": t_record,
         "multilingual": t_multilingual}[tname](doc, rng, values)
    data, labels = doc.build()
    return data, labels, tname


def generate_corpus(out_dir: str, n_prompts: int, seed: int) -> dict:
    """Write ``n_prompts`` prompt files under ``out_dir/synthetic`` and ``out_dir/labels.jsonl``."""
    rng = random.Random(seed)
    syn = os.path.join(out_dir, "synthetic")
    os.makedirs(syn, exist_ok=True)
    n_labels = 0
    n_bytes = 0
    per_template: dict[str, int] = {}
    with open(os.path.join(out_dir, "labels.jsonl"), "w", encoding="utf-8") as lf:
        for i in range(n_prompts):
            data, labels, tname = generate_prompt(rng)
            rel = f"synthetic/p{i:05d}.txt"
            with open(os.path.join(out_dir, rel), "wb") as f:
                f.write(data)
            n_bytes += len(data)
            per_template[tname.split(":")[0]] = per_template.get(tname.split(":")[0], 0) + 1
            for lab in labels:
                lab = {"file": rel, **lab, "template": tname}
                lf.write(json.dumps(lab, ensure_ascii=False) + "\n")
                n_labels += 1
    manifest = {"generator_version": GENERATOR_VERSION, "seed": seed, "prompts": n_prompts, "labels": n_labels,
                "bytes": n_bytes, "templates": dict(sorted(per_template.items()))}
    with open(os.path.join(out_dir, "manifest.json"), "w", encoding="utf-8") as f:
        json.dump(manifest, f, indent=2, sort_keys=True)
    return manifest


def load_labels(out_dir: str) -> list[dict]:
    with open(os.path.join(out_dir, "labels.jsonl"), encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]
