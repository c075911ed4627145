"""Score name pairs with nomenklatura's matching algorithms (run inside its own venv).

Reads JSON lines {"a", "b", "a_dob", "b_dob"} on stdin and writes one JSON line per pair:
{"logic-v2": score, "logic-v1": score}. Each side becomes a followthemoney Person entity with
``name`` and ``birthDate``, compared through the algorithms' ``compare(query, result, config)``
class methods with their default configuration — the way yente calls them.
"""

from __future__ import annotations

import json
import sys

from followthemoney import model
from nomenklatura.matching import LogicV1, LogicV2

ALGORITHMS = (LogicV2, LogicV1)


def person(entity_id: str, name: str, dob: str | None):
    entity = model.make_entity("Person")
    entity.id = entity_id
    entity.add("name", name)
    if dob:
        entity.add("birthDate", dob)
    return entity


def main() -> None:
    configs = {alg.NAME: alg.default_config() for alg in ALGORITHMS}
    for number, line in enumerate(sys.stdin):
        row = json.loads(line)
        query = person(f"q{number}", row["a"], row.get("a_dob"))
        result = person(f"r{number}", row["b"], row.get("b_dob"))
        out = {}
        for alg in ALGORITHMS:
            try:
                out[alg.NAME] = alg.compare(query, result, configs[alg.NAME]).score
            except Exception as exc:  # a crash on one pair counts as no match
                out[alg.NAME] = 0.0
                out[f"{alg.NAME}-error"] = type(exc).__name__
        print(json.dumps(out))


if __name__ == "__main__":
    main()
