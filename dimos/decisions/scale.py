"""Scale data: council decisions with Greek text whose word frequencies follow Zipf's law.

`manage.py scale_data --decisions 1000000 --only decisions` streams them in batches (constant
memory). Numbers are serial per body and year, dates span ten years, the subjects are those of a
Greek municipality, and the extracted text (150–400 words) mixes the fixed phrases of real
decisions with words drawn from a vocabulary of several thousand forms (`vocabulary()`, stems
× endings of municipal terms, Kozani's streets and villages, ΚΑΕ codes, amounts) with the
probability of the word of rank r proportional to 1/r. Every decision points to one small PDF,
stored once. On PostgreSQL the migration's trigger fills `search_vector` within each batch's
COPY: computing the vectors of 5,000 decisions takes ~5 s there, while disabling the trigger and
running one UPDATE per batch took ~16 s (every row written twice). The GIN index stays: built
incrementally it cost ~0.45 ms a row (~7 min per million), as much as CREATE INDEX after a
million rows (6 min) — dropping it would gain nothing (measured on 2 busy cores, PostgreSQL 15).
"""

import hashlib
import itertools
import random
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from itertools import accumulate
from typing import Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from dimos.core.greek import normalize_greek
from dimos.core.scale import ScaleContext, register
from dimos.decisions import queries, rules, samples
from dimos.decisions.models import Body, Decision, DecisionType, ThematicCategory

SCALE_PDF_NAME = "decisions/scale/apofasi-scale.pdf"
FIRST_YEAR, LAST_YEAR = 2016, 2025
# Share of the decisions each body takes (the municipal committee decides most spending).
BODY_SHARES = {
    "dimotiko-symvoulio": 30,
    "dimotiki-epitropi": 45,
    "dimarchos": 20,
    "ektelestiki-epitropi": 5,
}
# Diavgeia's thematic categories (EuroVoc domains).
CATEGORIES = [
    ("04", "Πολιτική ζωή"),
    ("16", "Οικονομία"),
    ("24", "Δημοσιονομικά"),
    ("28", "Κοινωνικά θέματα"),
    ("32", "Εκπαίδευση και επικοινωνία"),
    ("44", "Απασχόληση και εργασία"),
    ("48", "Μεταφορές"),
    ("52", "Περιβάλλον"),
    ("56", "Γεωργία, δασοκομία και αλιεία"),
    ("66", "Ενέργεια"),
]
RARE_WORD = "αλεξικέραυνου"  # planted in a few decisions (a rare word of real decisions)
COMMON_WORD = "προϋπολογισμού"
RARE_PHRASE = "Εγκρίνεται η τοποθέτηση αλεξικέραυνου στο δημοτικό κτίριο."

# --- The vocabulary -------------------------------------------------------------------------


def _words(text: str) -> list[str]:
    return text.split()


