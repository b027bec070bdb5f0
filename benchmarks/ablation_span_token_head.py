"""Ablation: a token head over the shipped fine-tuned encoder's states, for toxic spans.

    uv run python benchmarks/ablation_span_token_head.py [--data-dir ../shared/data]

The shipped span tagger is linear over hashed token features (trial F1 in the model card).
This asks whether the fine-tuned MiniLM's last-layer states, frozen, carry enough per-token
signal to do better: each word token is the mean of its word pieces' states; a logistic
regression (and, stacked, the shipped tagger's own logit) is fitted on 90 % of tsd_train,
its threshold chosen on the other 10 %, and span F1 reported on tsd_trial, decoded exactly as
the tagger decodes. Prints one line per variant.
"""

import argparse
import time
from pathlib import Path

import numpy as np
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression

from moderation.ml.embeddings import FinetunedScorer
from moderation.ml.spans import SpanTagger
from moderation.ml.spans._decode import decode_spans
from moderation.ml.spans._text import WordToken, tokenize
from moderation.ml.spans._toxic_spans_io import read_tsd_csv
from moderation.ml.spans._training import token_labels
from moderation.ml.spans.char_ranges import ranges_to_offsets
from moderation.ml.spans.span_f1 import mean_span_f1

BUNDLE = Path(__file__).resolve().parents[1] / "src/moderation/ml/bundles/default"
Post = tuple[list[WordToken], NDArray[np.float32], NDArray[np.float32]]


def _post(scorer: FinetunedScorer, tagger: SpanTagger, text: str) -> Post:
    words = tokenize(text)
    offsets, states = scorer.token_states(text)
    features = np.zeros((len(words), states.shape[1]), dtype=np.float32)
    for i, word in enumerate(words):
        pieces = [k for k, (a, b) in enumerate(offsets) if a < word.end and b > word.start]
        if pieces:
            features[i] = states[pieces].mean(axis=0)
    logits = np.asarray(tagger._token_logits([w.text for w in words]), dtype=np.float32)
    return words, features, logits


def _rows(post: Post, stacked: bool) -> NDArray[np.float32]:
    _, features, logits = post
    return np.hstack([features, logits[:, None]]) if stacked else features


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data-dir", type=Path, default=Path("../shared/data"))
    args = parser.parse_args()
    folder = args.data_dir / "toxic_spans"
    texts, gold = read_tsd_csv(folder / "tsd_train.csv")
    trial_texts, trial_gold = read_tsd_csv(folder / "tsd_trial.csv")
    scorer = FinetunedScorer.load(BUNDLE / "finetuned")
    tagger = SpanTagger.load(BUNDLE / "spans")
    started = time.perf_counter()
    posts = [_post(scorer, tagger, t) for t in texts]
    trial = [_post(scorer, tagger, t) for t in trial_texts]
    print(f"token states of {len(posts) + len(trial)} posts: {time.perf_counter() - started:.0f} s")
    order = np.random.default_rng(7).permutation(len(texts))
    held, fit = order[: len(texts) // 10], order[len(texts) // 10 :]

    def f1(
        model: LogisticRegression,
        chosen: list[Post],
        texts_: list[str],
        gold_: list[list[int]],
        threshold: float,
        stacked: bool,
    ) -> float:
        predicted = []
        for post, text in zip(chosen, texts_, strict=True):
            probs = model.predict_proba(_rows(post, stacked))[:, 1].tolist() if post[0] else []
            predicted.append(ranges_to_offsets(decode_spans(text, post[0], probs, threshold, 0.0)))
        return mean_span_f1(predicted, gold_)

    for stacked in (False, True):
        kept = [i for i in fit if posts[i][0]]
        x = np.vstack([_rows(posts[i], stacked) for i in kept])
        y = np.concatenate([token_labels(posts[i][0], set(gold[i])) for i in kept])
        model = LogisticRegression(C=0.1, max_iter=2000).fit(x, y)
        held_posts = [posts[i] for i in held]
        held_texts = [texts[i] for i in held]
        held_gold = [gold[i] for i in held]
        score, threshold = max(
            (f1(model, held_posts, held_texts, held_gold, t, stacked), t)
            for t in (0.25, 0.3, 0.35, 0.4, 0.45, 0.5)
        )
        trial_f1 = f1(model, trial, trial_texts, trial_gold, threshold, stacked)
        name = "states + tagger logit" if stacked else "states only"
        print(
            f"{name}: threshold {threshold}, held-out F1 {score:.4f}, tsd_trial F1 {trial_f1:.4f}"
        )


if __name__ == "__main__":
    main()
