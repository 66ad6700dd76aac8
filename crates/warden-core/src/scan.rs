//! Scan: text → findings, in time linear in the text.
//!
//! How a scan runs (see [`crate::compile`] for how rules are grouped, and why):
//! 1. *Anchored rules*: one Aho-Corasick pass finds every keyword and required literal. Each hit
//!    opens a window, as wide as the rule's match and context window, for the rules it anchors; a
//!    rule's overlapping windows are merged, and its own regex runs once over each.
//! 2. *Numeric rules*: lines (cut at 64 KiB) holding a run of digits as long as some rule needs are
//!    checked with the numeric group's match-kind-all automaton; the rules that match run their regex
//!    on that line.
//! 3. *Residual rules*: their leftmost-first automaton finds candidates; the candidate's line is
//!    checked the same way.
//! 4. Every candidate passes the rule's gates (stopwords, allow patterns, entropy, validator,
//!    exact-data match, keywords, context), is given a tier and score, and overlaps are resolved once at
//!    the end: higher tier, then longer span, then higher score, then earlier rule wins.
//!
//! Patterns have a bounded length (checked at compile time), windows are bounded or merged, and the PEM
//! end-line search is memoized, so no input makes a scan super-linear.

use crate::compile::{Context, Group, MAX_PATTERN_LEN, Rule, RuleSet, normalize_sample};
use crate::entropy;
use crate::lazy_regex::LazyRegex;
use crate::rule::{Category, Confidence, RuleInfo};
use crate::validate::Validator;
use aho_corasick::AhoCorasick;
use regex_automata::{Input, PatternSet};
use std::collections::BTreeMap;
use std::ops::Range;
use std::sync::Arc;

/// The longest window scanned at once inside a long line.
const MAX_WINDOW: usize = 64 << 10;
/// How far before a residual candidate its window may start.
const LOOKBACK: usize = 4 << 10;
/// How far after a PEM BEGIN line its END line is searched for.
const PEM_SPAN: usize = 64 << 10;

/// One thing found: where, by which rule, how sure.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// UTF-8 byte offset of the first byte (always a character boundary).
    pub start: usize,
    /// UTF-8 byte offset one past the last byte (always a character boundary).
    pub end: usize,
    /// The rule that found it.
    pub rule: Arc<RuleInfo>,
    /// Confidence tier.
    pub confidence: Confidence,
    /// Score in 0..=1 that orders findings within a tier.
    pub score: f32,
    pub(crate) rule_index: u32,
}

impl Finding {
    /// The rule id.
    pub fn rule_id(&self) -> &str {
        &self.rule.id
    }

    /// The entity name.
    pub fn entity(&self) -> &str {
        &self.rule.entity
    }

    /// The category.
    pub fn category(&self) -> Category {
        self.rule.category
    }

    /// The byte range.
    pub fn span(&self) -> Range<usize> {
        self.start..self.end
    }
}

impl RuleSet {
    /// Scans `text` with every active rule. Findings do not overlap and are sorted by position.
    pub fn scan(&self, text: &str) -> Vec<Finding> {
        let mut scanner = Scanner::new(self, text);
        scanner.anchored();
        if !self.numeric.is_empty() {
            scanner.numeric(&self.numeric);
        }
        if let Some(group) = &self.residual {
            scanner.residual(group);
        }
        resolve(scanner.candidates)
    }

    /// Scans `text` with one rule alone, skipping the shared automata (used to run a rule's examples).
    pub(crate) fn scan_rule_alone(&self, rule: usize, text: &str) -> Vec<Finding> {
        let mut scanner = Scanner::new(self, text);
        scanner.run_rule(rule, 0..text.len());
        resolve(scanner.candidates)
    }
}

