"""Staff names for the sample journeys: common Dutch surnames, deterministic, no randomness."""

from __future__ import annotations

SURNAMES = (
    "de Vries", "Jansen", "van den Berg", "Bakker", "Visser", "Smit", "Meijer", "de Boer",
    "Mulder", "de Groot", "Bos", "Vos", "Peters", "Hendriks", "van Leeuwen", "Dekker",
    "Brouwer", "de Wit", "Dijkstra", "Smits", "de Graaf", "van der Meer", "Kok", "Jacobs",
    "de Haan", "Vermeulen", "van Dijk", "Hoekstra", "Maas", "Verhoeven", "Koster", "Prins",
    "Yilmaz", "El Amrani", "Bouzid", "Kaya", "Nguyen", "Pinas", "Öztürk", "Boateng",
)  # fmt: skip
INITIALS = "AJMSEKLPRHTNDWCB"


def team(start: int, size: int, title: str = "") -> tuple[str, ...]:
    """`size` names such as 'Dr. A. de Vries', picked from position `start` on."""
    names = []
    for i in range(start, start + size):
        initial = INITIALS[(i * 5) % len(INITIALS)]
        names.append(f"{title}{initial}. {SURNAMES[i % len(SURNAMES)]}")
    return tuple(names)


def logins(start: int, size: int) -> tuple[str, ...]:
    """`size` user names such as 'jdevries', as municipal systems log them."""
    return tuple(
        name.replace(". ", "").replace(" ", "").replace("Ö", "O").replace("ö", "o").lower()
        for name in team(start, size)
    )
