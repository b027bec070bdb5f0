"""Realistic, varied request bodies for the service benchmark.

Every request carries texts composed afresh from a pool of typical comments (benign, rude,
threatening, spammy, several languages), so no two requests in a run repeat a text and no
cache, in the service or below it, can flatter the figures. The mix is 70 % benign, 20 % rude
or worse, 10 % spam; with the dressing (openers, closers, two comments run together) about a
third of the texts end flagged or rejected and about a fifth go through the semantic tier,
close to the real-data mix of benchmarks/bench_engine.py and heavier than a typical platform.
"""

import json
import random
from pathlib import Path

_BENIGN = (
    "Loved the pasta, and the staff were lovely. Will come back!",
    "Thanks, this fixed my problem!",
    "Does anyone know if this works with the older model? Mine is from 2019.",
    "Shipping took a bit longer than promised but the product itself is great.",
    "I disagree with the author here, the numbers in the second table don't add up.",
    "Great write-up. I'd add that you should back up your data before upgrading.",
    "The hotel was clean and quiet, breakfast could have had more choice though.",
    "My kids love this game, we play it every weekend as a family.",
    "Can you post the recipe for the sauce? It looked amazing.",
    "Five stars. Crushes ice in seconds and it is easy to clean.",
    "The battery lasts about two days with normal use, which is fine for me.",
    "I am a gay Muslim woman and I found this guide really helpful.",
    "Saying that immigrants are vermin is disgusting and wrong.",
    "Honestly the sequel was better than the first one, fight me on this.",
    "Customer service answered within an hour and replaced the broken part for free.",
    "Is there a way to export the report as a spreadsheet?",
    "This killed it at the party, everyone asked where I bought it.",
    "The update broke dark mode on my phone, anyone else seeing this?",
    "We stayed three nights; the view from the balcony was worth every penny.",
    "Please add subtitles to the video, my father is hard of hearing.",
    "The instructions were confusing but the video tutorial helped a lot.",
    "Not bad for the price. The strap feels a bit cheap.",
    "Congratulations on the new job, you deserve it!",
    "I've been following this blog for years, keep up the good work.",
    "Sad to see the local bakery close, they made the best bread in town.",
    "Ce restaurant est vraiment excellent, je recommande.",
    "Das Essen war kalt und der Kellner unfreundlich.",
    "Me encantó el hotel, el personal fue muy amable.",
    "O produto chegou quebrado e ninguém responde aos meus e-mails.",
    "Questo film è una vera perdita di tempo.",
    "Super Service, schnelle Lieferung, gerne wieder!",
)

_TOXIC = (
    "ur a f4cking idiot, I know where you live",
    "Meet me after school, you won't walk away from it this time.",
    "You are an idiot and everyone here knows it.",
    "Shut up, nobody asked for your stupid opinion.",
    "What a pathetic loser, go cry somewhere else.",
    "This is the dumbest thing I've read all week, are you braindead?",
    "I will find you and make you regret posting this.",
    "People like you should be banned from the internet, moron.",
    "Get lost you worthless piece of garbage.",
    "This shit is broken again, total crap product.",
    "You're so ugly it hurts to look at your profile picture.",
    "Keep talking and see what happens to your car tonight.",
    "Those people are animals and don't belong in our country.",
    "Send me pics baby, you know you want to.",
    "Kill yourself, nobody would miss you.",
    "What the hell is wrong with the moderators on this site?",
    "Go back to where you came from.",
    "You absolute clown, read the article before commenting.",
    "Tu es vraiment un imbécile, tais-toi.",
    "Eres un idiota, nadie te soporta.",
)

_SPAM = (
    "WIN a FREE iPhone!!! Click bit.ly/fr33-phone or call 555-201-3344 now",
    "Earn $500 a day from home, no experience needed! DM me for details.",
    "Cheap followers and likes, best prices, visit my profile link!!!",
    "Congratulations! You have been selected for a cash prize. Claim at prize-now.example",
    "Hot singles in your area are waiting, sign up free today",
    "Buy cheap meds online without prescription, fast shipping worldwide",
)

# Most traffic on a real platform is benign; a fifth rude or worse and a tenth spam keeps the
# engine's expensive paths (spans, the semantic tier for uncertain texts) well exercised.
_MIX = ((_BENIGN, 0.70), (_TOXIC, 0.20), (_SPAM, 0.10))