/// The window around a residual candidate at `start..end`, never starting before `at`: its line,
/// bounded. Returns whether the window was cut short of the line's end.
fn window_around(bytes: &[u8], at: usize, start: usize, end: usize) -> (Range<usize>, bool) {
    let floor = at.max(start.saturating_sub(LOOKBACK));
    let begin = memchr::memrchr(b'\n', &bytes[floor..start]).map_or(floor, |i| floor + i + 1);
    let cap = (start + MAX_WINDOW).max(end).min(bytes.len());
    match memchr::memchr(b'\n', &bytes[end..cap]) {
        Some(i) => (begin..end + i, false),
        None => (begin..cap, cap < bytes.len()),
    }
}

/// Where scanning resumes after a window: its end, or — when the window cut a long line — early enough
/// that a match straddling the cut is still found whole (duplicates vanish in `resolve`).
fn resume_after(window: &Range<usize>, cut: bool) -> usize {
    if cut {
        window.end - MAX_PATTERN_LEN
    } else {
        window.end
    }
}

/// The longest run of ASCII digits in `bytes`.
fn longest_digit_run(bytes: &[u8]) -> usize {
    let (mut best, mut run) = (0, 0);
    for &b in bytes {
        if b.is_ascii_digit() {
            run += 1;
            best = best.max(run);
        } else {
            run = 0;
        }
    }
    best
}

#[derive(Debug, Clone, Copy)]
struct Hit {
    start: usize,
    end: usize,
    word: u32,
}

/// Every context word of one rule that lies wholly inside `region`, sorted by start.
struct Seen {
    region: Range<usize>,
    hits: Vec<Hit>,
}

struct Scanner<'a> {
    set: &'a RuleSet,
    text: &'a str,
    candidates: Vec<Finding>,
    /// Every keyword and required literal in the text, found once (edges unchecked).
    word_hits: Option<Vec<Hit>>,
    /// For each rule with context words: the words found in the last region searched for them.
    context_seen: Vec<Option<Seen>>,
    /// Offsets of every `-----END ` in the text, found on the first PEM candidate.
    pem_ends: Option<Vec<usize>>,
}

