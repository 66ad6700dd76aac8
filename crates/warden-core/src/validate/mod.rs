//! Validators: checksum and structure checks that turn a pattern match into a high-confidence finding.
//!
//! A rule names a validator (`validator = "iban"`); the scanner calls [`Validator::check`] with the
//! matched text and drops the match when it fails. Every validator is pure, allocation-light, never
//! panics, and answers `false` for anything it cannot read (non-ASCII input, wrong length, stray
//! characters). Each one strips only the separators its format allows (usually spaces, dashes and
//! dots). The families live in submodules:
//!
//! * `checksum`: Luhn, Verhoeff, ISO 7064 and mod 97 helpers; the `luhn`, `verhoeff`, `imei` validators.
//! * `card`, `iban`: payment cards, bank and securities identifiers.
//! * `gov_*`: national identifiers, grouped by region.
//! * `crypto`, `bip39`: Base58Check, Bech32, Bitcoin and Ethereum addresses, BIP-39 seed phrases.
//! * `network`, `text`: IP and MAC addresses; e-mail, phone, date, letter-and-digit mix.
//! * `document`: PEM blocks, JWTs, passport MRZ lines, VINs.

mod bip39;
mod card;
mod checksum;
mod crypto;
mod document;
mod gov_americas;
mod gov_asia;
mod gov_europe;
mod gov_north_europe;
mod gov_oceania_africa;
mod gov_uk;
mod gov_us;
mod iban;
mod network;
mod text;
mod util;

pub use document::pem_block_end;
// Check-digit arithmetic, also used to make surrogate values that pass these validators.
pub(crate) use checksum::{luhn_sum, mod97};

/// Longest value (in bytes) any validator looks at; longer values fail. Patterns are bounded to
/// 4,096 bytes, so this only guards against callers passing whole documents.
const MAX_VALUE_LEN: usize = 16 * 1024;