_OPENERS = (
    "",
    "",
    "",
    "Update: ",
    "Honestly, ",
    "Just my two cents: ",
    "Lol ",
    "Well... ",
    "@{user} ",
    "Replying to {user}: ",
    "Day {n}: ",
    "Edit: ",
)

_CLOSERS = (
    "",
    "",
    "",
    " Thanks!",
    " Just saying.",
    " 10/10",
    " #{tag}",
    " (posted from my phone)",
    " Order #{n} by the way.",
    " See you on the {n}th.",
    " Cheers, {user}",
    " !!!",
    " What do you all think?",
)

_USERS = ("sam", "alex_k", "maria88", "jdoe", "trollhunter", "nina", "bob_builder", "lee")
_TAGS = ("review", "help", "news", "sports", "music", "tech", "food", "travel", "gaming")


def load_example_comments(path: Path) -> list[str]:
    """The texts of a JSON-lines file such as `examples/comments.jsonl` (empty if absent)."""
    if not path.is_file():
        return []
    texts: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            text = json.loads(line).get("text")
            if isinstance(text, str) and text.strip():
                texts.append(text)
    return texts


class _Composer:
    """Builds distinct comment texts: a base comment (drawn by the mix's weights, or one of
    the `extra` examples) dressed with an opener, a closer and small variable parts (names,
    numbers, tags); texts already handed out are never repeated."""

    def __init__(self, rng: random.Random, extra: list[str]) -> None:
        self._rng = rng
        self._groups = [list(group) for group, _ in _MIX] + ([extra] if extra else [])
        self._weights = [weight for _, weight in _MIX] + ([0.05] if extra else [])
        self._seen: set[str] = set()

    def _base(self) -> str:
        group = self._rng.choices(self._groups, self._weights)[0]
        return self._rng.choice(group)

    def text(self) -> str:
        rng = self._rng
        while True:
            parts = [rng.choice(_OPENERS), self._base()]
            if rng.random() < 0.15:
                # Some longer posts: two comments run together, as in real threads.
                parts.append(" " + self._base())
            parts.append(rng.choice(_CLOSERS))
            text = "".join(parts).format(
                user=rng.choice(_USERS), n=rng.randint(2, 9999), tag=rng.choice(_TAGS)
            )
            if text not in self._seen:
                self._seen.add(text)
                return text


def moderate_bodies(
    count: int, texts_per_request: int, rng: random.Random, extra: list[str]
) -> list[str]:
    """`count` JSON bodies for `POST /api/v1/moderate`, each with fresh texts."""
    composer = _Composer(rng, extra)
    bodies = []
    for i in range(count):
        items = [{"id": f"r{i}-{j}", "text": composer.text()} for j in range(texts_per_request)]
        bodies.append(json.dumps({"items": items}, ensure_ascii=False, separators=(",", ":")))
    return bodies


def content_bodies(count: int, rng: random.Random, extra: list[str]) -> list[str]:
    """`count` JSON bodies for `POST /api/v1/content`: a title, a body, tags and metadata."""
    composer = _Composer(rng, extra)
    bodies = []
    for i in range(count):
        title = composer.text()[:80]
        body = composer.text()
        tags = rng.sample(_TAGS, rng.randint(0, 3))
        item = {
            "title": title,
            "body": body,
            "content_type": "text",
            "author_id": f"user-{rng.randint(1, 5000)}",
            "tags": tags,
            "metadata": {"source": rng.choice(("web", "ios", "android")), "seq": i},
        }
        bodies.append(json.dumps(item, ensure_ascii=False, separators=(",", ":")))
    return bodies


def vendor_bodies(count: int, vendor: str, rng: random.Random, extra: list[str]) -> list[str]:
    """`count` one-text JSON bodies for a drop-in route: `openai` (`/v1/moderations`),
    `perspective` (`comments:analyze`, three attributes) or `azure` (`text:analyze`)."""
    composer = _Composer(rng, extra)
    bodies = []
    for _ in range(count):
        text = composer.text()
        body: dict[str, object]
        if vendor == "openai":
            body = {"model": "omni-moderation-latest", "input": text}
        elif vendor == "perspective":
            attributes: dict[str, object] = {"TOXICITY": {}, "INSULT": {}, "THREAT": {}}
            body = {"comment": {"text": text}, "requestedAttributes": attributes}
        elif vendor == "azure":
            body = {"text": text, "outputType": "FourSeverityLevels"}
        else:
            raise ValueError(f"unknown vendor {vendor!r}")
        bodies.append(json.dumps(body, ensure_ascii=False, separators=(",", ":")))
    return bodies