impl<'a> Scanner<'a> {
    fn new(set: &'a RuleSet, text: &'a str) -> Scanner<'a> {
        Scanner {
            set,
            text,
            candidates: Vec::new(),
            word_hits: None,
            context_seen: Vec::new(),
            pem_ends: None,
        }
    }

    fn word_hits(&mut self) -> &[Hit] {
        let (set, text) = (self.set, self.text);
        self.word_hits.get_or_insert_with(|| {
            set.anchors
                .as_ref()
                .map_or_else(Vec::new, |ac| find_words(ac, text))
        })
    }

    /// Runs every anchored rule over the merged windows around its anchors' hits.
    fn anchored(&mut self) {
        let len = self.text.len();
        let set = self.set;
        let bytes = self.text.as_bytes();
        let mut windows: Vec<(u32, usize, usize)> = Vec::new();
        for hit in self.word_hits() {
            let targets = &set.anchor_targets[hit.word as usize];
            if targets.is_empty() || !stands(bytes, hit, set.anchor_edges[hit.word as usize]) {
                continue;
            }
            for &(rule, reach) in targets {
                let reach = reach as usize;
                windows.push((
                    rule,
                    hit.start.saturating_sub(reach),
                    (hit.end + reach).min(len),
                ));
            }
        }
        windows.sort_unstable();
        let mut current: Option<(u32, usize, usize)> = None;
        for (rule, start, end) in windows {
            match &mut current {
                Some((r, _, e)) if *r == rule && start <= *e => *e = (*e).max(end),
                _ => {
                    if let Some((r, s, e)) = current.replace((rule, start, end)) {
                        self.run_rule(r as usize, s..e);
                    }
                }
            }
        }
        if let Some((r, s, e)) = current {
            self.run_rule(r as usize, s..e);
        }
    }

    /// Checks every line holding a long enough digit run with the numeric buckets that need it.
    fn numeric(&mut self, groups: &[Group]) {
        let bytes = self.text.as_bytes();
        let mut sets: Vec<PatternSet> = groups
            .iter()
            .map(|g| PatternSet::new(g.pattern_rule.len()))
            .collect();
        let mut at = 0;
        while at < bytes.len() {
            let cap = (at + MAX_WINDOW).min(bytes.len());
            let (window, cut) = match memchr::memchr(b'\n', &bytes[at..cap]) {
                Some(i) => (at..at + i, false),
                None => (at..cap, cap < bytes.len()),
            };
            let run = longest_digit_run(&bytes[window.clone()]);
            for (group, patterns) in groups.iter().zip(&mut sets) {
                if run >= group.min_run {
                    self.group_window(group, patterns, window.clone(), run);
                }
            }
            at = if cut {
                resume_after(&window, cut)
            } else {
                window.end + 1
            };
        }
    }

    /// Finds candidates with the residual group's automaton and checks each one's line.
    fn residual(&mut self, group: &Group) {
        let Some(finder) = &group.finder else { return };
        let bytes = self.text.as_bytes();
        let len = bytes.len();
        let mut patterns = PatternSet::new(group.pattern_rule.len());
        let mut at = 0;
        while at < len {
            let Some(m) = finder.search(&Input::new(bytes).span(at..len)) else {
                break;
            };
            let (window, cut) = window_around(bytes, at, m.start(), m.end());
            self.group_window(group, &mut patterns, window.clone(), usize::MAX);
            at = resume_after(&window, cut);
        }
    }

    /// Runs, inside `window`, every rule of `group` that matches there (and needs at most `run` digits).
    fn group_window(
        &mut self,
        group: &Group,
        patterns: &mut PatternSet,
        window: Range<usize>,
        run: usize,
    ) {
        patterns.clear();
        group.set.which_overlapping_matches(
            &Input::new(self.text.as_bytes()).range(window.clone()),
            patterns,
        );
        let mut last = u32::MAX;
        for pattern in patterns.iter() {
            let r = group.pattern_rule[pattern.as_usize()];
            if r != last && self.set.rules[r as usize].digit_run <= run {
                self.run_rule(r as usize, window.clone());
            }
            last = r;
        }
    }

    fn run_rule(&mut self, r: usize, window: Range<usize>) {
        let rule = &self.set.rules[r];
        let Some(regex) = rule.regex.get() else {
            return;
        };
        let input = Input::new(self.text.as_bytes()).range(window.clone());
        if rule.group == 0 {
            for m in regex.find_iter(input) {
                self.consider(r, m.start()..m.end());
            }
        } else {
            // The next search starts where the reported group ends, not where the match ends: a
            // pattern that consumes a delimiter after its value would otherwise hide a value that
            // follows right after it (two ids in adjacent CSV cells).
            let mut caps = regex.create_captures();
            let mut at = window.start;
            while at < window.end {
                regex.search_captures(&input.clone().range(at..window.end), &mut caps);
                let Some(whole) = caps.get_match() else { break };
                let next = match caps.get_group(rule.group) {
                    Some(span) => {
                        self.consider(r, span.start..span.end);
                        span.end
                    }
                    None => whole.end(),
                };
                at = if next > at {
                    next
                } else {
                    whole.end().max(at + 1)
                };
            }
        }
    }

    /// Runs the rule's gates on one candidate and records it when it passes.
    fn consider(&mut self, r: usize, span: Range<usize>) {
        let text = self.text;
        let Some((start, mut end)) = snap(text, span) else {
            return;
        };
        let rule = &self.set.rules[r];
        let value = &text[start..end];
        if !rule.stopwords.is_empty() {
            let lower = value.to_ascii_lowercase();
            if rule.stopwords.iter().any(|w| lower.contains(w.as_str())) {
                return;
            }
        }
        if rule
            .allow
            .as_ref()
            .and_then(LazyRegex::get)
            .is_some_and(|allow| allow.is_match(value.as_bytes()))
        {
            return;
        }
        if rule
            .entropy
            .is_some_and(|min| !entropy::passes_gate(value, min))
        {
            return;
        }
        let mut validated = false;
        if let Some(v) = rule.validator {
            if !v.check(value) || in_number_table(text.as_bytes(), start..end, v) {
                return;
            }
            if v.name() == "pem-block" {
                match self.pem_end(start, end) {
                    Some(block_end) => end = block_end,
                    None => return,
                }
            }
            validated = true;
        }
        if let Some(exact) = &rule.exact {
            if !exact.contains(value) {
                return;
            }
            validated = true;
        }
        let near = start.saturating_sub(rule.window)..(end + rule.window).min(text.len());
        if !rule.keywords.is_empty() && !self.keyword_near(rule, near.clone()) {
            return;
        }
        let mut tier = rule.info.confidence;
        let mut in_context = false;
        if let Some(ctx) = &rule.context {
            if self.context_near(r, ctx, near, start..end) {
                tier = ctx.confidence;
                in_context = true;
            } else if ctx.require {
                return;
            }
        }
        let sample = !rule.test_values.is_empty()
            && rule
                .test_values
                .contains(&normalize_sample(&text[start..end]));
        if sample {
            tier = Confidence::Low;
        }
        self.candidates.push(Finding {
            start,
            end,
            rule: rule.info.clone(),
            confidence: tier,
            score: score(tier, validated, in_context, sample),
            rule_index: r as u32,
        });
    }

    fn keyword_near(&mut self, rule: &Rule, near: Range<usize>) -> bool {
        let (bytes, edges) = (self.text.as_bytes(), &self.set.anchor_edges);
        any_hit(self.word_hits(), bytes, edges, &near, &rule.keywords)
    }

    /// Whether one of the rule's context words stands inside `near`, outside the match itself.
    ///
    /// Each rule keeps the words found in the last region it searched: a rule's candidates arrive in
    /// order, so the next region mostly overlaps it and only the new part is searched.
    fn context_near(
        &mut self,
        r: usize,
        ctx: &Context,
        near: Range<usize>,
        matched: Range<usize>,
    ) -> bool {
        let Some(ac) = ctx.automaton() else {
            return false;
        };
        let bytes = self.text.as_bytes();
        if self.context_seen.len() <= r {
            self.context_seen.resize_with(r + 1, || None);
        }
        let seen = self.context_seen[r].get_or_insert_with(|| Seen {
            region: 0..0,
            hits: Vec::new(),
        });
        let find = |from: usize, to: usize| {
            ac.find_overlapping_iter(aho_corasick::Input::new(bytes).span(from..to))
                .map(|m| Hit {
                    start: m.start(),
                    end: m.end(),
                    word: m.pattern().as_u32(),
                })
        };
        let region = &mut seen.region;
        if region.start < region.end && region.start <= near.start && near.start <= region.end {
            // Keep what lies inside `near.start..`, then search only past the old end (a word ending
            // there may start up to `max_len - 1` bytes before it).
            let gone = seen.hits.partition_point(|h| h.start < near.start);
            seen.hits.drain(..gone);
            region.start = near.start;
            if near.end > region.end {
                let old_end = region.end;
                let from = old_end
                    .saturating_sub(ctx.max_len.saturating_sub(1))
                    .max(near.start);
                seen.hits
                    .extend(find(from, near.end).filter(|h| h.end > old_end));
                seen.hits.sort_by_key(|h| h.start);
                region.end = near.end;
            }
        } else {
            seen.hits.clear();
            seen.hits.extend(find(near.start, near.end));
            seen.hits.sort_by_key(|h| h.start);
            *region = near.clone();
        }
        let first = seen.hits.partition_point(|h| h.start < near.start);
        seen.hits[first..]
            .iter()
            .take_while(|h| h.start < near.end)
            .filter(|h| h.end <= near.end)
            .filter(|h| h.end <= matched.start || h.start >= matched.end)
            .any(|h| stands(bytes, h, ctx.edges[h.word as usize]))
    }

    /// The end of the `-----END <label>-----` line that closes the BEGIN line at `begin..begin_end`.
    fn pem_end(&mut self, begin: usize, begin_end: usize) -> Option<usize> {
        const END: &[u8] = b"-----END ";
        let bytes = self.text.as_bytes();
        let ends = self
            .pem_ends
            .get_or_insert_with(|| memchr::memmem::find_iter(bytes, END).collect());
        let first = ends.partition_point(|&q| q < begin_end);
        let &q = ends.get(first)?;
        if q - begin > PEM_SPAN {
            return None;
        }
        let header = &bytes[begin..begin_end];
        let label = header.strip_prefix(b"-----BEGIN ")?;
        let label = &label[..memchr::memmem::find(label, b"-----")?];
        let after = &bytes[q + END.len()..];
        let rest = after.strip_prefix(label)?;
        rest.starts_with(b"-----")
            .then_some(q + END.len() + label.len() + 5)
    }
}