/// Declares the validator enum, its rule-file names and its check functions in one table, so the
/// three can never drift apart.
macro_rules! validators {
    ($( $(#[doc = $doc:literal])+ $variant:ident = $name:literal => $check:path; )+) => {
        /// A named validator a rule can ask for.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Validator {
            $( $(#[doc = $doc])+ $variant, )+
        }

        impl Validator {
            /// Every validator, in documentation order.
            pub const ALL: &'static [Validator] = &[ $( Validator::$variant, )+ ];

            /// The rule-file name.
            pub fn name(self) -> &'static str {
                match self {
                    $( Validator::$variant => $name, )+
                }
            }

            /// Runs the check function of this validator on a value of bounded length.
            fn run(self, value: &str) -> bool {
                match self {
                    $( Validator::$variant => $check(value), )+
                }
            }
        }
    };
}

validators! {
    /// Luhn mod 10 over the digits (spaces, dashes and dots allowed).
    Luhn = "luhn" => checksum::luhn;
    /// Payment card number: 12–19 digits, an IIN range valid for that length, Luhn.
    CreditCard = "credit-card" => card::credit_card;
    /// IBAN (ISO 13616): country length and BBAN structure table, mod 97 == 1.
    Iban = "iban" => iban::iban;
    /// US Social Security number: area, group and serial rules, consistent delimiters, samples rejected.
    UsSsn = "us-ssn" => gov_us::us_ssn;
    /// US Individual Taxpayer Identification Number: 9XX with an ITIN group.
    UsItin = "us-itin" => gov_us::us_itin;
    /// ABA routing transit number: 3-7-1 weights and Federal Reserve prefix ranges.
    AbaRouting = "aba-routing" => card::aba_routing;
    /// US National Provider Identifier: Luhn over `80840` and the ten digits.
    UsNpi = "us-npi" => gov_us::us_npi;
    /// US DEA registration number: registrant letters and the DEA check digit.
    UsDea = "us-dea" => gov_us::us_dea;
    /// US Medicare Beneficiary Identifier: character class of each of the 11 positions.
    UsMbi = "us-mbi" => gov_us::us_mbi;
    /// UK NHS number: mod 11 check digit.
    UkNhs = "uk-nhs" => gov_uk::uk_nhs;
    /// UK National Insurance number: prefix letter rules and an A–D suffix.
    UkNino = "uk-nino" => gov_uk::uk_nino;
    /// Verhoeff check digit over the digits.
    Verhoeff = "verhoeff" => checksum::verhoeff;
    /// Indian Aadhaar: 12 digits, first 2–9, Verhoeff, not a palindrome.
    InAadhaar = "in-aadhaar" => gov_asia::in_aadhaar;
    /// Brazilian CPF: two mod-11 check digits, not all one digit.
    BrCpf = "br-cpf" => gov_americas::br_cpf;
    /// Brazilian CNPJ (numeric or the 2026 alphanumeric form): two mod-11 check digits.
    BrCnpj = "br-cnpj" => gov_americas::br_cnpj;
    /// Canadian Social Insurance Number: Luhn, first digit not 0 or 8.
    CaSin = "ca-sin" => gov_americas::ca_sin;
    /// German tax identification number: ISO 7064 mod 11,10 and the digit-repetition rule.
    DeSteuerId = "de-steuer-id" => gov_europe::de_steuer_id;
    /// Dutch citizen service number (BSN): the 11-proof.
    NlBsn = "nl-bsn" => gov_europe::nl_bsn;
    /// Spanish DNI: 8 digits and the mod-23 control letter.
    EsDni = "es-dni" => gov_europe::es_dni;
    /// Spanish NIE: X/Y/Z, 7 digits and the mod-23 control letter.
    EsNie = "es-nie" => gov_europe::es_nie;
    /// Italian codice fiscale: structure, birth date and the check letter (omocodia allowed).
    ItCodiceFiscale = "it-codice-fiscale" => gov_europe::it_codice_fiscale;
    /// French social security number (NIR): 97 − (number mod 97) key, Corsica 2A/2B.
    FrNir = "fr-nir" => gov_europe::fr_nir;
    /// Polish PESEL: birth date and the 1-3-7-9 weighted check digit.
    PlPesel = "pl-pesel" => gov_north_europe::pl_pesel;
    /// Swedish personnummer / samordningsnummer: birth date and Luhn.
    SePersonnummer = "se-personnummer" => gov_north_europe::se_personnummer;
    /// South African ID number: birth date, citizenship digit, Luhn.
    ZaId = "za-id" => gov_oceania_africa::za_id;
    /// IMEI: 15 digits with a Luhn check digit.
    Imei = "imei" => checksum::imei;
    /// Australian tax file number: 9 digits, weighted sum mod 11.
    AuTfn = "au-tfn" => gov_oceania_africa::au_tfn;
    /// Australian business number: weighted sum mod 89.
    AuAbn = "au-abn" => gov_oceania_africa::au_abn;
    /// Australian Medicare card number: 1-3-7-9 weighted check digit.
    AuMedicare = "au-medicare" => gov_oceania_africa::au_medicare;
    /// Chinese resident identity card number: birth date and ISO 7064 mod 11-2.
    CnRic = "cn-ric" => gov_asia::cn_ric;
    /// South Korean resident registration number: birth date and weighted check digit.
    KrRrn = "kr-rrn" => gov_asia::kr_rrn;
    /// Turkish identity number (T.C. Kimlik No.): two check digits.
    TrTckn = "tr-tckn" => gov_asia::tr_tckn;
    /// Chilean RUT/RUN: mod 11 check character (0–9 or K).
    ClRut = "cl-rut" => gov_americas::cl_rut;
    /// Finnish personal identity code (HETU): birth date, century sign, mod 31 check character.
    FiHetu = "fi-hetu" => gov_north_europe::fi_hetu;
    /// Norwegian birth number (fødselsnummer, D-number): birth date and two mod-11 check digits.
    NoFnr = "no-fnr" => gov_north_europe::no_fnr;
    /// Danish CPR number: DDMMYY-SSSS with a real birth date for the century the serial implies.
    DkCpr = "dk-cpr" => gov_north_europe::dk_cpr;
    /// Belgian national register (and BIS) number: birth date and mod 97 check.
    BeNrn = "be-nrn" => gov_europe::be_nrn;
    /// Singapore NRIC/FIN: prefix letter, 7 digits and the check letter (S, T, F, G, M series).
    SgNric = "sg-nric" => gov_asia::sg_nric;
    /// Mexican CURP: structure, birth date, state code and check digit.
    MxCurp = "mx-curp" => gov_americas::mx_curp;
    /// Indian PAN: 5 letters, 4 digits, 1 letter; the 4th letter is a holder type.
    InPan = "in-pan" => gov_asia::in_pan;
    /// Japanese Individual Number (My Number): 12 digits, mod 11 check digit.
    JpMyNumber = "jp-my-number" => gov_asia::jp_my_number;
    /// Israeli identity number (Teudat Zehut): 9 digits, Luhn-style check.
    IlId = "il-id" => gov_asia::il_id;
    /// UK Unique Taxpayer Reference: 10 digits with a leading mod-11 check digit.
    UkUtr = "uk-utr" => gov_uk::uk_utr;
    /// Vehicle identification number (ISO 3779): 17 characters, check digit at position 9.
    Vin = "vin" => document::vin;
    /// Machine-readable zone of a passport or ID card (ICAO 9303): 7-3-1 check digits.
    Mrz = "mrz" => document::mrz;
    /// Base58Check: Base58 decodes and ends in the double SHA-256 checksum.
    Base58Check = "base58check" => crypto::base58check;
    /// Bitcoin address: Base58Check P2PKH/P2SH or a Bech32/Bech32m segwit address.
    BitcoinAddress = "bitcoin-address" => crypto::bitcoin_address;
    /// Ethereum address: `0x` and 40 hex digits, not all zero (EIP-55 case is not checked).
    EthereumAddress = "ethereum-address" => crypto::ethereum_address;
    /// Bech32 or Bech32m string with a valid checksum.
    Bech32 = "bech32" => crypto::bech32;
    /// JSON Web Token: base64url header with `alg` and a JSON object payload.
    Jwt = "jwt" => document::jwt;
    /// PEM `-----BEGIN …-----` line; the scanner grows the finding with [`pem_block_end`].
    PemBlock = "pem-block" => document::pem_block;
    /// BIP-39 mnemonic: 12–24 English-list words with a valid checksum.
    Bip39 = "bip39" => bip39::bip39;
    /// ISIN: country letters, Luhn over the letter-expanded digits.
    Isin = "isin" => card::isin;
    /// CUSIP: double-add-double check digit.
    Cusip = "cusip" => card::cusip;
    /// Legal Entity Identifier (ISO 17442): mod 97 == 1.
    Lei = "lei" => card::lei;
    /// IPv4 address: four octets, not 0.0.0.0 nor 255.255.255.255.
    Ipv4 = "ipv4" => network::ipv4;
    /// A well-formed IPv6 address (not the unspecified address `::`).
    Ipv6 = "ipv6" => network::ipv6;
    /// E-mail address: local part and domain sanity, letters-only TLD.
    Email = "email" => text::email;
    /// Phone number: 7–15 digits, not one repeated digit nor a counting run.
    Phone = "phone" => text::phone;
    /// Calendar date (ISO, dotted or slashed) that exists, years 1900–2099.
    Date = "date" => text::date;
    /// SWIFT/BIC code: 8 or 11 characters with an ISO 3166 country in positions 5–6.
    SwiftBic = "swift-bic" => card::swift_bic;
    /// MAC address: six hex octets, not all zero and not broadcast.
    MacAddress = "mac-address" => network::mac_address;
    /// Contains at least one ASCII letter and one ASCII digit.
    AsciiMix = "ascii-mix" => text::ascii_mix;
}

impl Validator {
    /// The validator with this rule-file name.
    pub fn from_name(name: &str) -> Option<Validator> {
        Validator::ALL.iter().copied().find(|v| v.name() == name)
    }

    /// Whether `value` (the matched text, separators included) passes.
    pub fn check(self, value: &str) -> bool {
        value.len() <= MAX_VALUE_LEN && self.run(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut seen = std::collections::HashSet::new();
        for &v in Validator::ALL {
            assert!(seen.insert(v.name()), "duplicate name {}", v.name());
            assert_eq!(Validator::from_name(v.name()), Some(v));
            assert!(
                v.name()
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
            );
        }
        assert_eq!(Validator::ALL.len(), 63);
        assert_eq!(Validator::from_name("Luhn"), None);
        assert_eq!(Validator::from_name(""), None);
    }

    /// Every name in the "Validators" table of docs/rule-format.md is implemented, and nothing else.
    #[test]
    fn matches_rule_format_doc() {
        let doc = include_str!("../../../../docs/rule-format.md");
        let section = doc
            .split("## Validators")
            .nth(1)
            .expect("Validators section");
        let mut documented = std::collections::BTreeSet::new();
        for line in section.lines().filter(|l| l.starts_with("| `")) {
            let first_cell = line.split('|').nth(1).unwrap_or("");
            for (i, part) in first_cell.split('`').enumerate() {
                if i % 2 == 1 {
                    documented.insert(part.to_string());
                }
            }
        }
        let implemented: std::collections::BTreeSet<String> = Validator::ALL
            .iter()
            .map(|v| v.name().to_string())
            .collect();
        assert_eq!(documented, implemented);
    }

    #[test]
    fn oversized_values_fail() {
        let big = "4".repeat(MAX_VALUE_LEN + 1);
        for &v in Validator::ALL {
            assert!(!v.check(&big));
        }
    }

    #[test]
    fn empty_and_odd_inputs_fail() {
        for &v in Validator::ALL {
            for s in [
                "", " ", "-", "\u{0}", "é", "💳", "\n\n", "0", "--------", "1a",
            ] {
                if v == Validator::AsciiMix && s == "1a" {
                    continue;
                }
                assert!(!v.check(s), "{} accepted {:?}", v.name(), s);
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        /// No validator panics on arbitrary text, including multi-byte characters.
        #[test]
        fn never_panics_on_any_string(s in "\\PC{0,120}") {
            for &v in Validator::ALL {
                let _ = v.check(&s);
            }
            let _ = pem_block_end(&s, 0);
            for i in 0..=s.len() {
                let _ = pem_block_end(&s, i);
            }
        }

        /// Nor on strings made of the characters the formats use.
        #[test]
        fn never_panics_on_format_like_strings(s in "[0-9A-Za-z<>+/=:.@ _-]{0,100}") {
            for &v in Validator::ALL {
                let _ = v.check(&s);
            }
        }

        /// Nor when a valid value is mutated by one character, cut, or extended.
        #[test]
        fn never_panics_on_mutated_samples(idx in 0usize..64, pos in 0usize..200, c in any::<char>(), cut in 0usize..200) {
            let sample = SAMPLES[idx % SAMPLES.len()];
            let mut chars: Vec<char> = sample.chars().collect();
            if !chars.is_empty() {
                let p = pos % chars.len();
                chars[p] = c;
            }
            let mutated: String = chars.iter().collect();
            let truncated: String = sample.chars().take(cut % (sample.chars().count() + 1)).collect();
            let extended = format!("{sample}{c}");
            for &v in Validator::ALL {
                let _ = v.check(&mutated);
                let _ = v.check(&truncated);
                let _ = v.check(&extended);
            }
        }
    }

    /// One published valid value per validator, in `Validator::ALL` order.
    const SAMPLES: &[&str] = &[
        "79927398713",
        "4111 1111 1111 1111",
        "GB82 WEST 1234 5698 7654 32",
        "536-22-1234",
        "912-70-1234",
        "011000015",
        "1234567893",
        "AP5836727",
        "1EG4-TE5-MK73",
        "943 476 5919",
        "AB 12 34 56 C",
        "2363",
        "2341 2341 2346",
        "390.533.447-05",
        "16.727.230/0001-97",
        "123 456 782",
        "36 574 261 809",
        "1112.22.333",
        "54362315-K",
        "X-2482300W",
        "RCCMNL83S18D969H",
        "2 95 10 99 126 111 93",
        "44051401359",
        "880320-0016",
        "7503305044089",
        "35-209900-176148-1",
        "123 456 782",
        "51 824 753 556",
        "2123 45670 1",
        "360426199101010071",
        "971013-9019902",
        "17291716060",
        "76086428-5",
        "131052-308T",
        "151086 95088",
        "211062-5629",
        "85.07.30-033.28",
        "S1234567D",
        "BOXW310820HNERXN09",
        "ACUPA7085R",
        "6214 9832 0257",
        "039337423",
        "1955839661",
        "1M8GDM9AXKP042788",
        "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
        "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa",
        "bc1qw508d6qejxtdg4y5r3zarvary0c5xw7kv8f3t4",
        "0x52908400098527886E0F7030069857D2E4169EE7",
        "A12UEL5L",
        "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIiwibmFtZSI6IkpvaG4gRG9lIiwiaWF0IjoxNTE2MjM5MDIyfQ.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c",
        "-----BEGIN RSA PRIVATE KEY-----",
        "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about",
        "US0378331005",
        "037833100",
        "213800D1EI4B9WTWWD28",
        "192.168.1.1",
        "2001:db8::8a2e:370:7334",
        "jane.doe@example.co.uk",
        "+1 (415) 555-2671",
        "2024-02-29",
        "DEUTDEFF500",
        "00:1A:2B:3C:4D:5E",
        "key1",
    ];

    #[test]
    fn every_validator_accepts_its_sample() {
        assert_eq!(SAMPLES.len(), Validator::ALL.len());
        for (&v, s) in Validator::ALL.iter().zip(SAMPLES) {
            assert!(v.check(s), "{} rejected its sample {:?}", v.name(), s);
        }
    }
}
