"""What the hand-built spam signals add to the fast tier's spam head.

    uv run python benchmarks/ablation_spam_signals.py [--data-dir ../shared/data]

Trains the spam head twice on the same rows (all spam positives plus a seeded sample of the
other training rows), with and without the ten signal features (links, shorteners, phone
numbers, e-mails, money, promo phrases, caps, repetition), and prints ranking figures on the
validation split, on each spam source, and on spam written in styles the datasets lack.
"""

import argparse
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score, roc_auc_score

from moderation.domain.models import Category
from moderation.ml.data import DatasetCatalog, LabelledText
from moderation.ml.features import FastFeaturizer, FeaturizerConfig
from moderation.ml.rules import SpamSignalExtractor
from moderation.ml.text import TextNormalizer

# Spam in forms the SMS/YouTube training data barely has (shorteners, crypto, e-mail).
_OUT_OF_STYLE = [
    ("Earn $500/day from home!!! DM me or visit bit.ly/earn-fast", 1),
    ("FREE crypto giveaway, send 0.1 BTC to claim 1 BTC back: t.co/xyz", 1),
    ("Contact me at deals4you@mail.com for CHEAP followers", 1),
    ("CALL 1-800-555-0199 NOW to claim your prize", 1),
    ("Best replica watches, 90% off, tinyurl.com/watchez", 1),
    ("I called my mum at 5 and we talked about the garden", 0),
    ("The meeting moved to room 204, see the calendar invite", 0),
    ("Prices went up 10% this year, groceries are expensive", 0),
    ("Great video, I learned a lot about bread baking", 0),
    ("My email changed, ask me for the new one at the party", 0),
]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    parser.add_argument("--others", type=int, default=15_000)
    args = parser.parse_args()
    rng = np.random.default_rng(5)
    rows = [e for e in DatasetCatalog(args.data_dir).load_all() if Category.SPAM in e.labels]
    train = _sample([e for e in rows if e.split == "train"], args.others, rng)
    val = [e for e in rows if e.split == "validation"]
    normalizer, spam = TextNormalizer(), SpamSignalExtractor()
    norm = [normalizer.normalize_for_features(e.text) for e in train]
    extras = np.stack([spam.extract(e.text).as_vector() for e in train])
    y = np.array([e.labels[Category.SPAM] for e in train])
    v_texts = [e.text for e in val] + [t for t, _ in _OUT_OF_STYLE]
    v_norm = [normalizer.normalize_for_features(t) for t in v_texts]
    v_extras = np.stack([spam.extract(t).as_vector() for t in v_texts])
    v_y = np.array([e.labels[Category.SPAM] for e in val] + [y for _, y in _OUT_OF_STYLE])
    n_val = len(val)
    sources = sorted({e.source for e in val if e.labels[Category.SPAM] == 1})
    print(f"{len(train)} training rows ({int(y.sum())} spam), {n_val} validation rows\n")
    print(
        "| features | val ROC AUC | val AP | "
        + " | ".join(f"{s} AUC" for s in sources)
        + " | out-of-style AUC |"
    )
    print("|---|---:|---:|" + "---:|" * len(sources) + "---:|")
    for name, names in (
        ("n-grams only", []),
        ("n-grams + spam signals", SpamSignalExtractor.FEATURE_NAMES),
    ):
        featurizer = FastFeaturizer(FeaturizerConfig(extra_features=list(names)))
        featurizer.fit_idf(norm)
        x = featurizer.transform(norm, extras if names else None)
        model = LogisticRegression(C=4.0, max_iter=2000, solver="liblinear").fit(x, y)
        p = model.decision_function(featurizer.transform(v_norm, v_extras if names else None))
        cells = [
            f"{roc_auc_score(v_y[:n_val], p[:n_val]):.4f}",
            f"{average_precision_score(v_y[:n_val], p[:n_val]):.4f}",
        ]
        for source in sources:
            mask = np.array([e.source == source for e in val])
            cells.append(f"{roc_auc_score(v_y[:n_val][mask], p[:n_val][mask]):.4f}")
        cells.append(f"{roc_auc_score(v_y[n_val:], p[n_val:]):.3f}")
        print(f"| {name} | " + " | ".join(cells) + " |")


def _sample(rows: list[LabelledText], others: int, rng: np.random.Generator) -> list[LabelledText]:
    spam_sources = {"sms_spam", "youtube_spam"}
    keep = [e for e in rows if e.source in spam_sources]
    rest = [e for e in rows if e.source not in spam_sources]
    picked = rng.choice(len(rest), size=min(others, len(rest)), replace=False)
    return keep + [rest[i] for i in sorted(picked)]


if __name__ == "__main__":
    main()