/// Every occurrence of the automaton's words in `text`, sorted by position.
fn find_words(ac: &AhoCorasick, text: &str) -> Vec<Hit> {
    let mut hits: Vec<Hit> = ac
        .find_overlapping_iter(text.as_bytes())
        .map(|m| Hit {
            start: m.start(),
            end: m.end(),
            word: m.pattern().as_u32(),
        })
        .collect();
    hits.sort_by_key(|h| h.start);
    hits
}

/// Whether a hit stands at the word edges asked for (`lead`: not preceded by a letter or digit;
/// `tail`: not followed by one).
fn stands(bytes: &[u8], hit: &Hit, (lead, tail): (bool, bool)) -> bool {
    let word_before = hit.start > 0 && bytes[hit.start - 1].is_ascii_alphanumeric();
    let word_after = hit.end < bytes.len() && bytes[hit.end].is_ascii_alphanumeric();
    !((lead && word_before) || (tail && word_after))
}

/// Whether a hit of one of `words` (sorted ids), standing at its `edges`, lies inside `near`.
fn any_hit(
    hits: &[Hit],
    bytes: &[u8],
    edges: &[(bool, bool)],
    near: &Range<usize>,
    words: &[u32],
) -> bool {
    let first = hits.partition_point(|h| h.start < near.start);
    hits[first..]
        .iter()
        .take_while(|h| h.start < near.end)
        .filter(|h| h.end <= near.end)
        .any(|h| words.binary_search(&h.word).is_ok() && stands(bytes, h, edges[h.word as usize]))
}

