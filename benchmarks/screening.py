"""Screening benchmark: a synthetic 1,000,000-person watchlist, 10,000 queries.

    .venv/bin/python benchmarks/screening.py                      # full size (about 5 min)
    .venv/bin/python benchmarks/screening.py --entries 100000 --queries 2000 --brute 50 --sample 5000

Builds a watchlist of synthetic persons (Russian and Ukrainian names drawn from the frequency
tables in benchmarks/data/ru_uk_names.tsv plus a long tail of rarer surnames; written in
Cyrillic or in one of 13 transliterations; surname-first or given-name-first; with
patronymics, aliases and birth dates) and reports:

- index build time and size (the arrays, the names and birth dates it keeps);
- p50 / p95 latency of one screen (blocking keys → candidates → AWOL scorer → ranking),
  one core, in memory (fetching the top entries' details from the database is not included);
- bulk throughput (queries per second, one process);
- peak memory (RSS) of the whole run;
- recall against a brute-force scan on a sample: ``--brute`` queries (default 200) are each
  scored by the same AWOL scorer against every name of a ``--sample`` of the watchlist
  (default 20,000 entries: the planted entry of every checked query plus random others);
  recall = share of these brute-force matches (score ≥ MATCH_THRESHOLD) that screening on the
  full index also returns among all its candidates at or above the threshold (no top-10
  cut), with the misses split into "cut by the candidate cap" and "no blocking key shared";
- planted-person recall on the full list: the planted entry ranked first / in the top 10;
- the AWOL scorer per pair: ``match_names`` (parses both names) and the batch
  ``NameMatcher`` (query parsed once, candidates parsed once), on the same pairs;
- the nomenklatura logic-v2 scorer timed on the same candidate pairs (per pair), run in
  benchmarks/.venv-nomenklatura (created with `python3 -m venv` + `pip install nomenklatura`
  when missing).

Nothing here is real personal data.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "src"))

from awol.names import MATCH_THRESHOLD, blocking_keys, match_names  # noqa: E402
from awol.names.translit import SYSTEMS, transliterate  # noqa: E402
from awol.screen.index import MAX_CANDIDATES, MAX_PLAUSIBLE, PLAUSIBLE_MARGIN, ScreeningIndex  # noqa: E402
from awol.screen.screening import Query, rank  # noqa: E402

NK_VENV = HERE / ".venv-nomenklatura"
LATIN_SYSTEMS = sorted(SYSTEMS)

# --- synthetic people ---------------------------------------------------------------------

TAIL_STEMS = (
    "Бел Черн Сер Крас Зелен Добр Голов Носк Бород Рыж Кос Лис Волч Медвед Заяц Сокол Ворон "
    "Гол Сорок Щеглов Снегир Дятл Грач Чиж Карас Окун Щук Ерш Сом Налим Пескар Рак Ков Кузьм "
    "Тимош Ярош Гриц Мирош Панас Юрч Петрищ Мартын Остап Харит Тарас Климч Лук Фом Ерем Дем "
    "Кирил Мефод Прох Пахом Игнат Артем Арх Сав Тих Елис Евдок Абрам Исак Яков Давыд Гордей "
    "Шапош Кожем Бонд Гонч Столяр Плотн Кузн Мельн Пекар Рыбак Пастух Дьяч Попад Писар Мирон "
    "Ткач Швец Коваль Бабен Дидух Гуц Гуменн Ляш Мазур Литвин Русин Поляк Немч Татарин "
    "Мороз Снеж Вьюг Гром Ветр Зорин Солнц Лун Звезд Камен Желез Медн Серебр Золот Стекл "
    "Дуб Клен Берез Ольх Ясен Липов Вишн Яблон Груш Малин Калин Рябин Сирен Полын Крапив"
).split()
TAIL_SUFFIXES_RU = ("ов", "ев", "ин", "ский", "цов", "ников", "ихин", "ушкин")
TAIL_SUFFIXES_UK = ("енко", "ук", "чук", "ишин", "юк", "ович")


def load_tables() -> dict[str, list]:
    tables: dict[str, list] = {"surname_ru": [], "surname_uk": [], "given_m": [], "given_f": []}
    for line in (HERE / "data" / "ru_uk_names.tsv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        kind, name, weight, *rest = line.split("\t")
        tables[kind].append((name, float(weight), *rest))
    return tables


def female(surname: str) -> str:
    for end, fem in (("ский", "ская"), ("цкий", "цкая"), ("ов", "ова"), ("ёв", "ёва"),
                     ("ев", "ева"), ("ин", "ина"), ("ын", "ына")):
        if surname.endswith(end):
            return surname[: -len(end)] + fem
    return surname


class People:
    """Draws synthetic persons with realistic name frequencies."""

    def __init__(self, rnd: random.Random):
        self.rnd = rnd
        t = load_tables()
        self.ru = [x[0] for x in t["surname_ru"]]
        self.ru_w = [x[1] for x in t["surname_ru"]]
        self.uk = [x[0] for x in t["surname_uk"]]
        self.uk_w = [x[1] for x in t["surname_uk"]]
        self.male = [(x[0], x[2], x[3]) for x in t["given_m"]]
        self.male_w = [x[1] for x in t["given_m"]]
        self.fem = [x[0] for x in t["given_f"]]
        self.fem_w = [x[1] for x in t["given_f"]]
        self.tail_ru = [s + e for s in TAIL_STEMS for e in TAIL_SUFFIXES_RU]
        self.tail_uk = [s + e for s in TAIL_STEMS for e in TAIL_SUFFIXES_UK]

    def person(self) -> tuple[str, str, str | None, str, str]:
        """(surname, given, patronymic, birth date, nation) in Cyrillic."""
        r = self.rnd
        nation = "uk" if r.random() < 0.25 else "ru"
        common = r.random() < 0.45  # the rest from the long tail
        if nation == "ru":
            surname = r.choices(self.ru, self.ru_w)[0] if common else r.choice(self.tail_ru)
        else:
            surname = r.choices(self.uk, self.uk_w)[0] if common else r.choice(self.tail_uk)
        is_male = r.random() < 0.88  # military lists are mostly men
        father = r.choices(self.male, self.male_w)[0]
        if is_male:
            given = r.choices(self.male, self.male_w)[0][0]
            patronymic = father[1]
        else:
            given = r.choices(self.fem, self.fem_w)[0]
            patronymic = father[2]
            surname = female(surname)
        if r.random() < 0.3:
            patronymic = None
        dob = f"{r.randint(1950, 2005)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d}"
        return surname, given, patronymic, dob, nation

    def spell(self, surname: str, given: str, patronymic: str | None, *, script: str | None = None,
              order: int | None = None, drop_patronymic: bool | None = None) -> str:
        r = self.rnd
        if drop_patronymic if drop_patronymic is not None else r.random() < 0.4:
            patronymic = None
        order = r.randrange(3) if order is None else order
        if order == 0:
            parts = [given, patronymic, surname]
        elif order == 1:
            parts = [surname, given, patronymic]
        else:
            parts = [surname + ",", given, patronymic]
        text = " ".join(p for p in parts if p)
        script = script or (None if r.random() < 0.35 else r.choice(LATIN_SYSTEMS))
        if script:
            text = transliterate(text, script)
        if order == 2 or (order == 1 and r.random() < 0.5):
            words = text.split()
            words[0] = words[0].upper()
            text = " ".join(words)
        return text


def typo(text: str, rnd: random.Random) -> str:
    """One dropped or doubled letter inside the longest word."""
    words = text.split()
    i = max(range(len(words)), key=lambda k: len(words[k]))
    w = words[i]
    if len(w) < 5:
        return text
    j = rnd.randrange(2, len(w) - 1)
    words[i] = w[:j] + w[j + 1:] if rnd.random() < 0.5 else w[:j] + w[j] + w[j:]
    return " ".join(words)


def make_watchlist(n: int, seed: int):
    rnd = random.Random(seed)
    people = People(rnd)
    truth, records = [], []
    for i in range(n):
        surname, given, patronymic, dob, nation = people.person()
        name = people.spell(surname, given, patronymic)
        aliases = []
        if rnd.random() < 0.3:
            aliases.append(people.spell(surname, given, patronymic))
        dobs = [dob] if rnd.random() < 0.85 else ([dob[:4]] if rnd.random() < 0.5 else [])
        records.append((i, 1, name, aliases, dobs))
        truth.append((surname, given, patronymic, dob))
    return records, truth, people


def make_queries(n: int, truth, people: People, seed: int):
    rnd = random.Random(seed + 1)
    queries = []
    for _ in range(n):
        if rnd.random() < 0.8:
            entry = rnd.randrange(len(truth))
            surname, given, patronymic, dob = truth[entry]
        else:
            entry = None
            surname, given, patronymic, dob, _nation = people.person()
        name = people.spell(surname, given, patronymic)
        if rnd.random() < 0.1:
            name = typo(name, rnd)
        queries.append((Query(name, dob if rnd.random() < 0.5 else None), entry))
    return queries


# --- measuring ----------------------------------------------------------------------------


def rss_mb() -> float:
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def index_size(index: ScreeningIndex) -> int:
    size = index.stats.nbytes
    size += sys.getsizeof(index.names) + sum(sys.getsizeof(s) for s in index.names)
    size += sys.getsizeof(index.folded) + sum(sys.getsizeof(s) for s in index.folded)
    size += sys.getsizeof(index.entry_dobs)
    seen = set()
    for d in index.entry_dobs:
        if id(d) not in seen:
            seen.add(id(d))
            size += sys.getsizeof(d) + sum(sys.getsizeof(x) for x in d)
    return size


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    k = max(0, min(len(values) - 1, round(p / 100 * (len(values) - 1))))
    return values[k]


def brute_force_sample(index: ScreeningIndex, queries: list[Query], sample: list[int]) -> list[set[int]]:
    """For each query, the entries of ``sample`` that the AWOL scorer calls a match, scoring
    every name of every sampled entry (the same scorer as screening: ``NameMatcher``, whose
    scores equal ``match_names``)."""
    from awol.names import NameMatcher, parse_name
    from awol.screen.screening import _best_dob

    targets = []
    for e in sample:
        for name in index.names_of(e):
            try:
                targets.append((e, parse_name(name)))
            except ValueError:
                pass
    out = []
    dobs = index.entry_dobs
    for q in queries:
        m = NameMatcher(q.name, q.dob)
        found = set()
        for e, parsed in targets:
            if e not in found and m.probability(parsed, _best_dob(q.dob, dobs[e])) >= MATCH_THRESHOLD:
                found.add(e)
        out.append(found)
    return out


NK_SCRIPT = r"""
import json, sys, time, statistics
from followthemoney import model
from nomenklatura.matching import LogicV2
from nomenklatura.matching.types import ScoringConfig
cfg = ScoringConfig.defaults()
pairs = json.load(sys.stdin)
def person(i, name, dob):
    e = model.make_entity("Person"); e.id = f"e{i}"; e.add("name", name)
    if dob: e.add("birthDate", dob)
    return e
