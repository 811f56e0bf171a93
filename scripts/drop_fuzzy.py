"""After makemessages: msgmerge "guesses" translations of new strings from similar old ones
(fuzzy entries). A wrong guess is worse than none — it can even break compilation when its
placeholders differ — so this empties them and lists what is left to translate."""

import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po


def drop_fuzzy(path: Path) -> list[str]:
    with path.open("rb") as f:
        catalog = read_po(f)
    for message in catalog:
        if message.id and message.fuzzy:
            message.string = ("", "") if isinstance(message.id, tuple) else ""
            message.flags.discard("fuzzy")
            message.previous_id = []
    with path.open("wb") as f:
        write_po(f, catalog, width=79, include_previous=False)
    return [str(m.id) for m in catalog if m.id and not (m.string and all(m.string))]


if __name__ == "__main__":
    for name in sys.argv[1:]:
        todo = drop_fuzzy(Path(name))
        print(f"{name}: {len(todo)} to translate")