/// Shrinks a byte span to whole characters; `None` when nothing is left.
/// How far around a bare number [`in_number_table`] looks for its neighbours, in bytes.
const TABLE_REACH: usize = 160;

/// True when a checksum-valid bare number sits among numbers of its own length that fail the same
/// checksum: a table of constants, hashes or measurements, where about one number in ten passes a
/// Luhn or mod-97 check by chance. Real lists of card numbers or ids pass their checksums throughout,
/// so they keep their tier. Only runs on candidates that passed a validator, over a bounded window.
fn in_number_table(bytes: &[u8], span: Range<usize>, validator: Validator) -> bool {
    let value = &bytes[span.clone()];
    if value.len() < 9 || !value.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let from = span.start.saturating_sub(TABLE_REACH);
    let to = (span.end + TABLE_REACH).min(bytes.len());
    let (mut siblings, mut failing) = (0, 0);
    let mut at = from;
    while at < to {
        if !bytes[at].is_ascii_digit() {
            at += 1;
            continue;
        }
        let run_start = at;
        while at < to && bytes[at].is_ascii_digit() {
            at += 1;
        }
        if (run_start..at).contains(&span.start) {
            continue;
        }
        if (at - run_start).abs_diff(value.len()) > 1 {
            continue;
        }
        siblings += 1;
        // Digit runs are ASCII, so the slice is a whole string.
        let run = std::str::from_utf8(&bytes[run_start..at]).unwrap_or_default();
        if !validator.check(run) {
            failing += 1;
        }
    }
    siblings >= 2 && failing > 0
}

fn snap(text: &str, span: Range<usize>) -> Option<(usize, usize)> {
    let (mut start, mut end) = (span.start, span.end.min(text.len()));
    while start < end && !text.is_char_boundary(start) {
        start += 1;
    }
    while end > start && !text.is_char_boundary(end) {
        end -= 1;
    }
    (start < end).then_some((start, end))
}