ents = [(person(2*i, a, da), person(2*i+1, b, db)) for i, (a, da, b, db) in enumerate(pairs)]
t = time.perf_counter(); LogicV2.compare(*ents[0], cfg); warmup = time.perf_counter() - t
times = []
for q, r in ents[1:]:
    t = time.perf_counter(); LogicV2.compare(q, r, cfg); times.append(time.perf_counter() - t)
times.sort()
print(json.dumps({"pairs": len(times), "warmup_ms": 1e3 * warmup, "mean_ms": 1e3 * statistics.fmean(times),
                  "p50_ms": 1e3 * times[len(times)//2], "p95_ms": 1e3 * times[int(len(times)*0.95)]}))
"""


def nomenklatura_venv() -> Path | None:
    python = NK_VENV / "bin" / "python"
    if not python.exists():
        try:
            subprocess.run([sys.executable, "-m", "venv", str(NK_VENV)], check=True)
            subprocess.run([str(python), "-m", "pip", "install", "-q", "nomenklatura"], check=True)
        except (subprocess.CalledProcessError, OSError):
            return None
    return python


def time_nomenklatura(pairs: list[tuple]) -> dict | None:
    python = nomenklatura_venv()
    if python is None:
        return None
    proc = subprocess.run([str(python), "-c", NK_SCRIPT], input=json.dumps(pairs),
                          capture_output=True, text=True)
    if proc.returncode != 0:
        return {"error": proc.stderr.strip().splitlines()[-1] if proc.stderr else "failed"}
    result = json.loads(proc.stdout)
    version = subprocess.run([str(python), "-c", "import importlib.metadata as m; print(m.version('nomenklatura'))"],
                             capture_output=True, text=True).stdout.strip()
    result["version"] = version
    return result


# --- the run ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--entries", type=int, default=1_000_000)
    parser.add_argument("--queries", type=int, default=10_000)
    parser.add_argument("--brute", type=int, default=200, help="queries checked by brute force")
    parser.add_argument("--sample", type=int, default=20_000,
                        help="watchlist entries the brute force scans (planted matches included)")
    parser.add_argument("--nk-pairs", type=int, default=3000, help="pairs timed with nomenklatura")
    parser.add_argument("--max-candidates", type=int, default=MAX_CANDIDATES)
    parser.add_argument("--max-plausible", type=int, default=MAX_PLAUSIBLE)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    say = lambda *a: print(*a, file=sys.stderr, flush=True)  # noqa: E731
    started = time.perf_counter()
    say(f"generating {args.entries:,} entries…")
    records, truth, people = make_watchlist(args.entries, args.seed)
    queries = make_queries(args.queries, truth, people, args.seed)
    gc.collect()
    rss_before = rss_mb()
    say("building the index…")
    index = ScreeningIndex().build(iter(records))
    del records
    gc.collect()
    rss_after = rss_mb()
    size = index_size(index)
    say(f"index: {index.stats.build_seconds:.1f} s, {size / 2**20:.0f} MiB")

    say(f"screening {len(queries):,} queries…")
    latencies, results = [], []
    bulk_started = time.perf_counter()
    for q, _entry in queries:
        t = time.perf_counter()
        found = rank(index, q, limit=10, min_score=0.0, max_candidates=args.max_candidates, max_plausible=args.max_plausible)
        latencies.append(time.perf_counter() - t)
        results.append(found)
    bulk_seconds = time.perf_counter() - bulk_started
    from awol.screen.index import fold_name
    scored = [len(index.candidates(blocking_keys(q.name), folded=fold_name(q.name), dob=q.dob, name=q.name,
                                   limit=args.max_candidates, plausible=args.max_plausible))
              for q, _ in queries[:2000]]
    planted = [(found, entry) for (q, entry), found in zip(queries, results) if entry is not None]
    top1 = sum(1 for found, entry in planted if found and found[0].entry_no == entry) / len(planted)
    in10 = sum(1 for found, entry in planted if any(c.entry_no == entry for c in found)) / len(planted)

    # Recall against brute force on a sample of the watchlist: the sample holds the planted
    # entry of every checked query plus random others; every name of every sampled entry is
    # scored (brute force), and the screening answer on the full index (all candidates at or
    # above the threshold, no top-10 cut) is restricted to the same sample.
    rnd = random.Random(args.seed + 2)
    checked = rnd.sample(range(len(queries)), min(args.brute, len(queries)))
    planted_entries = {queries[i][1] for i in checked if queries[i][1] is not None}
    others = [e for e in rnd.sample(range(index.stats.entries), min(index.stats.entries, args.sample + len(planted_entries)))
              if e not in planted_entries]
    sample = sorted(planted_entries | set(others[: max(0, args.sample - len(planted_entries))]))
    in_sample = set(sample)
    say(f"brute force: {len(checked)} queries × every name of {len(sample):,} sampled entries…")
    brute_started = time.perf_counter()
    brute = brute_force_sample(index, [queries[i][0] for i in checked], sample)
    brute_seconds = time.perf_counter() - brute_started
    wanted = hit = 0
    wanted_dob = hit_dob = 0
    missed_cap = missed_block = 0
    for i, truth_set in zip(checked, brute):
        q = queries[i][0]
        fast = rank(index, q, limit=1_000_000, min_score=MATCH_THRESHOLD,
                    max_candidates=args.max_candidates, max_plausible=args.max_plausible)
        fast_set = {c.entry_no for c in fast if c.match} & in_sample
        wanted += len(truth_set)
        hit += len(truth_set & fast_set)
        missed = truth_set - fast_set
        if missed:
            # Why: no blocking key in common, or cut by the candidate cap (pre-ranking)?
            from awol.names import blocking_keys as _bk
            block = index.candidates(_bk(q.name), limit=10**9)
            in_block = {int(index.name_entry[n]) for n in block.tolist()}
            missed_cap += len(missed & in_block)
            missed_block += len(missed - in_block)
        if q.dob:
            wanted_dob += len(truth_set)
            hit_dob += len(truth_set & fast_set)
    recall = hit / wanted if wanted else 1.0
    recall_dob = hit_dob / wanted_dob if wanted_dob else 1.0

    # AWOL and nomenklatura per pair, on the same candidate pairs.
    pairs = []
    for (q, _), found in zip(queries, results):
        for c in found:
            dobs = index.entry_dobs[c.entry_no]
            pairs.append((q.name, q.dob, c.matched_name, dobs[0] if dobs else None))
            if len(pairs) >= args.nk_pairs:
                break
        if len(pairs) >= args.nk_pairs:
            break
    t = time.perf_counter()
    for a, da, b, db in pairs:
        match_names(a, b, dob_a=da, dob_b=db)
    awol_pair_ms = 1e3 * (time.perf_counter() - t) / max(1, len(pairs))
    # The batch scorer on the same pairs: the query parsed once per query, candidates
    # already parsed (as the index caches them), score alone / score with explanation.
    from awol.names import NameMatcher, parse_name
    matchers = {(a, da): NameMatcher(a, da) for a, da, _b, _db in pairs}
    parsed_b = {b: parse_name(b) for _a, _da, b, _db in pairs}
    t = time.perf_counter()
    for a, da, b, db in pairs:
        matchers[(a, da)].probability(parsed_b[b], db)
    batch_pair_ms = 1e3 * (time.perf_counter() - t) / max(1, len(pairs))
    t = time.perf_counter()
    for a, da, b, db in pairs:
        matchers[(a, da)].score(parsed_b[b], db)
    batch_explain_ms = 1e3 * (time.perf_counter() - t) / max(1, len(pairs))
    say(f"nomenklatura logic-v2 on {len(pairs)} pairs…")
    nk = time_nomenklatura(pairs)
    mean_candidates = statistics.fmean(len(f) for f in results)

    lines = [
        f"# Screening benchmark — {time.strftime('%Y-%m-%d')}",
        "",
        f"Command: `.venv/bin/python benchmarks/screening.py --entries {args.entries} "
        f"--queries {args.queries} --brute {args.brute} --sample {args.sample} --nk-pairs {args.nk_pairs}"
        + (f" --max-candidates {args.max_candidates}" if args.max_candidates != MAX_CANDIDATES else "")
        + (f" --max-plausible {args.max_plausible}" if args.max_plausible != MAX_PLAUSIBLE else "") + "`",
        f"Machine: {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}; "
        "screening on one core (one process, one thread).",
        "",
        "| measure | value |",
        "|---|---|",
        f"| watchlist entries | {index.stats.entries:,} ({index.stats.names:,} names incl. aliases) |",
        f"| blocking-key postings | {index.stats.postings:,} |",
        f"| index build time | {index.stats.build_seconds:.1f} s |",
        f"| index size (arrays + names + skeletons + birth dates) | {size / 2**20:.0f} MiB |",
        f"| RSS growth while building | {rss_after - rss_before:.0f} MiB |",
        f"| single screen p50 | {1e3 * pct(latencies, 50):.2f} ms |",
        f"| single screen p95 | {1e3 * pct(latencies, 95):.2f} ms |",
        f"| single screen p99 | {1e3 * pct(latencies, 99):.2f} ms |",
        f"| bulk throughput (one process) | {len(queries) / bulk_seconds:.0f} queries/s |",
        f"| peak memory (RSS, whole run incl. generation) | {peak_mb():.0f} MiB |",
        f"| recall vs brute force ({len(checked)} queries × {len(sample):,}-entry sample, {wanted} brute-force matches) | {100 * recall:.2f} % |",
        f"| … of which queries with a birth date ({wanted_dob} matches) | {100 * recall_dob:.2f} % |",
        f"| brute-force matches missed: cut by the candidate cap / sharing no blocking key | {missed_cap} / {missed_block} |",
        f"| planted entry ranked first / in top 10 | {100 * top1:.1f} % / {100 * in10:.1f} % |",
        f"| candidates passed to the scorer per query (scoring stops early once the rest cannot be shown) | the best {args.max_candidates} by the pre-rank, plus any whose "
        f"estimate is within {PLAUSIBLE_MARGIN} log-odds of the threshold, up to {args.max_plausible}; "
        f"mean {statistics.fmean(scored):.0f}, max {max(scored)} |",
        f"| results returned per query (mean, limit 10) | {mean_candidates:.1f} |",
        f"| AWOL `match_names` per pair (parses both names) | {awol_pair_ms:.3f} ms |",
        f"| AWOL `NameMatcher.probability` per pair (both parsed once) | {batch_pair_ms:.3f} ms |",
        f"| AWOL `NameMatcher.score` per pair (with explanation) | {batch_explain_ms:.3f} ms |",
        f"| parsed names cached by the index at the end | {len(index._parse_cache):,} (cap {index.parse_cache_size:,}) |",
    ]
    if nk and "error" not in nk:
        lines.append(
            f"| nomenklatura {nk['version']} logic-v2 per pair ({nk['pairs']} pairs) | "
            f"mean {nk['mean_ms']:.3f} ms, p50 {nk['p50_ms']:.3f} ms, p95 {nk['p95_ms']:.3f} ms "
            f"(first call, excluded: {nk['warmup_ms']:.0f} ms) |"
        )
    else:
        lines.append(f"| nomenklatura logic-v2 | not timed ({(nk or {}).get('error', 'no venv')}) |")
    lines += [
        f"| brute-force scan time | {brute_seconds:.1f} s for {len(checked)} queries (one process) |",
        f"| total run time | {(time.perf_counter() - started) / 60:.1f} min |",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
