"""How far a bidirectional LSTM gets on IMDB at full size with ordinary levers (notebook 05's last row).

    python scripts/bilstm_levers.py [--variants NAME ...] [--seed 0]

By default the first three variants (about 25 minutes on a 2-core CPU); "wide: units 64" does four times the
recurrent work of units 32.

Notebook 05's full profile trains BiLSTM(32) + mask + mean pooling on 20,000 reviews of at most 500 tokens (the last
5,000 of the 25,000 training reviews validate) and tests on all 25,000 test reviews. This script keeps that data
split and training rule (RMSprop or Adam, early stopping on validation accuracy with patience 2, at most 20 epochs)
and changes one lever at a time: vocabulary size, embedding width, units, dropout, pooling, learning-rate schedule.
The variant to report is the one with the best *validation* accuracy; its test accuracy is measured once.
Results go to data/reference/05_imdb_sentiment.bilstm_levers.json (with device, versions and seconds per epoch).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import time

VARIANTS = {
    # name: (vocabulary, embedding width, units, dropout after embedding / before output, pooling, optimiser)
    "base": (10_000, 32, 32, 0.0, "mean", "rmsprop"),
    "20k words, embedding 64, dropout, max pool": (20_000, 64, 32, 0.3, "max", "rmsprop"),
    "20k words, embedding 64, dropout, max pool, Adam decay": (20_000, 64, 32, 0.3, "max", "adam-decay"),
    "wide: units 64": (20_000, 64, 64, 0.3, "max", "rmsprop"),  # four times the recurrent work of units 32
}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="+", default=list(VARIANTS)[:3], choices=list(VARIANTS), metavar="NAME")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)

    import keras
    import numpy as np

    from rnnlab import config, paths
    from rnnlab.data import load_imdb
    from rnnlab.training import EpochLog

    config.seed_everything(args.seed)
    data = {}
    rows = []
    for name in args.variants:
        words, embed, units, dropout, pooling, optimiser = VARIANTS[name]
        if words not in data:
            (x, y), (x_test, y_test) = load_imdb(num_words=words, maxlen=500, padding="post", truncating="pre")
            data[words] = (x[:20_000], y[:20_000], x[20_000:], y[20_000:], x_test, y_test)
        x_fit, y_fit, x_val, y_val, x_test, y_test = data[words]
        keras.utils.set_random_seed(args.seed)
        model = keras.Sequential([
            keras.Input(shape=(None,), dtype="int32"),
            keras.layers.Embedding(words, embed, mask_zero=True),
            *([keras.layers.Dropout(dropout)] if dropout else []),
            keras.layers.Bidirectional(keras.layers.LSTM(units, return_sequences=True)),
            keras.layers.GlobalAveragePooling1D() if pooling == "mean" else keras.layers.GlobalMaxPooling1D(),
            *([keras.layers.Dropout(dropout)] if dropout else []),
            keras.layers.Dense(1, activation="sigmoid"),
        ])
        if optimiser == "adam-decay":
            steps = int(np.ceil(len(x_fit) / 128))
            opt = keras.optimizers.Adam(keras.optimizers.schedules.ExponentialDecay(2e-3, steps, 0.7))
        else:
            opt = "rmsprop"
        model.compile(optimizer=opt, loss="binary_crossentropy", metrics=["accuracy"])
        log = EpochLog(name)
        stop = keras.callbacks.EarlyStopping(monitor="val_accuracy", patience=2, restore_best_weights=True)
        start = time.perf_counter()
        h = model.fit(x_fit, y_fit, validation_data=(x_val, y_val), batch_size=128, epochs=20, verbose=0,
                      callbacks=[log, stop]).history
        best = int(np.argmax(h["val_accuracy"]))
        test_acc = float(model.evaluate(x_test, y_test, batch_size=512, verbose=0)[1])
        rows.append(dict(variant=name, vocabulary=words, embedding=embed, units=units, dropout=dropout, pooling=pooling,
                         optimiser=optimiser, params=model.count_params(), seconds_per_epoch=log.seconds_per_epoch,
                         epochs=len(h["loss"]), best_epoch=best + 1, val_acc=float(h["val_accuracy"][best]),
                         test_acc=test_acc, train_seconds=time.perf_counter() - start))
        print(f"{name:<42} val {rows[-1]['val_acc']:.4f} test {test_acc:.4f} best epoch {best + 1}", flush=True)
    chosen = max(rows, key=lambda r: r["val_acc"])
    out = paths.REFERENCE_DIR / "05_imdb_sentiment.bilstm_levers.json"
    out.write_text(json.dumps(dict(
        notebook="05_imdb_sentiment", kind="bilstm_levers", profile="full", seed=args.seed,
        finished=dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"), device=config.device_name(),
        versions=config.versions(), wall_s=round(sum(r["train_seconds"] for r in rows), 1),
        chosen_on_validation=chosen["variant"], rows=rows), indent=1), encoding="utf-8")
    print(f"chosen on validation: {chosen['variant']} (test {chosen['test_acc']:.4f}); wrote {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