fn score(tier: Confidence, validated: bool, in_context: bool, sample: bool) -> f32 {
    if sample {
        return 0.1;
    }
    let base = match tier {
        Confidence::Low => 0.35,
        Confidence::Medium => 0.6,
        Confidence::High => 0.85,
    };
    base + if validated { 0.1 } else { 0.0 } + if in_context { 0.05 } else { 0.0 }
}

/// Keeps the best of overlapping findings (tier, then length, then score, then rule order) and sorts by
/// position.
fn resolve(mut candidates: Vec<Finding>) -> Vec<Finding> {
    candidates.sort_by(|a, b| {
        b.confidence
            .cmp(&a.confidence)
            .then((b.end - b.start).cmp(&(a.end - a.start)))
            .then(b.score.total_cmp(&a.score))
            .then(a.rule_index.cmp(&b.rule_index))
            .then(a.start.cmp(&b.start))
    });
    let mut taken: BTreeMap<usize, usize> = BTreeMap::new();
    let mut kept = Vec::with_capacity(candidates.len());
    for f in candidates {
        // Kept spans are disjoint, so only the nearest one starting before `f.end` can overlap `f`.
        if taken
            .range(..f.end)
            .next_back()
            .is_some_and(|(_, &end)| end > f.start)
        {
            continue;
        }
        taken.insert(f.start, f.end);
        kept.push(f);
    }
    kept.sort_by_key(|f| (f.start, f.end, f.rule_index));
    kept
}

#[cfg(test)]
mod tests {
    use crate::{Confidence, RuleFile, RuleSet, compile};

    fn rules(body: &str) -> RuleSet {
        compile(&[
            RuleFile::from_toml("test.toml", &format!("schema_version = 1\n{body}")).unwrap(),
        ])
        .unwrap()
    }

    fn rule(id: &str, extra: &str) -> String {
        format!(
            "[[rule]]\nid = \"{id}\"\ndescription = \"d\"\nentity = \"{}\"\ncategory = \"pii\"\n{extra}\n",
            id.to_uppercase().replace('-', "_")
        )
    }

    fn found(set: &RuleSet, text: &str) -> Vec<(String, String, Confidence)> {
        set.scan(text)
            .iter()
            .map(|f| {
                (
                    f.rule_id().to_owned(),
                    text[f.span()].to_owned(),
                    f.confidence,
                )
            })
            .collect()
    }

    #[test]
    fn every_rule_gets_its_turn_on_shared_characters() {
        // The finder meets the bare-number rule first; the card rule still runs on the same window and wins.
        let set = rules(&format!(
            "{}{}",
            rule("bare-number", "patterns = ['\\b[0-9]{12,19}\\b']"),
            rule(
                "card",
                "patterns = ['\\b[0-9]{16}\\b']\nvalidator = \"luhn\"\nconfidence = \"high\""
            )
        ));
        assert_eq!(
            found(&set, "pay 4539148803436467 now"),
            [("card".into(), "4539148803436467".into(), Confidence::High)]
        );
        assert_eq!(
            found(&set, "pay 4539148803436468 now"),
            [(
                "bare-number".into(),
                "4539148803436468".into(),
                Confidence::Low
            )]
        );
    }

    #[test]
    fn a_valid_number_in_a_table_of_failing_ones_is_not_reported() {
        let set = rules(&rule(
            "card",
            "patterns = ['\\b[0-9]{16}\\b']\nvalidator = \"luhn\"\nconfidence = \"high\"",
        ));
        // Field constants: one of them passes Luhn by chance, its neighbours do not.
        let constants =
            "new_const(\n  2235858054780980,\n  1726008037083790,\n  2197064359737385,\n)";
        assert_eq!(found(&set, constants), []);
        // A list of real card numbers passes throughout and is reported in full.
        let cards = "4539148803436467\n4104332181960018\n4111111111111111\n";
        let listed = found(&set, cards);
        assert_eq!(listed.len(), 3);
        assert!(listed.iter().all(|f| f.2 == Confidence::High));
        // One card beside a single other number stays high.
        assert_eq!(
            found(&set, "card 4539148803436467 order 1234567890123456")[0].2,
            Confidence::High
        );
    }