FUNCTION_WORDS = _words(
    """
και του της το την τη των η ο οι τα τις τον για με σε στο στην στη στον στις στους στα από που
ως κατά προς μετά ή να θα δεν όπως επί έως ύψους ποσού ευρώ αυτή αυτό ότι οποίο οποία
"""
)
# Feminine nouns, singular|plural: gen. sg +ς, gen. pl. -ών (or -εων for -εις).
FEMININE = _words(
    """
προμήθεια|προμήθειες υπηρεσία|υπηρεσίες επιτροπή|επιτροπές δαπάνη|δαπάνες πίστωση|πιστώσεις
έγκριση|εγκρίσεις ανάθεση|αναθέσεις σύμβαση|συμβάσεις αναμόρφωση|αναμορφώσεις μελέτη|μελέτες
διάθεση|διαθέσεις εισήγηση|εισηγήσεις απόφαση|αποφάσεις διάταξη|διατάξεις
συνεδρίαση|συνεδριάσεις πλατεία|πλατείες συντήρηση|συντηρήσεις κατασκευή|κατασκευές
επισκευή|επισκευές οδοποιία|οδοποιίες ύδρευση|υδρεύσεις αποχέτευση|αποχετεύσεις
καθαριότητα|καθαριότητες ανακύκλωση|ανακυκλώσεις παραχώρηση|παραχωρήσεις μίσθωση|μισθώσεις
εκμίσθωση|εκμισθώσεις δημοπρασία|δημοπρασίες προσφορά|προσφορές κατακύρωση|κατακυρώσεις
διακήρυξη|διακηρύξεις παραλαβή|παραλαβές πληρωμή|πληρωμές υποχρέωση|υποχρεώσεις
ανάληψη|αναλήψεις τροποποίηση|τροποποιήσεις παράταση|παρατάσεις προθεσμία|προθεσμίες
εγγύηση|εγγυήσεις χρηματοδότηση|χρηματοδοτήσεις επιχορήγηση|επιχορηγήσεις δωρεά|δωρεές
εκδήλωση|εκδηλώσεις αίθουσα|αίθουσες σχολή|σχολές ηλεκτροδότηση|ηλεκτροδοτήσεις
ασφαλτόστρωση|ασφαλτοστρώσεις διαγράμμιση|διαγραμμίσεις αποκατάσταση|αποκαταστάσεις
ανακατασκευή|ανακατασκευές αποζημίωση|αποζημιώσεις συγκρότηση|συγκροτήσεις
πρόσληψη|προσλήψεις μετακίνηση|μετακινήσεις
"""
)
# Masculine nouns in -ος, singular|plural.
MASCULINE = _words(
    """
δήμος|δήμοι νόμος|νόμοι χώρος|χώροι σκοπός|σκοποί προϋπολογισμός|προϋπολογισμοί
κανονισμός|κανονισμοί διαγωνισμός|διαγωνισμοί οργανισμός|οργανισμοί φωτισμός|φωτισμοί
καθαρισμός|καθαρισμοί δρόμος|δρόμοι λογαριασμός|λογαριασμοί εξοπλισμός|εξοπλισμοί
προγραμματισμός|προγραμματισμοί ορισμός|ορισμοί έλεγχος|έλεγχοι τύπος|τύποι όρος|όροι κάδος|κάδοι
"""
)
# Neuter nouns in -ο, singular|plural.
NEUTER = _words(
    """
έργο|έργα ποσό|ποσά τέλος|τέλη μέλος|μέλη άρθρο|άρθρα δίκτυο|δίκτυα υλικό|υλικά
πρακτικό|πρακτικά όχημα|οχήματα πρόγραμμα|προγράμματα θέμα|θέματα αίτημα|αιτήματα τμήμα|τμήματα
σχέδιο|σχέδια κτίριο|κτίρια γήπεδο|γήπεδα πεζοδρόμιο|πεζοδρόμια
"""
)
# Adjectives in -ικός (stems): ten forms each.
ADJECTIVES = _words(
    """
δημοτικ τεχνικ οικονομικ κοινωνικ περιβαλλοντικ αγροτικ σχολικ ηλεκτρικ πολεοδομικ αθλητικ
πολιτιστικ διοικητικ νομικ δημοσιονομικ τοπικ κεντρικ δασικ υδραυλικ ηλεκτρομηχανολογικ
ενεργειακ συγκοινωνιακ τουριστικ ιατρικ παιδικ
"""
)
_ADJECTIVE_ENDINGS = ["ός", "ή", "ό", "ού", "ής", "οί", "ές", "ά", "ών", "ούς"]
VERBS = _words(
    """
εγκρίνει εγκρίνεται εγκρίνονται αποφασίζει ψηφίζει διατίθεται διατίθενται ορίζει ορίζονται
αναθέτει ανατίθεται κατακυρώνεται τροποποιείται παρατείνεται εισηγείται προτείνει καθορίζει
καθορίζονται παραχωρείται αποδέχεται εξουσιοδοτεί βεβαιώνεται υπογράφεται
"""
)
STREETS = _words(
    """
Δημοκρατίας Παύλου_Μελά Ερμού Βενιζέλου Ίωνος_Δραγούμη Φιλίππου Μακρυγιάννη Καποδιστρίου
Αλιάκμονος Ελλησπόντου Κοραή Σιατίστης Τρεμπεσίνας Αθανασίου_Διάκου Κοζάνης_Αιανής Πλαστήρα
Ξενοφώντος Μητροπόλεως Ευκλείδη Ηρώων_Πολυτεχνείου Καραμανλή Παπαναστασίου
"""
)
PLACES = _words(
    """
Κοζάνη Κοζάνης Λευκόβρυση Λευκόβρυσης Κρόκος Κρόκου Αιανή Αιανής Ελλήσποντος Ελλησπόντου
Καισαρειά Καισαρειάς Πετρανά Πετρανών Καρυδίτσα Καρυδίτσας Λευκοπηγή Λευκοπηγής Ξηρολίμνη
Ξηρολίμνης Κοίλα Κοίλων Ποντοκώμη Ποντοκώμης Άνω_Κώμη Άνω_Κώμης Δρεπανό Δρεπανού Ρύμνιο Ρυμνίου
Σέρβια Σερβίων Βελβεντό Βελβεντού Πολυμύλου Ζωοδόχου_Πηγής Καλαμιάς Κόμανου
"""
)
LAWS = _words(
    """
ν.3852/2010 ν.4412/2016 ν.3463/2006 ν.4555/2018 ν.5056/2023 ν.3861/2010 ν.4270/2014 ν.4735/2020
π.δ.80/2016
"""
)
ITEMS = [
    "καυσίμων κίνησης των οχημάτων του Δήμου",
    "ηλεκτρολογικού υλικού για τον δημοτικό φωτισμό",
    "κάδων απορριμμάτων και ανακύκλωσης",
    "αλατιού για τον αποχιονισμό",
    "ελαστικών οχημάτων",
    "γραφικής ύλης και υλικών εκτύπωσης",
    "παιδικών χαρών και εξοπλισμού",
    "υλικών ύδρευσης",
    "ειδών καθαριότητας",
    "ηλεκτρονικών υπολογιστών",
]
PROJECTS = [
    "Ασφαλτόστρωση αγροτικών δρόμων",
    "Ανακατασκευή πεζοδρομίων",
    "Συντήρηση σχολικών κτιρίων",
    "Αντικατάσταση δικτύου ύδρευσης",
    "Ενεργειακή αναβάθμιση δημοτικού κτιρίου",
    "Διαγράμμιση οδών",
    "Αποκατάσταση δημοτικής οδοποιίας",
    "Κατασκευή αθλητικού χώρου",
]
# (type code, subject template): «Έγκριση …», «Ανάθεση …» and the rest, as councils write them.
SUBJECTS = [
    ("Β.2.1", "Έγκριση δαπάνης και διάθεση πίστωσης για την προμήθεια {item} (ΚΑΕ {kae})"),
    ("Β.1.3", "Ανάληψη υποχρέωσης για την προμήθεια {item}"),
    ("Β.1.1", "Αναμόρφωση προϋπολογισμού οικονομικού έτους {year}"),
    ("Β.1.1", "Ψήφιση του προϋπολογισμού του Δήμου οικονομικού έτους {next_year}"),
    ("Δ.1", "Ανάθεση της σύμβασης «{project} στην οδό {street}»"),
    ("Δ.2.1", "Έγκριση όρων διακήρυξης για το έργο «{project} {place}»"),
    ("Δ.2.2", "Κατακύρωση του διαγωνισμού για το έργο «{project} {place}»"),
    ("Β.5", "Παραχώρηση χρήσης κοινόχρηστου χώρου στην οδό {street} {number}"),
    ("Β.6", "Έγκριση προγραμματικής σύμβασης με την Περιφέρεια Δυτικής Μακεδονίας"),
    ("Β.4", "Αποδοχή δωρεάς προς τον Δήμο για την Κοινότητα {place}"),
    ("Α.2", "Τροποποίηση του κανονισμού καθαριότητας και ανακύκλωσης"),
    ("Γ.2", "Συγκρότηση επιτροπής παραλαβής για το έργο «{project}»"),
    ("2.4.7.1", "Ονοματοδοσία οδού στην Κοινότητα {place}"),
    ("2.4.6.1", "Τροποποίηση ρυμοτομικού σχεδίου στην οδό {street}"),
    ("Β.2.2", "Έγκριση πρακτικού παραλαβής και πληρωμής για την προμήθεια {item}"),
]
PREAMBLE = [
    "Έχοντας υπόψη τις διατάξεις του άρθρου {article} του {law}",
    "την εισήγηση της Οικονομικής Υπηρεσίας του Δήμου",
    "την υπ' αριθμ. {serial}/{year} βεβαίωση της Διεύθυνσης Οικονομικών Υπηρεσιών",
    "ότι υπάρχει εγγεγραμμένη πίστωση στον ΚΑΕ {kae} του προϋπολογισμού",
    "τη σχετική μελέτη της Διεύθυνσης Τεχνικών Υπηρεσιών",
]
CLOSINGS = [
    "Αποφασίζει ομόφωνα και εγκρίνει τα ανωτέρω.",
    "Αποφασίζει κατά πλειοψηφία και εγκρίνει τα ανωτέρω.",
    "Η απόφαση αυτή πήρε αύξοντα αριθμό {serial}/{year}.",
]


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word)
    return unicodedata.normalize(
        "NFC", "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    )


def _feminine_forms(singular: str, plural: str) -> list[str]:
    genitive_plural = (
        plural[:-3] + "εων" if plural.endswith("εις") else _strip_accents(plural[:-2]) + "ών"
    )
    return [singular, singular + "ς", plural, genitive_plural]


def _masculine_forms(singular: str, plural: str) -> list[str]:
    stem = singular[:-2]
    if singular.endswith("ός"):
        return [singular, stem + "ού", stem + "ό", plural, stem + "ών", stem + "ούς"]
    return [singular, stem + "ου", stem + "ο", plural, stem + "ων", stem + "ους"]


def _neuter_forms(singular: str, plural: str) -> list[str]:
    if singular.endswith("μα"):  # όχημα: οχήματος, οχημάτων
        genitive_plural = _strip_accents(plural[:-3]) + "άτων"
        return [singular, plural[:-1] + "ος", plural, genitive_plural]
    if singular.endswith("ος"):  # τέλος: τέλους, τελών
        return [singular, singular[:-2] + "ους", plural, _strip_accents(plural[:-1]) + "ών"]
    genitive = singular[:-1] + ("ού" if singular.endswith("ό") else "ου")
    genitive_plural = plural[:-1] + ("ών" if plural.endswith("ά") else "ων")
    return [singular, genitive, plural, genitive_plural]


def _kae_codes(rng: random.Random, count: int) -> list[str]:
    """Budget codes as in a municipal budget: `02.10.6634`, `64.7135.0012`."""
    chapters = ["02.00", "02.10", "02.15", "02.20", "02.25", "02.30", "02.35", "02.45", "02.70"]
    codes = {f"{rng.choice(chapters)}.{rng.randint(6000, 7499)}" for _ in range(count)}
    return sorted(codes)


def vocabulary() -> list[str]:
    """Word forms in rank order (function words, then a fixed shuffle of the rest)."""
    rng = random.Random(3852)  # noqa: S311 (a fixed order: the same vocabulary every run)
    content: list[str] = []
    for pairs, forms in (
        (FEMININE, _feminine_forms),
        (MASCULINE, _masculine_forms),
        (NEUTER, _neuter_forms),
    ):
        for pair in pairs:
            content.extend(forms(*pair.split("|")))
    content.extend(stem + ending for stem in ADJECTIVES for ending in _ADJECTIVE_ENDINGS)
    content.extend(VERBS)
    content.extend(name.replace("_", " ") for name in [*STREETS, *PLACES])
    content.extend(_kae_codes(rng, 1500))
    content.extend(f"{rng.randint(100, 99_999):,}".replace(",", ".") + ",00" for _ in range(800))
    content.extend(f"άρθρου {n}" for n in range(1, 120))
    content.extend(LAWS)
    content = [w for w in dict.fromkeys(content) if w not in (COMMON_WORD, RARE_WORD)]
    rng.shuffle(content)
    # The common word ranks right after the function words, as in real decisions.
    return [*FUNCTION_WORDS, COMMON_WORD, *content]


@dataclass
class _Corpus:
    """Draws words with Zipf's law: P(rank r) ∝ 1/r."""

    words: list[str]
    cum_weights: list[float]
    normalised: dict[str, str]
    kae: list[str]

    @classmethod
    def build(cls) -> "_Corpus":
        words = vocabulary()
        weights = accumulate(1.0 / rank for rank in range(1, len(words) + 1))
        kae = [w for w in words if w.count(".") == 2 and w[:2].isdigit()]
        return cls(words, list(weights), {w: normalize_greek(w) for w in words}, kae)

    def sentence(self, rng: random.Random, length: int) -> tuple[str, str]:
        """A sentence, and its normalize_greek() (word by word: the same, much faster)."""
        words = rng.choices(self.words, cum_weights=self.cum_weights, k=length)
        text = words[0][:1].upper() + " ".join(words)[1:] + "."
        return text, " ".join(self.normalised[w] for w in words) + "."


@dataclass
class _Planned:
    body: Body
    year: int
    serial: int
    decision_date: date


def _working_days(year: int) -> list[date]:
    day, days = date(year, 1, 2), []
    while day.year == year:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def _split(total: int, shares: list[int]) -> list[int]:
    """`total` in parts proportional to `shares`, adding up exactly."""
    parts = [total * s // sum(shares) for s in shares]
    for i in range(total - sum(parts)):
        parts[i % len(parts)] += 1
    return parts


def _plan(ctx: ScaleContext, bodies: list[Body]) -> Iterator[_Planned]:
    """Every decision's body, number and date, one year at a time (serials follow dates)."""
    years = list(range(FIRST_YEAR, LAST_YEAR + 1))
    first_free = {
        (row["body"], row["year"]): row["last"] or 0
        for row in Decision.objects.values("body", "year").annotate(last=Max("serial"))
    }
    for year, in_year in zip(years, _split(ctx.decisions, [1] * len(years)), strict=True):
        days = _working_days(year)
        shares = [BODY_SHARES.get(b.code, 5) for b in bodies]
        for body, count in zip(bodies, _split(in_year, shares), strict=True):
            dates = sorted(ctx.random.choices(days, k=count))
            start = first_free.get((body.pk, year), 0)
            for serial, day in enumerate(dates, start=start + 1):
                yield _Planned(body, year, serial, day)


_ADA_ALPHABET = "0123456789ΑΒΓΔΕΖΗΘΙΚΛΜΝΞΟΠΡΣΤΥΦΧΨΩ"


def scale_ada(index: int) -> str:
    """A unique ΑΔΑ in Diavgeia's shape (`ΑΒ4ΓΩΣΞ-1ΔΕ`); «ΩΣΞ» marks made-up ones."""
    digits = []
    for _ in range(7):
        index, digit = divmod(index, len(_ADA_ALPHABET))
        digits.append(_ADA_ALPHABET[digit])
    return f"{''.join(digits[:4])}ΩΣΞ-{''.join(digits[4:])}"


@dataclass
class _Row:
    values: dict[str, object]
    categories: list[int]


@dataclass
class _Shared:
    corpus: _Corpus
    types: dict[str, DecisionType]
    categories: list[ThematicCategory]
    pdf_sha256: str


def _subject(rng: random.Random, shared: _Shared, plan: _Planned) -> tuple[str, str]:
    type_code, template = rng.choice(SUBJECTS)
    return type_code, template.format(
        item=rng.choice(ITEMS),
        kae=rng.choice(shared.corpus.kae),
        year=plan.year,
        next_year=plan.year + 1,
        project=rng.choice(PROJECTS),
        street=rng.choice(STREETS).replace("_", " "),
        place=rng.choice(PLACES[1::2]).replace("_", " "),
        number=rng.randint(1, 120),
    )


def _text(
    rng: random.Random, shared: _Shared, plan: _Planned, subject: str, rare: bool
) -> tuple[str, str]:
    """150–400 words: the heading and preamble of a real decision, then Zipf-drawn words;
    and the text's normalize_greek(), put together from its parts' (words are cached)."""
    fill = {
        "article": rng.choice([65, 72, 75, 158, 203, 209]),
        "law": rng.choice(LAWS),
        "serial": plan.serial,
        "year": plan.year,
        "kae": rng.choice(shared.corpus.kae),
    }
    fixed = [
        f"ΔΗΜΟΣ ΚΟΖΑΝΗΣ. {plan.body.name}. Αριθμός απόφασης {plan.serial}/{plan.year}.",
        f"Θέμα: {subject}.",
        f"Το {plan.body.name} του Δήμου Κοζάνης, στη συνεδρίαση της "
        f"{plan.decision_date:%d/%m/%Y}: "
        + "· ".join(p.format(**fill) for p in rng.sample(PREAMBLE, rng.randint(2, 4)))
        + ".",
        *([RARE_PHRASE] if rare else []),
    ]
    parts = [(part, normalize_greek(part)) for part in fixed]
    target = rng.randint(150, 400)
    words = sum(len(p.split()) for p in fixed)
    while words < target:
        length = min(rng.randint(8, 22), max(target - words, 3))
        parts.append(shared.corpus.sentence(rng, length))
        words += length
    closing = rng.choice(CLOSINGS).format(**fill)
    parts.append((closing, normalize_greek(closing)))
    return " ".join(p for p, _ in parts), " ".join(n for _, n in parts)


def _row(ctx: ScaleContext, shared: _Shared, plan: _Planned, index: int, rare: bool) -> _Row:
    rng = ctx.random
    type_code, subject = _subject(rng, shared, plan)
    number = f"{plan.serial}/{plan.year}"
    ada = scale_ada(index)
    text, normalised_text = _text(rng, shared, plan, subject, rare)
    # rules.search_fields(), with the text's normalisation already made (see _text).
    head, _ = rules.search_fields(number, ada, subject, "")
    decided = timezone.make_aware(datetime.combine(plan.decision_date, time(12)))
    published = decided + timedelta(days=rng.randint(0, 5))
    decision_type = shared.types.get(type_code)
    values = {
        "body_id": plan.body.pk,
        "protocol_number": number,
        "year": plan.year,
        "serial": plan.serial,
        "ada": ada,
        "subject": subject,
        "meeting_date": plan.decision_date,
        "decision_date": plan.decision_date,
        "published_at": published,
        "decision_type_id": decision_type.pk if decision_type else None,
        "status": Decision.Status.PUBLISHED,
        "status_reason": "",
        "corrected_by_id": None,
        "pdf": SCALE_PDF_NAME,
        "pdf_sha256": shared.pdf_sha256,
        "page_count": 1,
        "text": text,
        "text_extracted": True,
        "diavgeia_version": "",
        "diavgeia_checksum": "",
        "search_head": head,
        "search_text": f"{head}\n{normalised_text}",
        "created_at": published,
        "updated_at": published,
    }
    return _Row(values, [c.pk for c in rng.sample(shared.categories, rng.randint(1, 2))])


def _store_shared_pdf() -> str:
    """One small decision PDF that every scale decision points to; its SHA-256."""
    if not default_storage.exists(SCALE_PDF_NAME):
        data = samples.decision_pdf(
            "1/2025",
            "Δημοτικό Συμβούλιο",
            "Απόφαση δεδομένων κλίμακας",
            date(2025, 1, 2),
            ["Έγγραφο για τη μέτρηση επιδόσεων: το κείμενο της απόφασης είναι στη βάση."],
        )
        saved = default_storage.save(SCALE_PDF_NAME, ContentFile(data))
        if saved != SCALE_PDF_NAME:
            raise RuntimeError(f"the scale PDF was stored as {saved}, not {SCALE_PDF_NAME}")
    with default_storage.open(SCALE_PDF_NAME, "rb") as stored:
        return hashlib.sha256(stored.read()).hexdigest()


def _delete_earlier_scale_decisions() -> None:
    """A second run replaces the first one's decisions (they share the scale PDF)."""
    through = Decision.categories.through._meta.db_table
    table = Decision._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {through} WHERE decision_id IN "  # noqa: S608 (our table names)
            f"(SELECT id FROM {table} WHERE pdf = %s)",
            [SCALE_PDF_NAME],
        )
        cursor.execute(f"DELETE FROM {table} WHERE pdf = %s", [SCALE_PDF_NAME])  # noqa: S608


def _db_value(value: Any) -> Any:
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return connection.ops.adapt_datefield_value(value)
    return value


def _new_ids(count: int) -> list[int]:
    """Ids for the next `count` decisions, taken before inserting (for the M2M rows)."""
    table = Decision._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT coalesce(max(id), 0) FROM {table}")  # noqa: S608 (our table)
        last = cursor.fetchone()[0]
        return list(range(last + 1, last + 1 + count))


def _insert(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
    """Rows straight into `table`: COPY on PostgreSQL (the search trigger still runs for every
    row), one executemany elsewhere. Much faster than bulk_create at a million rows."""
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            raw = cursor.cursor  # psycopg 3
            with raw.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(columns))
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


def _load(ctx: ScaleContext, shared: _Shared, bodies: list[Body]) -> int:
    """Insert batch by batch, each batch with its M2M rows in one transaction."""
    table = Decision._meta.db_table
    through = Decision.categories.through._meta.db_table
    rare_every = _rare_every(ctx.decisions)
    planned = enumerate(_plan(ctx, bodies))
    count = 0
    while batch := list(itertools.islice(planned, ctx.batch_size)):
        rows = [_row(ctx, shared, plan, i, i % rare_every == rare_every // 2) for i, plan in batch]
        with transaction.atomic():
            ids = _new_ids(len(rows))
            columns = ["id", *rows[0].values]
            _insert(
                table,
                columns,
                [
                    (pk, *(_db_value(v) for v in row.values.values()))
                    for pk, row in zip(ids, rows, strict=True)
                ],
            )
            _insert(
                through,
                ["decision_id", "thematiccategory_id"],
                [(pk, c) for pk, row in zip(ids, rows, strict=True) for c in row.categories],
            )
        count += len(rows)
        if count % 50_000 < ctx.batch_size:
            ctx.say(f"decisions: {count:,} of {ctx.decisions:,}")
    return count


def _rare_every(decisions: int) -> int:
    """One decision in this many holds the rare word: about one per thousand, 10 to 100 in all."""
    wanted = min(max(decisions // 1000, 10), 100)
    return max(decisions // wanted, 1)


def planted_rare(decisions: int) -> int:
    """How many of `decisions` scale decisions hold the rare word."""
    every = _rare_every(decisions)
    return sum(1 for i in range(every // 2, decisions, every))


def _hits(criteria: queries.Criteria) -> int:
    qs, _patterns = queries.search(criteria)
    return qs.count()


def _fixtures(ctx: ScaleContext) -> dict[str, object]:
    """What the benchmark searches for, and how many decisions each search finds."""
    quarter_from, quarter_to = date(LAST_YEAR - 1, 1, 1), date(LAST_YEAR - 1, 3, 31)
    council = Decision.objects.filter(pdf=SCALE_PDF_NAME, year=LAST_YEAR - 1).order_by(
        "body__position", "body_id"
    )
    first = council.values_list("body_id", flat=True).first() or 0
    last = council.filter(body_id=first).aggregate(last=Max("serial"))["last"] or 2
    number = rules.DecisionNumber(max(last // 2, 1), LAST_YEAR - 1)
    return {
        "rare": RARE_WORD,
        "common": COMMON_WORD,
        "number": str(number),
        "date_from": quarter_from.isoformat(),
        "date_to": quarter_to.isoformat(),
        "hits": {
            "rare": _hits(queries.Criteria(text=RARE_WORD)),
            "common": _hits(queries.Criteria(text=COMMON_WORD)),
            "number": _hits(queries.Criteria(number=number)),
            "date_range": _hits(queries.Criteria(date_from=quarter_from, date_to=quarter_to)),
        },
        "total": Decision.objects.count(),
    }


def generate(ctx: ScaleContext) -> None:
    _delete_earlier_scale_decisions()
    bodies = list(Body.objects.order_by("position", "pk"))
    if not bodies:
        raise RuntimeError("no decision bodies: run `manage.py migrate` first")
    categories = [
        ThematicCategory.objects.get_or_create(code=code, defaults={"label": label})[0]
        for code, label in CATEGORIES
    ]
    shared = _Shared(
        corpus=_Corpus.build(),
        types={t.code: t for t in DecisionType.objects.all()},
        categories=categories,
        pdf_sha256=_store_shared_pdf(),
    )
    count = _load(ctx, shared, bodies)
    ctx.say(f"decisions: {count:,} inserted; counting the benchmark's searches")
    ctx.fixtures["decisions"] = _fixtures(ctx)


register("decisions", generate)