    #[test]
    fn context_boosts_or_is_required_within_the_window() {
        let set = rules(&format!(
            "{}{}",
            rule(
                "ssn",
                "patterns = ['\\b[0-9]{3}-[0-9]{2}-[0-9]{4}\\b']\n[rule.context]\nwords = [\"ssn\", \"social security\"]\nconfidence = \"high\""
            ),
            rule(
                "acct",
                "patterns = ['\\bAC[0-9]{8}\\b']\n[rule.context]\nwords = [\"account\"]\neffect = \"require\"\nwindow = 20"
            )
        ));
        assert_eq!(found(&set, "SSN: 536-22-8741")[0].2, Confidence::High);
        assert_eq!(
            found(&set, "Social Security 536-22-8741")[0].2,
            Confidence::High
        );
        assert_eq!(found(&set, "ref 536-22-8741")[0].2, Confidence::Low);
        // A context word must be a whole word: "lessness" does not contain the word "ssn".
        assert_eq!(found(&set, "lessness 536-22-8741")[0].2, Confidence::Low);
        assert_eq!(found(&set, "account AC12345678").len(), 1);
        assert_eq!(found(&set, "AC12345678").len(), 0);
        let far = format!("account{}AC12345678", " ".repeat(40));
        assert_eq!(
            found(&set, &far).len(),
            0,
            "context word outside the 20-byte window"
        );
    }

    #[test]
    fn keywords_gate_a_rule_to_their_neighbourhood() {
        let set = rules(&rule(
            "datadog-key",
            "patterns = ['\\b[a-f0-9]{32}\\b']\nkeywords = [\"datadog\", \"dd_api_key\"]\nconfidence = \"medium\"",
        ));
        let key = "0123456789abcdef0123456789abcdef";
        assert_eq!(found(&set, &format!("DD_API_KEY={key}")).len(), 1);
        assert_eq!(found(&set, &format!("Datadog key: {key}")).len(), 1);
        assert_eq!(found(&set, &format!("md5 {key}")).len(), 0);
        let far = format!("datadog{}{key}", "x ".repeat(400));
        assert_eq!(found(&set, &far).len(), 0);
    }

    #[test]
    fn gates_drop_placeholders_samples_and_low_entropy() {
        let set = rules(&rule(
            "api-key",
            "patterns = ['api_key\\s{0,2}=\\s{0,2}\"([^\"]{8,64})\"']\nsecret_group = 1\nconfidence = \"medium\"\nstopwords = [\"your\"]\nallow = ['^\\$\\{']\ntest_values = [\"AKIAIOSFODNN7EXAMPLE\"]",
        ));
        assert_eq!(
            found(&set, r#"api_key = "q8Zx4Lm2Vn7Rt1Wy""#),
            [(
                "api-key".into(),
                "q8Zx4Lm2Vn7Rt1Wy".into(),
                Confidence::Medium
            )]
        );
        assert!(found(&set, r#"api_key = "YOUR_KEY_HERE""#).is_empty());
        assert!(found(&set, r#"api_key = "${API_KEY}""#).is_empty());
        assert_eq!(
            found(&set, r#"api_key = "AKIAIOSFODNN7EXAMPLE""#)[0].2,
            Confidence::Low
        );
    }

    #[test]
    fn terms_and_exact_data_match() {
        let salt = "00112233445566778899aabbccddeeff";
        let hash = crate::edm::hash_value(
            &crate::edm::decode_hex(salt).unwrap(),
            "CUST004211",
            crate::edm::Normalize::AlnumUpper,
        );
        let set = rules(&format!(
            "{}{}",
            rule(
                "code-names",
                "terms = [\"Project Falcon\", \"C++ Core\"]\nconfidence = \"medium\""
            ),
            rule(
                "customer-id",
                &format!(
                    "patterns = ['(?i)\\bCUST-?[0-9]{{6}}\\b']\nconfidence = \"high\"\n[rule.exact_match]\nsalt = \"{salt}\"\nhashes = [\"{hash}\"]\nnormalize = \"alnum-upper\""
                )
            )
        ));
        assert_eq!(found(&set, "PROJECT FALCON and c++ core").len(), 2);
        assert!(found(&set, "project falconry").is_empty());
        assert_eq!(
            found(&set, "customer cust-004211 and CUST-004212"),
            [("customer-id".into(), "cust-004211".into(), Confidence::High)]
        );
    }

    #[test]
    fn spans_are_whole_characters() {
        let set = rules(&rule("token", "patterns = ['[^\\s]{4,12}']"));
        let text = "é€𝄞x ab ü€😀y";
        for f in set.scan(text) {
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        }
        assert_eq!(found(&set, text).len(), 2);
    }

    #[test]
    fn long_lines_are_cut_without_losing_a_straddling_match() {
        let set = rules(&rule("marker", "patterns = ['\\bSECRET-[A-Z]{20}\\b']"));
        // A candidate near the start makes the window, then a marker straddles the 64 KiB cut.
        for offset in [65_500, 65_530, 65_536, 65_540, 131_060] {
            let mut text = format!("SECRET-{} ", "A".repeat(20));
            text.push_str(&"x".repeat(offset - text.len()));
            text.push_str(&format!(" SECRET-{} tail", "B".repeat(20)));
            let f = found(&set, &text);
            assert_eq!(
                f.len(),
                2,
                "offset {offset}: {:?}",
                f.iter().map(|x| &x.1).collect::<Vec<_>>()
            );
            assert_eq!(f[1].1, format!("SECRET-{}", "B".repeat(20)));
        }
    }

    #[test]
    fn pem_blocks_pair_begin_and_end_in_linear_time() {
        let set = rules(&rule(
            "private-key",
            "patterns = ['-----BEGIN (?:RSA |EC )?PRIVATE KEY-----']\nvalidator = \"pem-block\"\nconfidence = \"high\"",
        ));
        let block = "-----BEGIN RSA PRIVATE KEY-----\nMIIEabc\n-----END RSA PRIVATE KEY-----";
        let text = format!("key:\n{block}\nthanks");
        assert_eq!(
            found(&set, &text),
            [("private-key".into(), block.into(), Confidence::High)]
        );
        assert!(
            found(
                &set,
                "-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END EC PRIVATE KEY-----"
            )
            .is_empty()
        );
        // Thousands of headers before one end line: each pairs with a binary search, not a rescan.
        let many = format!(
            "{}{}",
            "-----BEGIN EC PRIVATE KEY-----\n".repeat(20_000),
            "-----END EC PRIVATE KEY-----"
        );
        let f = set.scan(&many);
        assert_eq!(f.len(), 1, "overlapping blocks resolve to one finding");
    }

    #[test]
    fn values_separated_by_one_delimiter_are_all_found() {
        let set = rules(&rule(
            "id",
            "patterns = ['(?:^|[^0-9])([0-9]{9})(?:$|[^0-9])']\nsecret_group = 1",
        ));
        let f = found(&set, "123456789,987654321,555555555");
        assert_eq!(
            f.iter().map(|x| x.1.as_str()).collect::<Vec<_>>(),
            ["123456789", "987654321", "555555555"]
        );
    }

    #[test]
    fn findings_are_sorted_and_disjoint() {
        let set = rules(&format!(
            "{}{}",
            rule("word", "patterns = ['\\b[a-z]{3,10}\\b']"),
            rule("pair", "patterns = ['\\b[a-z]{3,10} [a-z]{3,10}\\b']")
        ));
        let f = set.scan("alpha beta gamma delta epsilon");
        assert!(f.windows(2).all(|w| w[0].end <= w[1].start));
        assert_eq!(
            f.iter().map(|x| x.rule_id()).collect::<Vec<_>>(),
            ["pair", "pair", "word"]
        );
    }
}
